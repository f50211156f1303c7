-- The event's venue and address, and a partner's organisation name, per
-- language (language -> text) beside the titles and descriptions. The old
-- text columns stay: they are the default shown where a language has none.
ALTER TABLE events
    ADD COLUMN venue_texts   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(venue_texts) = 'object'),
    ADD COLUMN address_texts jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(address_texts) = 'object');
ALTER TABLE partners
    ADD COLUMN organisation_texts jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(organisation_texts) = 'object');
