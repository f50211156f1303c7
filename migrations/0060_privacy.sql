-- Privacy by default: the retention date of each project as a generated column
-- (so no code path can compute it differently), a shorter retention for the
-- optional needs fields, and the parameters each privacy notice was rendered from.

ALTER TABLE projects
    -- Days after an event's last day when dietary and accessibility needs are deleted.
    ADD COLUMN needs_retention_days integer NOT NULL DEFAULT 30 CHECK (needs_retention_days BETWEEN 0 AND 3650),
    -- Balance payment + retention_years; NULL while the balance is unpaid (keep everything).
    ADD COLUMN records_kept_until date
        GENERATED ALWAYS AS ((balance_paid_on + make_interval(years => retention_years))::date) STORED;

ALTER TABLE privacy_notices
    -- Controller, contact and authority the body was rendered from; the next version starts from them.
    ADD COLUMN params jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN published_by bigint REFERENCES users(id) ON DELETE SET NULL;

-- Finding everything about one person (erasure, access export) and the
-- retention job's sweep must not scan whole tables.
CREATE INDEX registrations_not_anonymised ON registrations (event_id) WHERE anonymised_at IS NULL;
CREATE INDEX scans_registration ON scans (registration_id) WHERE registration_id IS NOT NULL;
CREATE INDEX signatures_registration ON signatures (registration_id);
CREATE INDEX outbox_to_addr ON outbox (lower(to_addr)) WHERE to_addr <> '';
