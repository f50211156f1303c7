-- A timetable: each event day has its start and end times (event_days.opens_at
-- and closes_at, wall-clock times in the event's time zone); an end before
-- its start is refused by the database too.
ALTER TABLE event_days ADD CONSTRAINT event_days_times CHECK (opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at);
