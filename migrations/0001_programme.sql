-- The programme as data: projects, their partners, rule sets, events and event days.
-- A project is not tied to Europe for Citizens: rules and eligible countries are rows.

CREATE TABLE rule_sets (
    id                  bigserial PRIMARY KEY,
    code                text NOT NULL UNIQUE,
    name                text NOT NULL,
    -- [{"rule": "min_events", "min": 4}, {"rule": "invited_share_per_event", "min": 0.30}, ...]
    rules               jsonb NOT NULL DEFAULT '[]',
    -- ISO 3166-1 alpha-2 codes whose participants count towards the totals.
    eligible_countries  text[] NOT NULL DEFAULT '{}',
    editable            boolean NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE projects (
    id                  bigserial PRIMARY KEY,
    code                text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    title               jsonb NOT NULL,             -- language -> text
    acronym             text NOT NULL DEFAULT '',
    programme           text NOT NULL DEFAULT '',   -- e.g. Europe for Citizens (2014-2020)
    strand              text NOT NULL DEFAULT '',
    measure             jsonb NOT NULL DEFAULT '{}', -- language -> text ("Networks of Towns")
    grant_ref           text NOT NULL DEFAULT '',
    starts_on           date,
    ends_on             date,
    budget_eur          numeric(12,2),
    rule_set_id         bigint REFERENCES rule_sets(id),
    -- Retention: records are kept until balance payment + retention_years, then anonymised.
    balance_paid_on     date,
    retention_years     integer NOT NULL DEFAULT 5 CHECK (retention_years BETWEEN 1 AND 30),
    anonymised_at       timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE partners (
    id                  bigserial PRIMARY KEY,
    project_id          bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    slug                text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    organisation        text NOT NULL,
    city                text NOT NULL,
    country             char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    is_lead             boolean NOT NULL DEFAULT false,
    position            integer NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, slug)
);
-- At most one lead partner per project.
CREATE UNIQUE INDEX partners_one_lead ON partners (project_id) WHERE is_lead;

CREATE TABLE events (
    id                      bigserial PRIMARY KEY,
    project_id              bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    slug                    text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    number                  integer NOT NULL,
    host_partner_id         bigint REFERENCES partners(id),
    title                   jsonb NOT NULL,              -- language -> text
    description             jsonb NOT NULL DEFAULT '{}', -- language -> text
    venue                   text NOT NULL DEFAULT '',
    address                 text NOT NULL DEFAULT '',
    city                    text NOT NULL,
    country                 char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    first_day               date NOT NULL,
    last_day                date NOT NULL,
    time_zone               text NOT NULL DEFAULT 'UTC',
    capacity                integer CHECK (capacity IS NULL OR capacity >= 0),
    -- Seats held by confirmed registrations; the CHECK makes over-booking impossible
    -- whatever the concurrency (a conditional UPDATE takes a seat).
    confirmed_count         integer NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0),
    registration_opens_at   timestamptz,
    registration_closes_at  timestamptz,
    -- 'auto' follows the window above; 'open' and 'closed' are operator overrides.
    registration_state      text NOT NULL DEFAULT 'auto' CHECK (registration_state IN ('auto', 'open', 'closed')),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, number),
    CHECK (last_day >= first_day),
    -- The programme's rule: one event lasts at most 21 days.
    CHECK (last_day - first_day < 21),
    CHECK (capacity IS NULL OR confirmed_count <= capacity)
);
CREATE INDEX events_project ON events (project_id, first_day);

CREATE TABLE event_days (
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    day             date NOT NULL,
    capacity        integer CHECK (capacity IS NULL OR capacity >= 0),
    confirmed_count integer NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0),
    opens_at        time,
    closes_at       time,
    PRIMARY KEY (event_id, day),
    CHECK (capacity IS NULL OR confirmed_count <= capacity)
);
