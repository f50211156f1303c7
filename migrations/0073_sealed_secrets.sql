-- Secrets at rest: event private keys and second-factor secrets are kept
-- sealed with the operator's master key (ATTEND_SECRET_KEY_FILE, see
-- internal/secretbox), so a dump of the database cannot forge tickets.
--
-- SQL cannot seal: the plaintext columns stay for rows written before this
-- migration, and the application seals those on its first start with a key
-- (store.SealPlaintext), leaving them NULL or empty.

ALTER TABLE event_keys ALTER COLUMN private_key DROP NOT NULL;
ALTER TABLE event_keys ADD COLUMN private_key_sealed bytea;
ALTER TABLE event_keys ADD CONSTRAINT event_keys_one_private_key
    CHECK ((private_key IS NULL) <> (private_key_sealed IS NULL));

ALTER TABLE users ADD COLUMN totp_sealed bytea;
ALTER TABLE users ADD CONSTRAINT users_one_totp_secret
    CHECK (totp_sealed IS NULL OR totp_secret = '');
