-- Accounts, privacy notices, registrations and their days.

CREATE TABLE users (
    id              bigserial PRIMARY KEY,
    email           text NOT NULL,
    name            text NOT NULL,
    password_hash   text NOT NULL DEFAULT '',
    role            text NOT NULL CHECK (role IN ('admin', 'coordinator', 'partner', 'door')),
    project_id      bigint REFERENCES projects(id) ON DELETE SET NULL,
    partner_id      bigint REFERENCES partners(id) ON DELETE SET NULL,
    language        text NOT NULL DEFAULT 'en',
    totp_secret     text NOT NULL DEFAULT '',
    failed_logins   integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    disabled_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- Door staff and other event-scoped grants; valid_from/valid_until optionally limit the hours.
CREATE TABLE user_events (
    user_id         bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    valid_from      timestamptz,
    valid_until     timestamptz,
    PRIMARY KEY (user_id, event_id)
);

CREATE TABLE sessions (
    id_hash         bytea PRIMARY KEY,           -- SHA-256 of the cookie value
    user_id         bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    second_factor   boolean NOT NULL DEFAULT false
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE password_resets (
    token_hash      bytea PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz
);

CREATE TABLE privacy_notices (
    id              bigserial PRIMARY KEY,
    project_id      bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    version         integer NOT NULL CHECK (version > 0),
    language        text NOT NULL,
    body            text NOT NULL,
    published_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, version, language)
);

-- A delegation: several registrations made at once by a partner coordinator.
CREATE TABLE delegations (
    id              bigserial PRIMARY KEY,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    partner_id      bigint NOT NULL REFERENCES partners(id),
    created_by      bigint REFERENCES users(id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE registrations (
    id                  bigserial PRIMARY KEY,
    event_id            bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    status              text NOT NULL CHECK (status IN ('pending_confirmation', 'confirmed', 'waitlisted', 'cancelled')),
    -- Waiting-list order: a sequence value taken when the person joins the list.
    waitlist_seq        bigint,
    first_name          text NOT NULL,
    last_name           text NOT NULL,
    email               text,                 -- NULL for delegation members without an address
    phone               text NOT NULL DEFAULT '',
    country             char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    city                text NOT NULL DEFAULT '',
    organisation        text NOT NULL DEFAULT '',
    participation       text NOT NULL CHECK (participation IN ('local', 'invited', 'other')),
    partner_id          bigint REFERENCES partners(id),
    language            text NOT NULL DEFAULT 'en',
    needs_access        text NOT NULL DEFAULT '',
    needs_diet          text NOT NULL DEFAULT '',
    age_band            text NOT NULL DEFAULT '',
    gender              text NOT NULL DEFAULT '',
    photo_consent       boolean NOT NULL DEFAULT false,
    privacy_notice_id   bigint REFERENCES privacy_notices(id),
    privacy_accepted_at timestamptz,
    delegation_id       bigint REFERENCES delegations(id) ON DELETE SET NULL,
    source              text NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'api', 'delegation', 'walkin', 'admin', 'demo')),
    -- Private links: only SHA-256 hashes of the random tokens are stored.
    manage_token_hash   bytea UNIQUE,
    confirm_token_hash  bytea UNIQUE,
    confirm_expires_at  timestamptz,
    confirmed_at        timestamptz,
    cancelled_at        timestamptz,
    anonymised_at       timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
-- One person, one registration per event (the same address leads to the existing one).
CREATE UNIQUE INDEX registrations_event_email ON registrations (event_id, lower(email)) WHERE email IS NOT NULL;
CREATE INDEX registrations_event_status ON registrations (event_id, status);
CREATE INDEX registrations_waitlist ON registrations (event_id, waitlist_seq) WHERE status = 'waitlisted';
CREATE INDEX registrations_email ON registrations (lower(email));
CREATE SEQUENCE waitlist_seq;

CREATE TABLE registration_days (
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    event_id        bigint NOT NULL,
    day             date NOT NULL,
    PRIMARY KEY (registration_id, day),
    FOREIGN KEY (event_id, day) REFERENCES event_days(event_id, day)
);
CREATE INDEX registration_days_event_day ON registration_days (event_id, day);

-- Consents given or withdrawn, with the notice version they refer to.
CREATE TABLE consents (
    id              bigserial PRIMARY KEY,
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('privacy_notice', 'age_band', 'gender', 'photos')),
    given           boolean NOT NULL,
    notice_version  integer,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consents_registration ON consents (registration_id);
