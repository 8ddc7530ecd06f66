-- The specification's read functions over the audit trail. All SECURITY INVOKER: RLS decides
-- which tenant's rows the caller sees, and the functions refuse to run where RLS would show
-- nothing at all. days: 1..1095 (the 3-year retention); limit: 1..1000.

-- What a user did: the changes made with app.user_id set to p_user_id, newest first.
CREATE OR REPLACE FUNCTION public.get_user_audit_history(p_user_id uuid, p_days integer DEFAULT 30, p_limit integer DEFAULT 100)
    RETURNS TABLE (id uuid, tenant_id uuid, seq bigint, occurred_at timestamptz, table_name text, entity_type text,
                   operation text, row_id uuid, changes jsonb, actor_user_id uuid, request_id text)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF p_user_id IS NULL THEN
        RAISE EXCEPTION 'a user id is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM public.audit_check_range('days', p_days, 1095);
    PERFORM public.audit_check_range('limit', p_limit, 1000);
    PERFORM public.audit_require_reader();
    RETURN QUERY
    SELECT a.id, a.tenant_id, a.seq, a.occurred_at, a.table_name, a.entity_type, a.operation, a.row_id,
           a.changes, a.actor_user_id, a.request_id
      FROM public.audit_log a
     WHERE a.actor_user_id = p_user_id AND a.occurred_at >= now() - make_interval(days => p_days)
     ORDER BY a.occurred_at DESC, a.seq DESC
     LIMIT p_limit;
END
$$;

-- The history of one row: every change of the entity, newest first. The type is an entity
-- type (PerformanceReview, PIP, User, ...) or its table name.
CREATE OR REPLACE FUNCTION public.get_entity_audit_history(p_entity_type text, p_entity_id uuid, p_limit integer DEFAULT 100)
    RETURNS TABLE (id uuid, tenant_id uuid, seq bigint, occurred_at timestamptz, table_name text, entity_type text,
                   operation text, row_id uuid, changes jsonb, actor_user_id uuid, request_id text)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_entity text := public.audit_resolve_entity_type(p_entity_type);
BEGIN
    IF p_entity_id IS NULL THEN
        RAISE EXCEPTION 'an entity id is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM public.audit_check_range('limit', p_limit, 1000);
    PERFORM public.audit_require_reader();
    RETURN QUERY
    SELECT a.id, a.tenant_id, a.seq, a.occurred_at, a.table_name, a.entity_type, a.operation, a.row_id,
           a.changes, a.actor_user_id, a.request_id
      FROM public.audit_log a
     WHERE a.entity_type = v_entity AND a.row_id = p_entity_id
     ORDER BY a.occurred_at DESC, a.seq DESC
     LIMIT p_limit;
END
$$;

-- A tenant's security events of the last p_days, newest first.
CREATE OR REPLACE FUNCTION public.get_tenant_security_events(p_tenant uuid, p_days integer DEFAULT 7, p_limit integer DEFAULT 100)
    RETURNS TABLE (id uuid, seq bigint, occurred_at timestamptz, event_type text, severity text, user_id uuid,
                   account text, ip_address inet, user_agent text, resource_type text, resource_id uuid,
                   details jsonb, request_id text)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM public.audit_check_range('days', p_days, 1095);
    PERFORM public.audit_check_range('limit', p_limit, 1000);
    PERFORM public.audit_require_tenant(p_tenant);
    RETURN QUERY
    SELECT e.id, e.seq, e.occurred_at, e.event_type, e.severity, e.user_id, e.account, e.ip_address, e.user_agent,
           e.resource_type, e.resource_id, e.details, e.request_id
      FROM public.security_events e
     WHERE e.tenant_id = p_tenant AND e.occurred_at >= now() - make_interval(days => p_days)
     ORDER BY e.occurred_at DESC, e.seq DESC
     LIMIT p_limit;
END
$$;
