-- The door's statement without the signature check in the server (issue 18):
-- an online scan passes the payload as scanned, and a ticket whose stored
-- payload is that very text was signed by this server, so the Ed25519 check
-- (a third of the server's CPU per scan) is left out. Anything else (an
-- unknown ticket, another text: forged, re-signed, anonymised) writes nothing
-- and answers {"unverified": true}; the server then checks the signature and
-- scans as before. Without p_payload, the statement is 0124's, byte for byte.
DROP FUNCTION door_scan(bytea, bigint, bigint, bigint, bigint, text, text, date, timestamptz, uuid, text, boolean, boolean,
    boolean, boolean, boolean);
CREATE FUNCTION door_scan(
    p_token_hash bytea, p_device_id bigint, p_user_id bigint, p_event_id bigint, p_ticket_id bigint,
    p_result text, p_reason text, p_day date, p_at timestamptz, p_scan_id uuid, p_method text,
    p_today boolean, p_touch boolean,
    p_out boolean,      -- an exit scan (the event counts exits)
    p_exits boolean,    -- the event counts exits (re-entries after an exit)
    p_offline boolean,
    -- the payload as scanned, when the server has not checked its signature:
    -- the ticket's stored payload must be the same text, else nothing is
    -- written and the answer is {"unverified": true}
    p_payload text DEFAULT NULL
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
    v_used    timestamptz;
BEGIN
    IF p_token_hash IS NOT NULL THEN
        SELECT k.last_used_at INTO v_used FROM api_tokens k JOIN devices d ON d.id = k.device_id
        WHERE k.token_hash = p_token_hash AND k.revoked_at IS NULL AND k.device_id = p_device_id
          AND 'scan' = ANY (k.scopes) AND d.revoked_at IS NULL AND d.event_id = p_event_id;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        -- Written once a minute: the look-up above says when.
        IF v_used IS NULL OR v_used < now() - interval '1 minute' THEN
            UPDATE api_tokens SET last_used_at = now()
            WHERE token_hash = p_token_hash AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');
        END IF;
    END IF;

    IF p_ticket_id IS NOT NULL THEN
        -- The attendee as checkin.Attendee encodes it (empty optional fields
        -- left out), built by the look-up itself.
        SELECT r.id AS registration_id, r.status, t.id AS ticket_id, t.revoked_at, t.payload,
               jsonb_build_object('registration_id', r.id, 'ticket_id', t.id,
                   'name', btrim(r.first_name || ' ' || r.last_name, E' \t\n\r\f\v'),
                   'country', r.country::text,
                   'days', to_jsonb(coalesce((SELECT array_agg(rd.day::text ORDER BY rd.day) FROM registration_days rd
                                              WHERE rd.registration_id = r.id), '{}')))
               || CASE WHEN t.code <> '' THEN jsonb_build_object('code', t.code) ELSE '{}' END
               || CASE WHEN r.city <> '' THEN jsonb_build_object('city', r.city) ELSE '{}' END
               || CASE WHEN r.organisation <> '' THEN jsonb_build_object('organisation', r.organisation) ELSE '{}' END
               || CASE WHEN coalesce(pa.organisation || ', ' || pa.city, '') <> ''
                       THEN jsonb_build_object('partner', pa.organisation || ', ' || pa.city) ELSE '{}' END AS att
        INTO v_p
        FROM tickets t JOIN registrations r ON r.id = t.registration_id
        LEFT JOIN partners pa ON pa.id = r.partner_id
        WHERE t.id = p_ticket_id AND t.event_id = p_event_id;
        IF p_payload IS NOT NULL AND (NOT FOUND OR v_p.payload IS DISTINCT FROM p_payload) THEN
            RETURN '{"unverified": true}'::jsonb;
        END IF;
        IF NOT FOUND THEN
            v_result := 'invalid';
            v_reason := 'unknown_ticket';
        ELSE
            v_ticket := v_p.ticket_id;
            v_reg := v_p.registration_id;
            v_att := v_p.att;
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
