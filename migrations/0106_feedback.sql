-- Feedback after an event: the questions and the closing date are set per
-- event; each registration answers at most once (and may edit until closing).

ALTER TABLE events
    ADD COLUMN feedback_questions jsonb,          -- NULL: the default questions (a 1-5 rating and a comment)
    ADD COLUMN feedback_closes_at timestamptz;    -- NULL: open for 30 days after the last day

CREATE TABLE feedback_answers (
    id              bigserial PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    answers         jsonb NOT NULL,             -- question id -> number or text
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (registration_id)
);
CREATE INDEX feedback_answers_event ON feedback_answers (event_id);
