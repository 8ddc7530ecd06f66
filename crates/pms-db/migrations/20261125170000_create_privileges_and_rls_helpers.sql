-- Runs as pms_owner. Everything pms_owner creates from here on is usable by the other roles
-- through these default privileges; nobody but pms_owner owns anything.
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pms_app, pms_maintenance;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public
    GRANT SELECT ON TABLES TO pms_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO pms_app, pms_maintenance, pms_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner
    REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA public
    GRANT EXECUTE ON FUNCTIONS TO pms_app, pms_maintenance, pms_readonly;

GRANT USAGE ON SCHEMA public TO pms_app, pms_maintenance, pms_readonly;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA pms_meta TO pms_maintenance, pms_readonly;

-- The tenant of the current transaction, or NULL when none is set (then no row matches).
CREATE FUNCTION public.pms_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

-- The acting user of the current transaction, when the application set one.
CREATE FUNCTION public.pms_current_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

-- Makes a table tenant-scoped: RLS enabled and forced, one policy with USING and WITH CHECK.
-- Every migration that creates a tenant table calls this.
CREATE FUNCTION pms_meta.enable_tenant_rls(tbl regclass, tenant_column name DEFAULT 'tenant_id')
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s USING (%I = public.pms_current_tenant()) WITH CHECK (%I = public.pms_current_tenant())',
        tbl, tenant_column, tenant_column);
END
$$;

-- Keeps updated_at true without trusting the application.
CREATE FUNCTION public.pms_touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE FUNCTION pms_meta.add_updated_at_trigger(tbl regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER touch_updated_at BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION public.pms_touch_updated_at()', tbl);
END
$$;
