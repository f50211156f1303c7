-- Outbox delivery details: a claim token fences a row to the worker that
-- claimed it, a dedup key makes scheduled messages (reminders) unique across
-- instances, and delivered_via tells a message sent over SMTP from one kept
-- on the development mail page.

ALTER TABLE outbox
    ADD COLUMN claim_token   uuid,
    ADD COLUMN dedup_key     text,
    ADD COLUMN delivered_via text NOT NULL DEFAULT '' CHECK (delivered_via IN ('', 'smtp', 'kept'));

-- NULLs do not collide: only messages that name a key are unique by it.
CREATE UNIQUE INDEX outbox_dedup_key ON outbox (dedup_key) WHERE dedup_key IS NOT NULL;
CREATE INDEX outbox_status_created ON outbox (status, created_at DESC);
CREATE INDEX outbox_registration ON outbox (registration_id) WHERE registration_id IS NOT NULL;
