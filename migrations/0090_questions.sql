-- Custom questions per event, asked on every registration form beside the
-- built-in fields, and the answers per registration. An answer belongs to a
-- question of the registration's own event (both foreign keys carry the
-- event), one answer per question and registration; deleting a question or a
-- registration deletes its answers.
CREATE TABLE event_questions (
    id          bigserial PRIMARY KEY,
    event_id    bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    key         text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
    kind        text NOT NULL CHECK (kind IN ('short_text', 'long_text', 'single_choice', 'multiple_choice',
                    'checkbox', 'number', 'date')),
    required    boolean NOT NULL DEFAULT false,
    position    integer NOT NULL CHECK (position >= 0),
    label       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(label) = 'object'),
    help        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(help) = 'object'),
    -- [{"value": "a", "label": {"en": "..."}}], for choice questions only.
    options     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
    min_value   numeric,
    max_value   numeric,
    in_report   boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, key),
    UNIQUE (id, event_id),
    CHECK (kind IN ('single_choice', 'multiple_choice') OR options = '[]'::jsonb),
    CHECK (kind NOT IN ('single_choice', 'multiple_choice') OR jsonb_array_length(options) > 0),
    CHECK (NOT in_report OR kind IN ('single_choice', 'multiple_choice')),
    CHECK (kind = 'number' OR (min_value IS NULL AND max_value IS NULL)),
    CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value)
);
CREATE INDEX event_questions_order ON event_questions (event_id, position, id);

-- The registration's event, so that an answer's question is of the same event.
CREATE UNIQUE INDEX registrations_id_event ON registrations (id, event_id);

CREATE TABLE registration_answers (
    registration_id bigint NOT NULL,
    question_id     bigint NOT NULL,
    event_id        bigint NOT NULL,
    -- One value; several for a multiple-choice question, in the options' order.
    value           text[] NOT NULL CHECK (cardinality(value) > 0),
    PRIMARY KEY (registration_id, question_id),
    FOREIGN KEY (registration_id, event_id) REFERENCES registrations(id, event_id) ON DELETE CASCADE,
    FOREIGN KEY (question_id, event_id) REFERENCES event_questions(id, event_id) ON DELETE CASCADE
);
CREATE INDEX registration_answers_question ON registration_answers (question_id);
