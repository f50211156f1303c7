-- A door scan in one statement: the device's token, the admission and the scan
-- log row, in the statement's own transaction (one round trip instead of five:
-- token, BEGIN, person-and-admission, scan log, COMMIT). The server has
-- already verified the ticket's signature and worked out the day; the partial
-- unique index admissions_once_per_day stays the judge of "once a day", and a
-- repeat reads the admission that beat it without locking it.
--
-- Returns the answer as stored in the scan log, or NULL when p_token_hash is
-- given and is not a live scan token of p_device_id on p_event_id (then
-- nothing is written). A scan id seen before fails scans_scan_id_key and
-- rolls the whole call back, admission included: the caller replays.
CREATE FUNCTION door_scan(
    p_token_hash bytea,      -- the device's token when its check is left to this call, else NULL
    p_device_id  bigint,
    p_user_id    bigint,
    p_event_id   bigint,
    p_ticket_id  bigint,     -- the signed ticket id; NULL when the payload did not verify
    p_result     text,       -- with p_ticket_id NULL: the verification's answer
    p_reason     text,
    p_day        date,
    p_at         timestamptz,
    p_scan_id    uuid,
    p_method     text,
    p_today      boolean,    -- the ticket is valid on p_day, which is an event day
    p_touch      boolean     -- write the device's last_seen_at (the server does it once a minute)
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
            -- Signed by our key but never stored: treat as forged.
            v_result := 'invalid';
            v_reason := 'unknown_ticket';
        ELSE
            v_ticket := v_p.ticket_id;
            v_reg := v_p.registration_id;
            -- The attendee as checkin.Attendee encodes it (empty optional fields left out).
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
            ELSE
                FOR i IN 1..3 LOOP
                    INSERT INTO admissions (event_id, registration_id, day, admitted_at, device_id, user_id, scan_id, method, reason)
                    VALUES (p_event_id, v_reg, p_day, p_at, p_device_id, p_user_id, p_scan_id, p_method, '')
                    ON CONFLICT (registration_id, day) WHERE undone_at IS NULL DO NOTHING
                    RETURNING id INTO v_adm;
                    IF v_adm IS NOT NULL THEN
                        v_result := 'admitted';
                        v_first := p_at;
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
                        EXIT;
                    END IF;
                    -- Undone meanwhile: try again.
                END LOOP;
                IF v_result IS NULL THEN
                    RAISE EXCEPTION 'door_scan: admission kept changing';
                END IF;
            END IF;
        END IF;
    END IF;

    -- The answer as checkin.Result encodes it.
    v_resp := jsonb_build_object('result', v_result, 'attendee', v_att, 'first_admitted_at', v_first,
                'first_device', v_where, 'day', to_char(p_day, 'YYYY-MM-DD'), 'scan_id', p_scan_id)
            || CASE WHEN v_reason <> '' THEN jsonb_build_object('reason', v_reason) ELSE '{}' END;
    INSERT INTO scans (scan_id, event_id, device_id, user_id, ticket_id, registration_id, day, method, result, reason,
                       scanned_at, offline, response)
    VALUES (p_scan_id, p_event_id, p_device_id, p_user_id, v_ticket, v_reg, p_day, p_method, v_result, v_reason,
            p_at, false, v_resp);
    IF p_touch AND p_device_id IS NOT NULL THEN
        UPDATE devices SET last_seen_at = now()
        WHERE id = p_device_id AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute');
    END IF;
    RETURN v_resp;
END
$$;
