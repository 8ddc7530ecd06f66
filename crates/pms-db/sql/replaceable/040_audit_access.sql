-- Input checks shared by the audit read functions. They raise invalid_parameter_value (22023)
-- with one line saying what was wrong, so the CLI and the API can show it as is.

-- The caller may read p_tenant's audit data: a role that bypasses RLS may read any tenant;
-- everyone else only the tenant of the transaction (otherwise RLS would silently return
-- nothing, which would look like a clean result).
CREATE OR REPLACE FUNCTION public.audit_require_tenant(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF p_tenant IS NULL THEN
        RAISE EXCEPTION 'a tenant id is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user)
       AND public.pms_current_tenant() IS DISTINCT FROM p_tenant THEN
        RAISE EXCEPTION 'tenant % is not the tenant of this transaction (app.tenant_id is %)',
            p_tenant, coalesce(public.pms_current_tenant()::text, 'not set')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.tenants WHERE id = p_tenant) THEN
        RAISE EXCEPTION 'unknown tenant %', p_tenant USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

-- The caller can see some tenant's rows at all (RLS bypass, or a tenant set).
CREATE OR REPLACE FUNCTION public.audit_require_reader() RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF public.pms_current_tenant() IS NULL
       AND NOT (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'no tenant set for this transaction (app.tenant_id): audit history is per tenant'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

-- A bounded positive integer argument.
CREATE OR REPLACE FUNCTION public.audit_check_range(p_name text, p_value bigint, p_max bigint) RETURNS void
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_value IS NULL THEN
        RAISE EXCEPTION '% is required', p_name USING ERRCODE = 'invalid_parameter_value';
    ELSIF p_value < 1 OR p_value > p_max THEN
        RAISE EXCEPTION '% must be between 1 and %, got %', p_name, p_max, p_value
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

-- The audited table behind an entity type, given as the entity type (case-insensitive, e.g.
-- PerformanceReview) or the table name (performance_reviews). Definer: the registry lives in
-- pms_meta, which the application role cannot read directly.
CREATE OR REPLACE FUNCTION public.audit_resolve_entity_type(p_entity_type text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_entity text;
BEGIN
    SELECT a.entity_type INTO v_entity FROM pms_meta.audited_tables a
     WHERE lower(a.entity_type) = lower(trim(p_entity_type)) OR a.table_name = lower(trim(p_entity_type));
    IF v_entity IS NULL THEN
        RAISE EXCEPTION 'unknown entity type %; known: %', coalesce(quote_literal(p_entity_type), 'NULL'),
            (SELECT string_agg(entity_type, ', ' ORDER BY entity_type) FROM pms_meta.audited_tables)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN v_entity;
END
$$;
REVOKE EXECUTE ON FUNCTION public.audit_resolve_entity_type(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.audit_resolve_entity_type(text) TO pms_app, pms_maintenance, pms_readonly;
