-- Rule sets as data per project: a name per language, the project that owns
-- a copy (NULL: a shared preset every project may choose or copy), a note
-- (e.g. where thresholds change by call year) and an optional lump-sum table
-- entered by an administrator from the call's programme guide.
ALTER TABLE rule_sets
    ADD COLUMN names      jsonb NOT NULL DEFAULT '{}',  -- language -> text; name stays the fallback
    ADD COLUMN project_id bigint REFERENCES projects(id) ON DELETE CASCADE,
    ADD COLUMN note       text NOT NULL DEFAULT '',
    -- {"basis": "eligible"|"invited", "participants": [[min,max]...], "countries": [[min,max]...],
    --  "amounts": [[eur per country band] per participant band]}
    ADD COLUMN lump_sum   jsonb;
CREATE INDEX rule_sets_project ON rule_sets (project_id) WHERE project_id IS NOT NULL;

-- The amount the grant agreement plans for an event, to compare with what the
-- recorded attendance earns.
ALTER TABLE events ADD COLUMN planned_grant_eur numeric(12,2) CHECK (planned_grant_eur IS NULL OR planned_grant_eur >= 0);

-- The funders' presets. Existing rows (a database seeded before this
-- migration) keep their ids, so projects and reports that chose them keep
-- working; only the new columns are filled.
INSERT INTO rule_sets (code, name, names, note, rules, eligible_countries, editable) VALUES
('efc-not', 'Europe for Citizens 2014-2020, Networks of Towns',
 '{"en": "Europe for Citizens 2014-2020, Networks of Towns", "lv": "Eiropa pilsoņiem 2014-2020, pašvaldību tīklojumi", "ru": "Европа для граждан 2014-2020, сети городов"}',
 'At least 4 events; at least 30% invited participants (per event or over the project, depending on the national contact point); an event lasts at most 21 days.',
 '[{"rule": "min_events", "min": 4}, {"rule": "invited_share_per_event", "min": 0.30}, {"rule": "invited_share_project", "min": 0.30}, {"rule": "max_event_days", "max": 21}]',
 '{AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,GB,AL,BA,MK,ME,RS}', false),
('efc-tt', 'Europe for Citizens 2014-2020, Town Twinning',
 '{"en": "Europe for Citizens 2014-2020, Town Twinning", "lv": "Eiropa pilsoņiem 2014-2020, pilsētu sadraudzība", "ru": "Европа для граждан 2014-2020, породнённые города"}',
 'One event of at most 21 days with at least 25 invited participants. Kosovo was eligible in later calls only.',
 '[{"rule": "min_invited_per_event", "min": 25}, {"rule": "min_countries_per_event", "min": 2}, {"rule": "max_event_days", "max": 21}]',
 '{AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,GB,AL,BA,MK,ME,RS}', false),
('cerv-tt', 'CERV 2021-2027, Town-Twinning',
 '{"en": "CERV 2021-2027, Town-Twinning", "lv": "CERV 2021-2027, pilsētu sadraudzība", "ru": "CERV 2021-2027, породнённые города"}',
 'Each event at least 50 direct participants, of whom at least 25 invited. The associated countries depend on the call year: check the call''s list.',
 '[{"rule": "min_participants_per_event", "min": 50}, {"rule": "min_invited_per_event", "min": 25}]',
 '{AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,AL,BA,MK,ME,RS,UA,XK}', false),
('cerv-not', 'CERV 2021-2027, Networks of Towns',
 '{"en": "CERV 2021-2027, Networks of Towns", "lv": "CERV 2021-2027, pašvaldību tīklojumi", "ru": "CERV 2021-2027, сети городов"}',
 'Thresholds change by call year: the 2021-2022 calls asked for at least 4 events, later calls fewer; at least 30% invited participants per event is common to all. Check the call''s programme guide and edit a copy.',
 '[{"rule": "min_events", "min": 4}, {"rule": "invited_share_per_event", "min": 0.30}, {"rule": "max_event_days", "max": 21}]',
 '{AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,AL,BA,MK,ME,RS,UA,XK}', false)
ON CONFLICT (code) DO UPDATE SET names = EXCLUDED.names, note = EXCLUDED.note;
