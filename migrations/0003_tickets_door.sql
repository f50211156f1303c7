-- Signing keys, tickets, door devices, API tokens, the scan log and admissions.

-- Per-event Ed25519 key pairs. Several may be valid at once; the newest signs.
CREATE TABLE event_keys (
    id              bigserial PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    kid             text NOT NULL,               -- short key id carried in the payload
    public_key      bytea NOT NULL CHECK (length(public_key) = 32),
    private_key     bytea NOT NULL CHECK (length(private_key) = 64),
    created_at      timestamptz NOT NULL DEFAULT now(),
    retired_at      timestamptz,
    UNIQUE (event_id, kid)
);

CREATE TABLE tickets (
    id              bigserial PRIMARY KEY,
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    code            text NOT NULL UNIQUE,        -- short human-readable code for the desk
    payload         text NOT NULL UNIQUE,        -- the signed QR text
    key_id          bigint NOT NULL REFERENCES event_keys(id),
    days            date[] NOT NULL,
    issued_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    revoked_reason  text NOT NULL DEFAULT ''
);
-- At most one live ticket per registration.
CREATE UNIQUE INDEX tickets_one_live ON tickets (registration_id) WHERE revoked_at IS NULL;
CREATE INDEX tickets_event_revoked ON tickets (event_id) WHERE revoked_at IS NOT NULL;

CREATE TABLE devices (
    id              bigserial PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    name            text NOT NULL,
    created_by      bigint REFERENCES users(id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz,
    revoked_at      timestamptz,
    UNIQUE (event_id, name)
);

-- Bearer tokens for users and door devices; only a hash is stored.
CREATE TABLE api_tokens (
    id              bigserial PRIMARY KEY,
    token_hash      bytea NOT NULL UNIQUE,
    prefix          text NOT NULL,               -- first characters, to recognise a token in lists
    user_id         bigint REFERENCES users(id) ON DELETE CASCADE,
    device_id       bigint REFERENCES devices(id) ON DELETE CASCADE,
    scopes          text[] NOT NULL,
    label           text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    CHECK ((user_id IS NULL) <> (device_id IS NULL)),
    CHECK (scopes <@ ARRAY['scan', 'report', 'admin']::text[])
);

-- Append-only log of every scan, failed ones included.
CREATE TABLE scans (
    id              bigserial PRIMARY KEY,
    scan_id         uuid NOT NULL UNIQUE,        -- client id: retries are idempotent
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    device_id       bigint REFERENCES devices(id) ON DELETE SET NULL,
    user_id         bigint REFERENCES users(id) ON DELETE SET NULL,
    ticket_id       bigint REFERENCES tickets(id) ON DELETE SET NULL,
    registration_id bigint REFERENCES registrations(id) ON DELETE SET NULL,
    day             date NOT NULL,
    method          text NOT NULL DEFAULT 'qr' CHECK (method IN ('qr', 'keyboard', 'manual', 'walkin', 'undo')),
    result          text NOT NULL CHECK (result IN ('admitted', 'already_admitted', 'invalid', 'revoked', 'cancelled', 'wrong_event', 'not_today', 'undone')),
    reason          text NOT NULL DEFAULT '',
    scanned_at      timestamptz NOT NULL,        -- device time (offline scans keep their original time)
    received_at     timestamptz NOT NULL DEFAULT now(),
    offline         boolean NOT NULL DEFAULT false,
    response        jsonb NOT NULL DEFAULT '{}'  -- the answer given, replayed on retry
);
CREATE INDEX scans_event_time ON scans (event_id, scanned_at);

-- One admission per registration per event day, enforced here.
CREATE TABLE admissions (
    id              bigserial PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    day             date NOT NULL,
    admitted_at     timestamptz NOT NULL,
    device_id       bigint REFERENCES devices(id) ON DELETE SET NULL,
    user_id         bigint REFERENCES users(id) ON DELETE SET NULL,
    scan_id         uuid,
    method          text NOT NULL DEFAULT 'qr',
    reason          text NOT NULL DEFAULT '',
    undone_at       timestamptz,
    undone_by       bigint REFERENCES users(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX admissions_once_per_day ON admissions (registration_id, day) WHERE undone_at IS NULL;
CREATE INDEX admissions_event_day ON admissions (event_id, day) WHERE undone_at IS NULL;

-- Two devices admitted the same person on one day while offline: the first by time won.
CREATE TABLE double_entries (
    id              bigserial PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id bigint REFERENCES registrations(id) ON DELETE SET NULL,
    day             date NOT NULL,
    kept_scan_id    uuid,
    other_scan_id   uuid NOT NULL UNIQUE,
    kept_device_id  bigint REFERENCES devices(id) ON DELETE SET NULL,
    other_device_id bigint REFERENCES devices(id) ON DELETE SET NULL,
    kept_at         timestamptz,
    other_at        timestamptz NOT NULL,
    detected_at     timestamptz NOT NULL DEFAULT now()
);

-- Electronic signatures captured at the signing desk after admission.
CREATE TABLE signatures (
    id              bigserial PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    day             date NOT NULL,
    image_png       bytea NOT NULL,
    sha256          bytea NOT NULL,
    device_id       bigint REFERENCES devices(id) ON DELETE SET NULL,
    captured_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (registration_id, day)
);
