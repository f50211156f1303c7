-- Participants imported from a spreadsheet (attend import, the import API and
-- the admin's upload screen) are registrations of their own source.
ALTER TABLE registrations DROP CONSTRAINT registrations_source_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_source_check
    CHECK (source IN ('web', 'api', 'delegation', 'walkin', 'admin', 'demo', 'import'));

-- A file uploaded on the admin's import screen, kept between its preview and
-- its application (at most an hour; the application deletes it). Keyed by the
-- file's SHA-256, which the audit entry of the import names.
CREATE TABLE import_uploads (
    id          bigserial PRIMARY KEY,
    event_id    bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sha256      bytea NOT NULL CHECK (length(sha256) = 32),
    file_name   text NOT NULL DEFAULT '',
    content     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, user_id, sha256)
);
CREATE INDEX import_uploads_created ON import_uploads (created_at);
