-- A ticked-or-not question may be counted in the report too (how many need a
-- visa letter), not only a choice among options.
DO $$
DECLARE c text;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
        WHERE conrelid = 'event_questions'::regclass AND contype = 'c'
          AND pg_get_constraintdef(oid) LIKE '%in_report%'
    LOOP
        EXECUTE format('ALTER TABLE event_questions DROP CONSTRAINT %I', c);
    END LOOP;
END $$;
ALTER TABLE event_questions ADD CONSTRAINT event_questions_in_report_kind
    CHECK (NOT in_report OR kind IN ('single_choice', 'multiple_choice', 'checkbox'));

-- The sites (scheme://host[:port]) allowed to frame a project's embeddable
-- results; none: no site may. The application checks each origin's form.
ALTER TABLE projects ADD COLUMN embed_origins text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(embed_origins) <= 20);
