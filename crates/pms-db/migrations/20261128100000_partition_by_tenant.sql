-- Tenant partitions for the per-person tables that a new tenant brings by the hundred thousand
-- (issue 3: a generated tenant loads at a useful fraction of a plain COPY).
--
-- teams, team_members, user_roles, reporting_lines, goals, key_results, performance_reviews,
-- feedback and one_on_ones become LIST-partitioned on tenant_id (users is not: a hundred
-- foreign keys reference it, each would be cloned onto every partition). Every tenant's rows live in the DEFAULT partition (pms_parts.<table>_default, the
-- former table itself, with its rows, indexes and constraints kept: nothing is copied or
-- rebuilt), except for tenants loaded in bulk: `pms seed --employees` fills a table of its own
-- per tenant (pms_parts.<table>_t<tenant hex>) while it is detached, builds that table's indexes
-- in one sorted pass each, and attaches it (migration 20261128100100). Everything the schema
-- promised stays on the parent under the same names: columns, defaults, generated columns,
-- CHECK constraints, primary key, indexes (each with its comment), foreign keys both ways,
-- triggers (row triggers are cloned onto every partition), forced RLS with the same policy, and
-- the grants. Partitions live in schema pms_parts, which the application roles cannot use: they
-- are reached only through the parent, whose policy applies.

CREATE SCHEMA pms_parts;
COMMENT ON SCHEMA pms_parts IS
    'Partitions of the tenant-partitioned tables (default partition and per-tenant partitions); reached only through their parent tables in public.';
REVOKE ALL ON SCHEMA pms_parts FROM PUBLIC;

-- The statements that give p_target (a table name, qualified) the row-level security policies of
-- p_from: used for the parents below and for the tenant partitions (20261128100100).
CREATE FUNCTION pms_meta.policy_copies(p_from regclass, p_target text) RETURNS text[]
    LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT coalesce(array_agg(format('CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s', p.policyname, p_target,
                                     p.permissive, p.cmd,
                                     (SELECT string_agg(quote_ident(r), ', ') FROM unnest(p.roles) AS r),
                                     CASE WHEN p.qual IS NOT NULL THEN ' USING (' || p.qual || ')' ELSE '' END,
                                     CASE WHEN p.with_check IS NOT NULL THEN ' WITH CHECK (' || p.with_check || ')' ELSE '' END)
                              ORDER BY p.policyname), '{}')
      FROM pg_policies p JOIN pg_class c ON c.relname = p.tablename
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = p.schemaname
     WHERE c.oid = p_from
$$;
REVOKE ALL ON FUNCTION pms_meta.policy_copies(regclass, text) FROM PUBLIC;

