-- Attendance certificates: who signs them for the host (per event), whether
-- they go out by themselves the day after the event, and one certificate per
-- registration (the unique key makes a second send a no-op whatever runs it).
CREATE TABLE event_certificate_settings (
    event_id            bigint PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    signatory_name      text NOT NULL DEFAULT '' CHECK (length(signatory_name) <= 200),
    signatory_position  text NOT NULL DEFAULT '' CHECK (length(signatory_position) <= 200),
    auto_send           boolean NOT NULL DEFAULT false,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE certificates (
    id              bigserial PRIMARY KEY,
    registration_id bigint NOT NULL UNIQUE REFERENCES registrations(id) ON DELETE CASCADE,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    -- The event key that signed the code; retiring it does not void the
    -- certificate (verification reads the public half from here).
    key_id          bigint NOT NULL REFERENCES event_keys(id),
    code            text NOT NULL UNIQUE,
    -- The days the certificate states, as attended when it was issued.
    days            date[] NOT NULL CHECK (cardinality(days) > 0),
    language        text NOT NULL,
    issued_at       timestamptz NOT NULL DEFAULT now(),
    -- Set when the certificate was sent by e-mail (NULL: no address, or the
    -- issue came from the private page).
    mailed_at       timestamptz
);
CREATE INDEX certificates_event ON certificates (event_id);
