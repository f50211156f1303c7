-- The funders' presets named in every language of the product, with the
-- programme's official wording for the measures of Europe for Citizens
-- strand 2 and CERV: in Latvian "Pilsētu sadraudzība" and "Pilsētu tīkli",
-- in Russian "Породнение городов" and "Сети городов". Copies a project made
-- keep their names; only the presets are renamed.
UPDATE rule_sets SET names = names || '{
 "en": "Europe for Citizens 2014-2020, Networks of Towns",
 "lv": "Eiropa pilsoņiem 2014-2020, Pilsētu tīkli",
 "ru": "Европа для граждан 2014-2020, Сети городов",
 "lt": "Europa piliečiams 2014-2020, Miestų tinklai",
 "pl": "Europa dla Obywateli 2014-2020, Sieci miast",
 "de": "Europa für Bürgerinnen und Bürger 2014-2020, Netzwerke von Partnerstädten",
 "ro": "Europa pentru cetățeni 2014-2020, Rețele de orașe",
 "it": "Europa per i cittadini 2014-2020, Reti di città",
 "da": "Europa for Borgerne 2014-2020, Netværk af byer",
 "es": "Europa con los ciudadanos 2014-2020, Redes de ciudades"}'::jsonb
WHERE code = 'efc-not' AND project_id IS NULL;

UPDATE rule_sets SET names = names || '{
 "en": "Europe for Citizens 2014-2020, Town Twinning",
 "lv": "Eiropa pilsoņiem 2014-2020, Pilsētu sadraudzība",
 "ru": "Европа для граждан 2014-2020, Породнение городов",
 "lt": "Europa piliečiams 2014-2020, Miestų partnerystė",
 "pl": "Europa dla Obywateli 2014-2020, Partnerstwo miast",
 "de": "Europa für Bürgerinnen und Bürger 2014-2020, Städtepartnerschaften",
 "ro": "Europa pentru cetățeni 2014-2020, Înfrățirea orașelor",
 "it": "Europa per i cittadini 2014-2020, Gemellaggio di città",
 "da": "Europa for Borgerne 2014-2020, Venskabsbysamarbejde",
 "es": "Europa con los ciudadanos 2014-2020, Hermanamiento de ciudades"}'::jsonb
WHERE code = 'efc-tt' AND project_id IS NULL;

UPDATE rule_sets SET names = names || '{
 "en": "CERV 2021-2027, Town-Twinning",
 "lv": "CERV 2021-2027, Pilsētu sadraudzība",
 "ru": "CERV 2021-2027, Породнение городов",
 "lt": "CERV 2021-2027, Miestų partnerystė",
 "pl": "CERV 2021-2027, Partnerstwo miast",
 "de": "CERV 2021-2027, Städtepartnerschaften",
 "ro": "CERV 2021-2027, Înfrățirea orașelor",
 "it": "CERV 2021-2027, Gemellaggio di città",
 "da": "CERV 2021-2027, Venskabsbysamarbejde",
 "es": "CERV 2021-2027, Hermanamiento de ciudades"}'::jsonb
WHERE code = 'cerv-tt' AND project_id IS NULL;

UPDATE rule_sets SET names = names || '{
 "en": "CERV 2021-2027, Networks of Towns",
 "lv": "CERV 2021-2027, Pilsētu tīkli",
 "ru": "CERV 2021-2027, Сети городов",
 "lt": "CERV 2021-2027, Miestų tinklai",
 "pl": "CERV 2021-2027, Sieci miast",
 "de": "CERV 2021-2027, Netzwerke von Partnerstädten",
 "ro": "CERV 2021-2027, Rețele de orașe",
 "it": "CERV 2021-2027, Reti di città",
 "da": "CERV 2021-2027, Netværk af byer",
 "es": "CERV 2021-2027, Redes de ciudades"}'::jsonb
WHERE code = 'cerv-not' AND project_id IS NULL;
