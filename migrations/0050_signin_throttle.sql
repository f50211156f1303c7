-- Failed sign-in attempts per (account, client address) pair. Keyed by a hash,
-- so the table holds neither addresses nor e-mails. A lockout here only blocks
-- the address that failed: the account's owner elsewhere can still sign in.
CREATE TABLE signin_throttle (
    key             bytea PRIMARY KEY,
    failures        integer NOT NULL DEFAULT 0,
    last_failure_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signin_throttle_last ON signin_throttle (last_failure_at);
