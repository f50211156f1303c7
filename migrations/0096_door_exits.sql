-- In and out: an event may count exits at its door, so that the live counts
-- show the people inside now. Admissions stay as they are (the first entry of
-- a day, which the reports count); an exit is a row here until the person
-- comes back in, and every exit and re-entry is in the scan log.
ALTER TABLE events ADD COLUMN counts_exits boolean NOT NULL DEFAULT false;

-- A person admitted on a day who has gone out and not come back in.
CREATE TABLE door_exits (
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    day             date NOT NULL,
    event_id        bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    left_at         timestamptz NOT NULL,
    device_id       bigint REFERENCES devices(id) ON DELETE SET NULL,
    PRIMARY KEY (registration_id, day)
);
CREATE INDEX door_exits_event_day ON door_exits (event_id, day);

-- An exit scan answers "exited", or "not_inside" for someone not admitted that day.
ALTER TABLE scans DROP CONSTRAINT scans_result_check;
ALTER TABLE scans ADD CONSTRAINT scans_result_check CHECK (result IN ('admitted', 'already_admitted', 'invalid', 'revoked',
    'cancelled', 'wrong_event', 'not_today', 'undone', 'exited', 'not_inside'));

-- door_scan learns the direction: p_out records an exit of someone admitted
-- that day; on an event that counts exits, a person who went out and scans in
-- again is let in ("admitted", with the day's first admission time) and is
-- inside again. p_offline marks scans queued on a device.
DROP FUNCTION door_scan(bytea, bigint, bigint, bigint, bigint, text, text, date, timestamptz, uuid, text, boolean, boolean);
CREATE FUNCTION door_scan(
    p_token_hash bytea, p_device_id bigint, p_user_id bigint, p_event_id bigint, p_ticket_id bigint,
    p_result text, p_reason text, p_day date, p_at timestamptz, p_scan_id uuid, p_method text,
    p_today boolean, p_touch boolean,
    p_out boolean,      -- an exit scan (the event counts exits)
    p_exits boolean,    -- the event counts exits (re-entries after an exit)
    p_offline boolean
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    v_p       record;
    v_att     jsonb;
    v_first   timestamptz;
    v_where   text;
    v_adm     bigint;
    v_result  text := p_result;
    v_reason  text := coalesce(p_reason, '');
    v_ticket  bigint;
    v_reg     bigint;
    v_resp    jsonb;
BEGIN
    IF p_token_hash IS NOT NULL THEN
        PERFORM 1 FROM api_tokens k JOIN devices d ON d.id = k.device_id
        WHERE k.token_hash = p_token_hash AND k.revoked_at IS NULL AND k.device_id = p_device_id
          AND 'scan' = ANY (k.scopes) AND d.revoked_at IS NULL AND d.event_id = p_event_id;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        UPDATE api_tokens SET last_used_at = now()
        WHERE token_hash = p_token_hash AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');
    END IF;

    IF p_ticket_id IS NOT NULL THEN
        SELECT r.id AS registration_id, r.status, r.first_name, r.last_name, r.country, r.city, r.organisation,
               coalesce(pa.organisation || ', ' || pa.city, '') AS partner,
               coalesce((SELECT array_agg(rd.day::text ORDER BY rd.day) FROM registration_days rd
                         WHERE rd.registration_id = r.id), '{}') AS days,
               t.id AS ticket_id, t.code, t.revoked_at
        INTO v_p
        FROM tickets t JOIN registrations r ON r.id = t.registration_id
        LEFT JOIN partners pa ON pa.id = r.partner_id
        WHERE t.id = p_ticket_id AND t.event_id = p_event_id;
        IF NOT FOUND THEN
            v_result := 'invalid';
            v_reason := 'unknown_ticket';
        ELSE
            v_ticket := v_p.ticket_id;
            v_reg := v_p.registration_id;
            v_att := jsonb_build_object('registration_id', v_p.registration_id, 'ticket_id', v_p.ticket_id,
                        'name', btrim(v_p.first_name || ' ' || v_p.last_name, E' \t\n\r\f\v'),
                        'country', v_p.country::text, 'days', to_jsonb(v_p.days))
                  || CASE WHEN v_p.code <> '' THEN jsonb_build_object('code', v_p.code) ELSE '{}' END
                  || CASE WHEN v_p.city <> '' THEN jsonb_build_object('city', v_p.city) ELSE '{}' END
                  || CASE WHEN v_p.organisation <> '' THEN jsonb_build_object('organisation', v_p.organisation) ELSE '{}' END
                  || CASE WHEN v_p.partner <> '' THEN jsonb_build_object('partner', v_p.partner) ELSE '{}' END;
            IF v_p.status = 'cancelled' THEN
                v_result := 'cancelled';
            ELSIF v_p.revoked_at IS NOT NULL OR v_p.status <> 'confirmed' THEN
                v_result := 'revoked';
            ELSIF NOT p_today THEN
                v_result := 'not_today';
            ELSIF p_out THEN
                SELECT a.admitted_at INTO v_first FROM admissions a
                WHERE a.registration_id = v_reg AND a.day = p_day AND a.undone_at IS NULL;
                IF FOUND THEN
                    INSERT INTO door_exits (registration_id, day, event_id, left_at, device_id)
                    VALUES (v_reg, p_day, p_event_id, p_at, p_device_id)
                    ON CONFLICT (registration_id, day) DO UPDATE SET left_at = excluded.left_at, device_id = excluded.device_id;
                    v_result := 'exited';
                ELSE
                    v_result := 'not_inside';
                END IF;
            ELSE
                FOR i IN 1..3 LOOP
                    INSERT INTO admissions (event_id, registration_id, day, admitted_at, device_id, user_id, scan_id, method, reason)
                    VALUES (p_event_id, v_reg, p_day, p_at, p_device_id, p_user_id, p_scan_id, p_method, '')
                    ON CONFLICT (registration_id, day) WHERE undone_at IS NULL DO NOTHING
                    RETURNING id INTO v_adm;
                    IF v_adm IS NOT NULL THEN
                        v_result := 'admitted';
                        v_first := p_at;
                        IF p_exits THEN
                            DELETE FROM door_exits WHERE registration_id = v_reg AND day = p_day; -- of an undone admission
                        END IF;
                        EXIT;
                    END IF;
                    -- The index answered: someone is in already. This statement
                    -- sees the admission that won (committed before it started).
                    SELECT a.admitted_at, coalesce(d.name, u.name, 'desk') INTO v_first, v_where
                    FROM admissions a
                    LEFT JOIN devices d ON d.id = a.device_id
                    LEFT JOIN users u ON u.id = a.user_id
                    WHERE a.registration_id = v_reg AND a.day = p_day AND a.undone_at IS NULL;
                    IF FOUND THEN
                        v_result := 'already_admitted';
                        IF p_exits THEN
                            -- Back in after going out: let in, inside again.
                            DELETE FROM door_exits WHERE registration_id = v_reg AND day = p_day;
                            IF FOUND THEN
                                v_result := 'admitted';
                                v_where := NULL;
                            END IF;
                        END IF;
                        EXIT;
                    END IF;
                END LOOP;
                IF v_result IS NULL THEN
                    RAISE EXCEPTION 'door_scan: admission kept changing';
                END IF;
            END IF;
        END IF;
    END IF;

    v_resp := jsonb_build_object('result', v_result, 'attendee', v_att, 'first_admitted_at', v_first,
                'first_device', v_where, 'day', to_char(p_day, 'YYYY-MM-DD'), 'scan_id', p_scan_id)
            || CASE WHEN v_reason <> '' THEN jsonb_build_object('reason', v_reason) ELSE '{}' END;
    INSERT INTO scans (scan_id, event_id, device_id, user_id, ticket_id, registration_id, day, method, result, reason,
                       scanned_at, offline, response)
    VALUES (p_scan_id, p_event_id, p_device_id, p_user_id, v_ticket, v_reg, p_day, p_method, v_result, v_reason,
            p_at, p_offline, v_resp);
    IF p_touch AND p_device_id IS NOT NULL THEN
        UPDATE devices SET last_seen_at = now()
        WHERE id = p_device_id AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute');
    END IF;
    RETURN v_resp;
END
$$;
