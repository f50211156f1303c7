-- Partner towns' names as each language writes them. city stays the name the
-- partner gave; city_texts maps a language code to the town's name in that
-- language ("lv": "Kauņa") and, for languages that decline it after "from",
-- "<lang>-gen" to the genitive ("lv-gen": "Kauņas", "ru-gen": "Каунаса").
-- A language without an entry uses city as it is.
ALTER TABLE partners ADD COLUMN city_texts jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(city_texts) = 'object');
