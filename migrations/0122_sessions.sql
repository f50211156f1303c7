-- Sessions within an event day: the timetable's talks and workshops, each at
-- wall-clock times in the event's time zone, with a title per language
-- (language -> text), a room and its speakers, in the day's order.
CREATE TABLE event_sessions (
    id          bigserial PRIMARY KEY,
    event_id    bigint NOT NULL,
    day         date NOT NULL,
    starts_at   time NOT NULL,
    ends_at     time NOT NULL,
    title       jsonb NOT NULL CHECK (jsonb_typeof(title) = 'object' AND title ? 'en'),
    room        text NOT NULL DEFAULT '' CHECK (length(room) <= 200),
    speakers    text NOT NULL DEFAULT '' CHECK (length(speakers) <= 500),
    position    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    -- A session belongs to one of its event's days; moving or dropping the
    -- day (a change of dates) takes its sessions with it.
    FOREIGN KEY (event_id, day) REFERENCES event_days(event_id, day) ON DELETE CASCADE
);
CREATE INDEX event_sessions_order ON event_sessions (event_id, day, starts_at, position, id);
