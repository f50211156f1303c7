-- The column holds the random nonce that private self-service links are
-- signed with (HMAC of id and nonce), not a hash of a token: name it so.
ALTER TABLE registrations RENAME COLUMN manage_token_hash TO manage_nonce;
ALTER TABLE registrations RENAME CONSTRAINT registrations_manage_token_hash_key TO registrations_manage_nonce_key;
