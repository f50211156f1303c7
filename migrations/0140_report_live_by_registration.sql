-- A registration's admitted days are found by its own index.
--
-- The view's days were looked up by (registration_id, event_id). When the
-- admissions grew faster than their statistics (a door's first hour), the
-- planner took the event's (event_id, day) index and read every admission of
-- the event for each registration: a fold of 2,400 scans cost seconds of
-- PostgreSQL CPU, more than the scans themselves. The lookup now names only
-- the registration, which the unique (registration_id, day) index answers
-- whatever the statistics say; the event is checked on the rows found.
CREATE OR REPLACE VIEW report_live AS
SELECT r.id AS registration_id, r.event_id, r.status,
    coalesce((SELECT array_agg(a.day::text ORDER BY a.day) FILTER (WHERE a.event_id = r.event_id) FROM admissions a
        WHERE a.registration_id = r.id AND a.undone_at IS NULL), '{}') AS days,
    r.country::text AS country, btrim(r.city) AS city,
    CASE WHEN r.participation = 'local' THEN 'local'
        WHEN r.participation = 'invited' AND r.partner_id IS NOT NULL AND r.country <> e.country THEN 'invited'
        ELSE 'other' END AS kind,
    r.partner_id, r.age_band, r.gender,
    CASE WHEN r.status = 'cancelled' THEN '{}'::date[] ELSE
        coalesce((SELECT array_agg(rd.day ORDER BY rd.day) FROM registration_days rd
            WHERE rd.registration_id = r.id AND rd.event_id = r.event_id), '{}') END AS reg_days
FROM registrations r JOIN events e ON e.id = r.event_id;