-- Turns public.<p_table> (tenant_id uuid, primary key (tenant_id, id)) into a table partitioned
-- by LIST (tenant_id) whose DEFAULT partition is the former table.
CREATE FUNCTION pms_meta.partition_by_tenant(p_table text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_old regclass := to_regclass(format('public.%I', p_table));
    v_default text := p_table || '_default';
    v_refs text[];
    v_fks text[];
    v_triggers text[];
    v_enabled text[];
    v_indexes text[];
    v_comments text[];
    v_policies text[];
    v_grants text[];
    v_comment text;
    v_sql text;
BEGIN
    IF v_old IS NULL OR (SELECT relkind FROM pg_class WHERE oid = v_old) <> 'r' THEN
        RAISE EXCEPTION 'partition_by_tenant: public.% is not a plain table', p_table;
    END IF;
    -- Foreign keys that reference the table (its own self-reference included): re-created
    -- against the parent at the end.
    SELECT coalesce(array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                                     pg_get_constraintdef(c.oid)) ORDER BY c.conrelid::regclass::text, c.conname), '{}')
      INTO v_refs FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = v_old AND c.conparentid = 0;
    -- Its own foreign keys (except the self-reference above): added on the parent, where
    -- PostgreSQL attaches the default partition's identical constraint instead of re-checking.
    SELECT coalesce(array_agg(format('ALTER TABLE public.%I ADD CONSTRAINT %I %s', p_table, c.conname,
                                     pg_get_constraintdef(c.oid)) ORDER BY c.conname), '{}')
      INTO v_fks FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = v_old AND c.confrelid <> v_old AND c.conparentid = 0;
    SELECT coalesce(array_agg(pg_get_triggerdef(t.oid) ORDER BY t.tgname), '{}'),
           coalesce(array_agg(format('ALTER TABLE public.%I %s TRIGGER %I', p_table,
                                     CASE t.tgenabled WHEN 'A' THEN 'ENABLE ALWAYS' WHEN 'R' THEN 'ENABLE REPLICA'
                                                      WHEN 'D' THEN 'DISABLE' ELSE 'ENABLE' END, t.tgname)
                              ORDER BY t.tgname), '{}')
      INTO v_triggers, v_enabled FROM pg_trigger t WHERE t.tgrelid = v_old AND NOT t.tgisinternal;
    -- Indexes: primary key and unique constraints as constraints, the others as indexes, each
    -- under its own name, with its comment (the access path it serves).
    SELECT coalesce(array_agg(CASE WHEN c.contype IN ('p', 'u')
                                   THEN format('ALTER TABLE public.%I ADD CONSTRAINT %I %s', p_table, c.conname, pg_get_constraintdef(c.oid))
                                   ELSE pg_get_indexdef(i.indexrelid) END ORDER BY i.indexrelid), '{}'),
           coalesce(array_agg(format('COMMENT ON INDEX public.%I IS %L', ic.relname, d.description) ORDER BY i.indexrelid)
                    FILTER (WHERE d.description IS NOT NULL), '{}')
      INTO v_indexes, v_comments
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = v_old AND c.contype IN ('p', 'u')
      LEFT JOIN pg_description d ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
     WHERE i.indrelid = v_old;
    v_policies := pms_meta.policy_copies(v_old, format('public.%I', p_table));
    SELECT coalesce(array_agg(format('GRANT %s ON public.%I TO %s', a.privilege_type, p_table,
                                     CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(a.grantee::regrole::text) END)
                              ORDER BY a.grantee, a.privilege_type), '{}')
      INTO v_grants FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = v_old AND a.grantee <> c.relowner;
    v_comment := obj_description(v_old, 'pg_class');

    FOREACH v_sql IN ARRAY (SELECT coalesce(array_agg(format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)), '{}')
                              FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = v_old AND c.conparentid = 0) LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY (SELECT coalesce(array_agg(format('DROP TRIGGER %I ON public.%I', t.tgname, p_table)), '{}')
                              FROM pg_trigger t WHERE t.tgrelid = v_old AND NOT t.tgisinternal) LOOP
        EXECUTE v_sql;
    END LOOP;

    -- The former table becomes the default partition: its indexes move with it to pms_parts,
    -- which frees their names for the parent's.
    EXECUTE format('ALTER TABLE public.%I SET SCHEMA pms_parts', p_table);
    EXECUTE format('ALTER TABLE pms_parts.%I RENAME TO %I', p_table, v_default);
    EXECUTE format('CREATE TABLE public.%I (LIKE pms_parts.%I INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS '
                   'INCLUDING COMMENTS INCLUDING STATISTICS INCLUDING COMPRESSION) PARTITION BY LIST (tenant_id)',
                   p_table, v_default);
    EXECUTE format('COMMENT ON TABLE public.%I IS %L', p_table, v_comment);
    EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION pms_parts.%I DEFAULT', p_table, v_default);
    -- Built on the parent, matched (not rebuilt) on the default partition.
    FOREACH v_sql IN ARRAY v_indexes LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY v_comments LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY v_fks LOOP
        EXECUTE v_sql;
    END LOOP;
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', p_table);
    FOREACH v_sql IN ARRAY v_policies LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY v_grants LOOP
        EXECUTE v_sql;
    END LOOP;
    EXECUTE format('REVOKE ALL ON pms_parts.%I FROM PUBLIC, pms_app, pms_maintenance, pms_readonly', v_default);
    FOREACH v_sql IN ARRAY v_triggers LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY v_enabled LOOP
        EXECUTE v_sql;
    END LOOP;
    FOREACH v_sql IN ARRAY v_refs LOOP
        EXECUTE v_sql;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION pms_meta.partition_by_tenant(text) FROM PUBLIC;

SELECT pms_meta.partition_by_tenant(t)
  FROM unnest(ARRAY['teams', 'team_members', 'user_roles', 'reporting_lines',
                    'goals', 'key_results', 'performance_reviews', 'feedback', 'one_on_ones']) AS t;

-- Views over these tables were bound to the former tables (now the default partitions): the
-- replaceable SQL (which defines them) is applied again after this migration.
UPDATE pms_meta.replaceable SET checksum = ''::bytea;
