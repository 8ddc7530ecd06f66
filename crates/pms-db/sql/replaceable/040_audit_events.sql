-- Security events: the one function through which the application records logins, logouts,
-- password changes, permission denials, role changes, exports and sensitive reads. The
-- application has no INSERT right on security_events; this function (SECURITY DEFINER) checks
-- the input, redacts secret-named keys in the details, and appends to the tenant's
-- 'security' hash chain (the payload sealed with a fresh salt: migration 20261126400000).
-- DATA_ERASURE events are written only by pms_meta.audit_redact_person.

CREATE OR REPLACE FUNCTION public.record_security_event(
    p_event_type    text,
    p_user_id       uuid DEFAULT NULL,
    p_ip_address    inet DEFAULT NULL,
    p_user_agent    text DEFAULT NULL,
    p_resource_type text DEFAULT NULL,
    p_resource_id   uuid DEFAULT NULL,
    p_details       jsonb DEFAULT '{}',
    p_account       text DEFAULT NULL,
    p_severity      text DEFAULT NULL
) RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_type text := upper(trim(p_event_type));
    v_chain record;
    v_e public.security_events;
BEGIN
    v_e.tenant_id := public.pms_current_tenant();
    IF v_e.tenant_id IS NULL THEN
        RAISE EXCEPTION 'no tenant set for this transaction (app.tenant_id): a security event belongs to a tenant'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_type IS NULL OR v_type NOT IN ('LOGIN_SUCCESS', 'LOGIN_FAILURE', 'LOGOUT', 'PASSWORD_CHANGE',
                                        'PERMISSION_DENIED', 'ROLE_CHANGE', 'DATA_EXPORT', 'SENSITIVE_READ') THEN
        RAISE EXCEPTION 'unknown security event type %; known: LOGIN_SUCCESS, LOGIN_FAILURE, LOGOUT, PASSWORD_CHANGE, PERMISSION_DENIED, ROLE_CHANGE, DATA_EXPORT, SENSITIVE_READ',
            coalesce(quote_literal(p_event_type), 'NULL') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_severity IS NOT NULL AND upper(p_severity) NOT IN ('INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL') THEN
        RAISE EXCEPTION 'unknown severity %; known: INFO, LOW, MEDIUM, HIGH, CRITICAL', quote_literal(p_severity)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_details IS NOT NULL AND jsonb_typeof(p_details) <> 'object' THEN
        RAISE EXCEPTION 'security event details must be a JSON object, got %', jsonb_typeof(p_details)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_resource_type IS NOT NULL AND p_resource_type !~ '^[A-Za-z_]{1,64}$' THEN
        RAISE EXCEPTION 'resource type must be 1-64 letters or underscores, got %', quote_literal(p_resource_type)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_type IN ('SENSITIVE_READ', 'DATA_EXPORT') AND p_resource_type IS NULL THEN
        RAISE EXCEPTION '% needs a resource type (what was read or exported)', v_type
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_type = 'DATA_EXPORT' AND p_details ? 'rows'
       AND (jsonb_typeof(p_details -> 'rows') <> 'number' OR (p_details ->> 'rows')::numeric < 0
            OR (p_details ->> 'rows')::numeric <> trunc((p_details ->> 'rows')::numeric)) THEN
        RAISE EXCEPTION 'DATA_EXPORT details.rows must be a whole number of rows, got %', p_details -> 'rows'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_type = 'LOGIN_FAILURE' AND p_user_id IS NULL AND nullif(trim(p_account), '') IS NULL THEN
        RAISE EXCEPTION 'LOGIN_FAILURE needs the account (user id or the login name tried)'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    v_chain := pms_meta.audit_chain_next(v_e.tenant_id, 'security');
    v_e.id := gen_random_uuid();
    v_e.seq := v_chain.next_seq;
    v_e.occurred_at := clock_timestamp();
    v_e.event_type := v_type;
    v_e.severity := coalesce(upper(p_severity), CASE v_type
        WHEN 'LOGIN_SUCCESS' THEN 'INFO' WHEN 'LOGOUT' THEN 'INFO' WHEN 'LOGIN_FAILURE' THEN 'LOW'
        WHEN 'SENSITIVE_READ' THEN 'LOW' ELSE 'MEDIUM' END);
    -- The account concerned; by default the acting user, except for a failed login, whose
    -- account is never the one acting.
    v_e.user_id := CASE WHEN v_type = 'LOGIN_FAILURE' THEN p_user_id ELSE coalesce(p_user_id, public.pms_current_user_id()) END;
    v_e.account := left(lower(nullif(trim(p_account), '')), 320);
    v_e.ip_address := p_ip_address;
    v_e.user_agent := left(p_user_agent, 1000);
    v_e.resource_type := p_resource_type;
    v_e.resource_id := p_resource_id;
    v_e.details := pms_meta.audit_redact_json(coalesce(p_details, '{}'::jsonb));
    v_e.request_id := left(nullif(current_setting('app.request_id', true), ''), 200);
    v_e.db_user := session_user;
    v_e.prev_hash := v_chain.prev_hash;
    v_e.payload_salt := uuid_send(gen_random_uuid());
    v_e.payload_digest := public.audit_payload_digest(v_e.payload_salt, public.security_event_payload(v_e));
    v_e.hash := public.audit_chain_hash(v_e.prev_hash, public.security_event_canonical(v_e));
    INSERT INTO public.security_events SELECT (v_e).*;
    RETURN v_e.id;
END
$$;
REVOKE EXECUTE ON FUNCTION public.record_security_event(text, uuid, inet, text, text, uuid, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.record_security_event(text, uuid, inet, text, text, uuid, jsonb, text, text)
    TO pms_app, pms_maintenance;
