-- The public results page of an event: published by a coordinator, never
-- automatically; the row exists while the page is public and records when
-- it went public (the report shows "published on").
CREATE TABLE event_results (
    event_id        bigint PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    published_at    timestamptz NOT NULL DEFAULT now(),
    published_by    bigint REFERENCES users(id) ON DELETE SET NULL
);
