-- An event's new country reaches the registrations made while it changes.
--
-- The kind (local / invited / other) depends on the event's country, so a
-- change of it queues the event's registrations. The queue took only those
-- its statement could see: a registration inserted at the same moment, and
-- folded before the event's change committed, kept the kind of the old
-- country. The change now locks the event's row against new registrations
-- first (FOR UPDATE conflicts with the key-share lock a registration's foreign
-- key takes), so a registration made meanwhile either commits before the
-- queue is taken, and is in it, or waits and sees the new country.
CREATE OR REPLACE FUNCTION report_dirty_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM events WHERE id = NEW.id FOR UPDATE;
    INSERT INTO report_dirty SELECT r.id FROM registrations r WHERE r.event_id = NEW.id;
    RETURN NULL;
END $$;
