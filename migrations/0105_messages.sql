-- Messages from coordinators to a segment of an event's (or a project's)
-- participants. Each recipient's e-mail is an outbox row, so delivery state,
-- retries and the person's access export come from the outbox.

-- The language a person gets when the message has no text in their own.
ALTER TABLE projects ADD COLUMN fallback_language text NOT NULL DEFAULT 'en'
    CHECK (fallback_language ~ '^[a-z]{2}$');

CREATE TABLE messages (
    id          bigserial PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    event_id    bigint REFERENCES events(id) ON DELETE CASCADE,  -- NULL: the whole project
    segment     text NOT NULL CHECK (segment IN ('registered', 'confirmed', 'waitlisted', 'pending', 'attended', 'no_show', 'partner')),
    partner_id  bigint REFERENCES partners(id),
    day         date,
    subject     jsonb NOT NULL,                -- language -> text
    body        jsonb NOT NULL,                -- language -> text with {placeholders}
    essential   boolean NOT NULL DEFAULT false, -- essential messages ignore opt-outs and carry no opt-out link
    recipients  integer NOT NULL DEFAULT 0 CHECK (recipients >= 0),
    created_by  bigint REFERENCES users(id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((segment = 'partner') = (partner_id IS NOT NULL))
);
CREATE INDEX messages_event ON messages (event_id, id DESC);
CREATE INDEX messages_project ON messages (project_id, id DESC);

-- One row per person a message went to; the outbox row holds the state.
CREATE TABLE message_recipients (
    message_id      bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    outbox_id       bigint REFERENCES outbox(id) ON DELETE SET NULL,
    language        text NOT NULL,
    PRIMARY KEY (message_id, registration_id)
);
CREATE INDEX message_recipients_registration ON message_recipients (registration_id);

-- People who asked for no more non-essential messages of a project. The
-- address is kept only as its SHA-256 (of the lower-cased address), which is
-- enough to honour the request for every registration with it.
CREATE TABLE message_optouts (
    project_id  bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    email_sha256 bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, email_sha256)
);

-- RFC 8058 one-click opt-out: the URL of the List-Unsubscribe header.
ALTER TABLE outbox ADD COLUMN list_unsubscribe text NOT NULL DEFAULT '';
