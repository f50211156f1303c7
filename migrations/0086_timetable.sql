-- A timetable: each event day has its start and end times (event_days.opens_at
-- and closes_at, local to the event's time zone), and sessions within a day.
CREATE TABLE event_sessions (
    id          bigserial PRIMARY KEY,
    event_id    bigint NOT NULL,
    day         date NOT NULL,
    starts_at   time NOT NULL,
    ends_at     time,
    title       jsonb NOT NULL,              -- language -> text
    room        text NOT NULL DEFAULT '',
    speakers    text NOT NULL DEFAULT '',
    FOREIGN KEY (event_id, day) REFERENCES event_days (event_id, day) ON DELETE CASCADE,
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX event_sessions_event ON event_sessions (event_id, day, starts_at);
ALTER TABLE event_days ADD CONSTRAINT event_days_times CHECK (opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at);
