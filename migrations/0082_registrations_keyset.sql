-- The registrations API pages through an event's registrations by id
-- (keyset pagination: WHERE event_id = $1 AND id > $cursor ORDER BY id).
CREATE INDEX registrations_event_id_keyset ON registrations (event_id, id);
