-- Indexes for the funder reports: every count starts from live admissions of
-- an event's registrations, and the signed lists look signatures up by event.

-- Who was admitted at an event at least once, without visiting the heap.
CREATE INDEX admissions_event_registration ON admissions (event_id, registration_id)
    INCLUDE (day, admitted_at) WHERE undone_at IS NULL;

CREATE INDEX signatures_event ON signatures (event_id, registration_id);

-- The scan log export reads one event's double entries by scan id.
CREATE INDEX double_entries_event ON double_entries (event_id);

-- The signing desk is also worked by signed-in staff on a tablet, without a
-- paired device: record who held it.
ALTER TABLE signatures ADD COLUMN user_id bigint REFERENCES users(id) ON DELETE SET NULL;
