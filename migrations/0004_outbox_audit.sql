-- The e-mail outbox, the audit log and shared rate-limit counters.

CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    message_id      text NOT NULL UNIQUE,        -- RFC 5322 Message-ID: sending is idempotent by it
    kind            text NOT NULL,
    registration_id bigint REFERENCES registrations(id) ON DELETE SET NULL,
    user_id         bigint REFERENCES users(id) ON DELETE SET NULL,
    to_addr         text NOT NULL,
    language        text NOT NULL DEFAULT 'en',
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    send_after      timestamptz NOT NULL DEFAULT now(),
    locked_until    timestamptz,
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX outbox_due ON outbox (send_after) WHERE status IN ('queued', 'sending');

CREATE TABLE outbox_attachments (
    id              bigserial PRIMARY KEY,
    outbox_id       bigint NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    filename        text NOT NULL,
    content_type    text NOT NULL,
    content_id      text NOT NULL DEFAULT '',    -- set for inline parts (cid:)
    content         bytea NOT NULL
);
CREATE INDEX outbox_attachments_outbox ON outbox_attachments (outbox_id);

-- Who did what, when, from where. Append-only for the application: see the trigger.
CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor_user_id   bigint REFERENCES users(id) ON DELETE SET NULL,
    actor_device_id bigint REFERENCES devices(id) ON DELETE SET NULL,
    actor           text NOT NULL DEFAULT '',    -- "user:3", "device:7", "cli", "system"
    action          text NOT NULL,               -- e.g. registration.cancel, export.participants
    object_type     text NOT NULL DEFAULT '',
    object_id       text NOT NULL DEFAULT '',
    ip              text NOT NULL DEFAULT '',
    details         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_action ON audit_log (action, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Foreign keys set actors to NULL when a user or device is deleted; allow only that.
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
       AND NEW.actor = OLD.actor AND NEW.object_type = OLD.object_type
       AND NEW.object_id = OLD.object_id AND NEW.ip = OLD.ip AND NEW.details = OLD.details THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Fixed-window counters shared by every instance (rate limits, sign-in attempts).
CREATE TABLE rate_limits (
    key             text NOT NULL,
    window_start    timestamptz NOT NULL,
    hits            integer NOT NULL DEFAULT 0,
    PRIMARY KEY (key, window_start)
);

-- Instance-independent schedule bookkeeping (retention job, reminders).
CREATE TABLE job_runs (
    job             text PRIMARY KEY,
    last_run_at     timestamptz NOT NULL
);

-- Random keys shared by every instance (CSRF, signed links), created on first use.
CREATE TABLE app_secrets (
    name            text PRIMARY KEY,
    value           bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
