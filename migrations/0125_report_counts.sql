-- Maintained report counts: the project report reads a few hundred group
-- counts instead of grouping every registration with its admissions.
--
-- A change to a registration, its days or its admissions only queues the
-- registration's id (report_dirty, one insert, no shared row to update: the
-- door stays as fast as before). A fold (store.FoldReport) moves the queued
-- registrations' contributions from their folded key to their live one. A
-- report adds the group counts, minus the folded and plus the live key of the
-- registrations still queued: exact at its snapshot whatever the fold lag.

-- The registrations whose report key may have changed since they were folded.
-- Duplicates are fine (the fold and the report take distinct ids).
CREATE TABLE report_dirty (
    registration_id bigint NOT NULL
);

-- Each registration's report key as of its last fold.
CREATE TABLE report_folded (
    registration_id bigint PRIMARY KEY,
    event_id        bigint NOT NULL,
    status          text NOT NULL,
    days            text[] NOT NULL, -- days with a live admission, sorted
    country         text NOT NULL,
    city            text NOT NULL,
    kind            text NOT NULL,
    partner_id      bigint,
    age_band        text NOT NULL,
    gender          text NOT NULL,
    reg_days        date[] NOT NULL  -- days registered for, empty when cancelled
);

-- The number of folded registrations per report key.
CREATE TABLE report_groups (
    event_id   bigint NOT NULL,
    status     text NOT NULL,
    days       text[] NOT NULL,
    country    text NOT NULL,
    city       text NOT NULL,
    kind       text NOT NULL,
    partner_id bigint,
    age_band   text NOT NULL,
    gender     text NOT NULL,
    n          integer NOT NULL,
    UNIQUE NULLS NOT DISTINCT (event_id, status, days, country, city, kind, partner_id, age_band, gender)
);

-- The number of folded registrations (not cancelled) per event and day registered for.
CREATE TABLE report_day_counts (
    event_id bigint NOT NULL,
    day      date NOT NULL,
    n        integer NOT NULL,
    PRIMARY KEY (event_id, day)
);

-- A registration's live report key (the definitions of store/reports.go).
CREATE VIEW report_live AS
SELECT r.id AS registration_id, r.event_id, r.status,
    coalesce((SELECT array_agg(a.day::text ORDER BY a.day) FROM admissions a
        WHERE a.registration_id = r.id AND a.event_id = r.event_id AND a.undone_at IS NULL), '{}') AS days,
    r.country::text AS country, btrim(r.city) AS city,
    CASE WHEN r.participation = 'local' THEN 'local'
        WHEN r.participation = 'invited' AND r.partner_id IS NOT NULL AND r.country <> e.country THEN 'invited'
        ELSE 'other' END AS kind,
    r.partner_id, r.age_band, r.gender,
    CASE WHEN r.status = 'cancelled' THEN '{}'::date[] ELSE
        coalesce((SELECT array_agg(rd.day ORDER BY rd.day) FROM registration_days rd
            WHERE rd.registration_id = r.id AND rd.event_id = r.event_id), '{}') END AS reg_days
FROM registrations r JOIN events e ON e.id = r.event_id;

CREATE FUNCTION report_dirty_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty VALUES (NEW.registration_id);
    RETURN NULL;
END $$;

CREATE FUNCTION report_dirty_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty VALUES (OLD.registration_id);
    RETURN NULL;
END $$;

CREATE FUNCTION report_dirty_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty VALUES (NEW.registration_id);
    IF OLD.registration_id <> NEW.registration_id THEN
        INSERT INTO report_dirty VALUES (OLD.registration_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER admissions_report_insert AFTER INSERT ON admissions
    FOR EACH ROW EXECUTE FUNCTION report_dirty_new();
CREATE TRIGGER admissions_report_update AFTER UPDATE OF undone_at, day, registration_id, event_id ON admissions
    FOR EACH ROW WHEN (OLD.undone_at IS DISTINCT FROM NEW.undone_at OR OLD.day <> NEW.day
        OR OLD.registration_id <> NEW.registration_id OR OLD.event_id <> NEW.event_id)
    EXECUTE FUNCTION report_dirty_moved();
CREATE TRIGGER admissions_report_delete AFTER DELETE ON admissions
    FOR EACH ROW EXECUTE FUNCTION report_dirty_old();

CREATE TRIGGER registration_days_report_insert AFTER INSERT ON registration_days
    FOR EACH ROW EXECUTE FUNCTION report_dirty_new();
CREATE TRIGGER registration_days_report_update AFTER UPDATE ON registration_days
    FOR EACH ROW EXECUTE FUNCTION report_dirty_moved();
CREATE TRIGGER registration_days_report_delete AFTER DELETE ON registration_days
    FOR EACH ROW EXECUTE FUNCTION report_dirty_old();

CREATE FUNCTION report_dirty_registration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO report_dirty VALUES (OLD.id);
    ELSE
        INSERT INTO report_dirty VALUES (NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER registrations_report_insert AFTER INSERT OR DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION report_dirty_registration();
CREATE TRIGGER registrations_report_update
    AFTER UPDATE OF status, country, city, participation, partner_id, age_band, gender, event_id ON registrations
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.country IS DISTINCT FROM NEW.country
        OR OLD.city IS DISTINCT FROM NEW.city OR OLD.participation IS DISTINCT FROM NEW.participation
        OR OLD.partner_id IS DISTINCT FROM NEW.partner_id OR OLD.age_band IS DISTINCT FROM NEW.age_band
        OR OLD.gender IS DISTINCT FROM NEW.gender OR OLD.event_id IS DISTINCT FROM NEW.event_id)
    EXECUTE FUNCTION report_dirty_registration();

-- The kind depends on the event's country: its registrations are refolded.
CREATE FUNCTION report_dirty_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty SELECT r.id FROM registrations r WHERE r.event_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER events_report_country AFTER UPDATE OF country ON events
    FOR EACH ROW WHEN (OLD.country IS DISTINCT FROM NEW.country)
    EXECUTE FUNCTION report_dirty_event();

-- Everything already stored is queued; the first fold builds the counts.
INSERT INTO report_dirty SELECT id FROM registrations;
