-- The last accepted time step of each user's authenticator: a code works
-- once, so a code seen over someone's shoulder cannot be used again.
ALTER TABLE users ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;
