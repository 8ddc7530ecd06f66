-- Loading a new tenant into partitions of its own (issue 3), for the tables made
-- tenant-partitioned by 20261128100000. What a per-row insert into a shared table pays per index
-- (one descent and one WAL record per index and row) a new tenant's partition pays once per
-- index, in one sorted build; its foreign keys are checked once per table, set-based, instead of
-- once per batch. Three steps, each callable by pms_maintenance (the role of the seed's bulk
-- sessions), each safe to run again after an interruption:
--
--   1. pms_meta.tenant_partitions_prepare(tenant): a detached table per partitioned table
--      (pms_parts.<table>_t<tenant hex>) with the parent's columns, defaults, generated
--      columns, CHECK constraints and foreign keys (created while it is empty), plus
--      CHECK (tenant_id = tenant), forced RLS with the parent's policy, and INSERT and SELECT for
--      pms_maintenance only; and on each shared (default) partition a CHECK, NOT VALID, that
--      refuses the tenant's rows while it loads. The loader COPYs into these, one transaction per batch, in
--      bulk-load sessions (where PostgreSQL's per-row foreign-key checks do not fire); nobody
--      else can see them, and anywhere else their foreign keys check every row as usual.
--   2. pms_meta.tenant_partition_build(tenant, table): refuses if the tenant has rows in the
--      shared partition, validates that CHECK (a scan that does not block writers), builds the table's indexes (every index
--      of the parent, the primary key as a constraint), checks every foreign key set-based (the
--      distinct keys, each looked up in the referenced table, or in the tenant's partition of a
--      partitioned one), and records the row count and digest (as a verified bulk load's:
--      SHA-256 of the rows' binary form in id order). Tables build independently, so a loader
--      runs them side by side.
--   3. pms_meta.tenant_partitions_attach(tenant, batch): attaches each table as the tenant's
--      partition in foreign-key order. ATTACH PARTITION adopts the indexes and foreign keys (no
--      rebuild, no second check) and skips both of its scans: the new partition's bound is
--      implied by its CHECK (tenant_id = tenant), the shared partition's new bound by the
--      validated CHECK of step 1, which is then dropped. Each table's load is recorded in pms_meta.bulk_loads, so audited tables
--      get one audit-chain entry per table at commit. One transaction: the tenant's partitioned
--      rows appear all at once or not at all.

CREATE TABLE pms_meta.tenant_partition_builds (
    tenant_id   uuid NOT NULL,
    table_name  text NOT NULL,
    row_count   bigint NOT NULL CHECK (row_count >= 0),
    rows_sha256 bytea NOT NULL CHECK (length(rows_sha256) = 32),
    built_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, table_name)
);
COMMENT ON TABLE pms_meta.tenant_partition_builds IS
    'Detached tenant partitions whose indexes are built (pms_meta.tenant_partition_build): row count and digest, recorded in pms_meta.bulk_loads when the partition is attached.';
REVOKE ALL ON pms_meta.tenant_partition_builds FROM PUBLIC, pms_app;
GRANT SELECT ON pms_meta.tenant_partition_builds TO pms_maintenance, pms_readonly;

-- The tenant-partitioned tables, in attach order (a table after the ones it references).
CREATE FUNCTION pms_meta.tenant_partitioned_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY['teams', 'team_members', 'user_roles', 'reporting_lines',
                 'goals', 'key_results', 'performance_reviews', 'feedback', 'one_on_ones']
$$;

-- The name of a tenant's partition of p_table (in schema pms_parts).
CREATE FUNCTION pms_meta.tenant_partition_name(p_table text, p_tenant uuid) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_table || '_t' || replace(p_tenant::text, '-', '')
$$;

-- The CHECK that keeps a tenant's rows out of the shared (default) partitions while its own are
-- being loaded (see tenant_partitions_prepare).
CREATE FUNCTION pms_meta.tenant_loading_check(p_tenant uuid) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'tenant_loading_' || replace(p_tenant::text, '-', '')
$$;

CREATE FUNCTION pms_meta.tenant_partitions_prepare(p_tenant uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_table text;
    v_part text;
    v_sql text;
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_found boolean;
    v_fk record;
BEGIN
    -- tenants has forced RLS: a tenant sees only itself.
    PERFORM set_config('app.tenant_id', coalesce(p_tenant::text, ''), true);
    v_found := EXISTS (SELECT 1 FROM public.tenants WHERE id = p_tenant);
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    IF NOT v_found THEN
        RAISE EXCEPTION 'tenant partitions: no tenant %', p_tenant USING ERRCODE = 'foreign_key_violation';
    END IF;
    FOREACH v_table IN ARRAY pms_meta.tenant_partitioned_tables() LOOP
        v_part := pms_meta.tenant_partition_name(v_table, p_tenant);
        IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = format('public.%I', v_table)::regclass
                      AND c.relname = v_part) THEN
            RAISE EXCEPTION 'tenant % already has its own partition of %', p_tenant, v_table
                USING ERRCODE = 'duplicate_object';
        END IF;
        -- While the load runs, the shared partition refuses the tenant's rows (they belong in
        -- its own partition). NOT VALID, so adding it scans nothing; the build validates it
        -- without blocking writers, and ATTACH PARTITION, finding it, then skips its scan of
        -- the shared partition under an ACCESS EXCLUSIVE lock.
        IF NOT EXISTS (SELECT 1 FROM pg_constraint
                        WHERE conrelid = format('pms_parts.%I', v_table || '_default')::regclass
                          AND conname = pms_meta.tenant_loading_check(p_tenant)) THEN
            EXECUTE format('ALTER TABLE pms_parts.%I ADD CONSTRAINT %I CHECK (tenant_id <> %L::uuid) NOT VALID',
                           v_table || '_default', pms_meta.tenant_loading_check(p_tenant), p_tenant);
        END IF;
        CONTINUE WHEN to_regclass(format('pms_parts.%I', v_part)) IS NOT NULL;  -- a resumed load
        EXECUTE format('CREATE TABLE pms_parts.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING GENERATED '
                       'INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION)', v_part, v_table);
        EXECUTE format('ALTER TABLE pms_parts.%I ADD CONSTRAINT partition_tenant CHECK (tenant_id IS NOT NULL AND tenant_id = %L::uuid)',
                       v_part, p_tenant);
        EXECUTE format('ALTER TABLE pms_parts.%I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', v_part);
        FOREACH v_sql IN ARRAY pms_meta.policy_copies(format('public.%I', v_table)::regclass,
                                                     format('pms_parts.%I', v_part)) LOOP
            EXECUTE v_sql;
        END LOOP;
        -- The parent's foreign keys, created while the table is empty: ATTACH PARTITION adopts
        -- them as they are, and from now on PostgreSQL's referenced-side triggers apply (a
        -- referenced row deleted during the load cascades or is refused as usual). The rows
        -- the loader COPYs (in bulk-load sessions, where the per-row checks do not fire) are
        -- checked by pms_meta.tenant_partition_build.
        FOR v_fk IN
            SELECT c.conname, pg_get_constraintdef(c.oid) AS def
              FROM pg_constraint c
             WHERE c.conrelid = format('public.%I', v_table)::regclass AND c.contype = 'f' AND c.conparentid = 0
             ORDER BY c.conname
        LOOP
            EXECUTE format('ALTER TABLE pms_parts.%I ADD CONSTRAINT %I %s', v_part, v_fk.conname, v_fk.def);
        END LOOP;
        EXECUTE format('REVOKE ALL ON pms_parts.%I FROM PUBLIC, pms_app, pms_readonly', v_part);
        EXECUTE format('GRANT INSERT, SELECT ON pms_parts.%I TO pms_maintenance', v_part);
    END LOOP;
END
$$;

CREATE FUNCTION pms_meta.tenant_partition_build(p_tenant uuid, p_table text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    SET maintenance_work_mem = '256MB' SET work_mem = '64MB'
    SET max_parallel_maintenance_workers = 0 SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
    v_part text;
    v_rel regclass;
    v_ix record;
    v_name text;
    v_rows bigint;
    v_digest bytea;
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_sort text := current_setting('enable_sort');
    v_seqscan text := current_setting('enable_seqscan');
    v_fk record;
    v_ref text;
    v_keys text;
    v_refs text;
    v_match text;
    v_example text;
    v_missing bigint;
    v_missing_key text;
BEGIN
    IF NOT p_table = ANY (pms_meta.tenant_partitioned_tables()) THEN
        RAISE EXCEPTION 'tenant partitions: % is not a tenant-partitioned table', p_table USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_part := pms_meta.tenant_partition_name(p_table, p_tenant);
    v_rel := to_regclass(format('pms_parts.%I', v_part));
    IF v_rel IS NULL OR EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = v_rel) THEN
        RAISE EXCEPTION 'tenant partitions: no detached partition of % for tenant % (run tenant_partitions_prepare first)', p_table, p_tenant
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    -- As its tenant from here: the partitions have forced RLS like every table.
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    -- Rows the tenant already has in the shared partition (from before the load began) could
    -- not move into its own: said plainly. Then the shared partition's CHECK against the
    -- tenant is validated (a scan that does not block writers).
    EXECUTE format('SELECT count(*) FROM pms_parts.%I WHERE tenant_id = $1', p_table || '_default')
       INTO v_rows USING p_tenant;
    IF v_rows > 0 THEN
        RAISE EXCEPTION 'tenant partitions: tenant % already has % row(s) of % in the shared (default) partition; delete or move them, then run the load again',
            p_tenant, v_rows, p_table USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    EXECUTE format('ALTER TABLE pms_parts.%I VALIDATE CONSTRAINT %I', p_table || '_default', pms_meta.tenant_loading_check(p_tenant));
    -- One index per index of the parent, under a name of its own (deterministic: a second
    -- build of the same partition keeps the indexes of the first).
    FOR v_ix IN
        SELECT ic.relname, c.oid AS con, c.contype, pg_get_indexdef(i.indexrelid) AS def
          FROM pg_index i
          JOIN pg_class ic ON ic.oid = i.indexrelid
          LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u')
         WHERE i.indrelid = format('public.%I', p_table)::regclass
         ORDER BY c.contype NULLS LAST, ic.relname
    LOOP
        v_name := left(v_ix.relname, 40) || '_' || left(md5(p_tenant::text || v_ix.relname), 12);
        CONTINUE WHEN to_regclass(format('pms_parts.%I', v_name)) IS NOT NULL;
        IF v_ix.con IS NOT NULL THEN
            EXECUTE format('ALTER TABLE pms_parts.%I ADD CONSTRAINT %I %s', v_part, v_name, pg_get_constraintdef(v_ix.con));
        ELSE
            EXECUTE regexp_replace(v_ix.def, '^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ ',
                                   format('CREATE \1INDEX %I ON pms_parts.%I ', v_name, v_part));
        END IF;
    END LOOP;
    -- Every foreign key, set-based: the distinct keys the rows reference, each looked up in
    -- the referenced table (for a tenant-partitioned one, in this tenant's partition of it,
    -- which holds all of the tenant's rows of that table once attached). MATCH SIMPLE: a row
    -- with a NULL key column references nothing. A missing key fails the build, naming it.
    FOR v_fk IN
        SELECT c.conname, c.confrelid, c.confmatchtype, rc.relname AS ref_name,
               array_agg(a.attname::text ORDER BY k.ord) AS cols, array_agg(pa.attname::text ORDER BY k.ord) AS pcols
          FROM pg_constraint c
          JOIN pg_class rc ON rc.oid = c.confrelid
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k (col, pcol, ord)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
          JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pcol
         WHERE c.conrelid = v_rel AND c.contype = 'f' AND c.conparentid = 0
         GROUP BY c.oid, c.conname, c.confrelid, c.confmatchtype, rc.relname
         ORDER BY c.conname
    LOOP
        IF v_fk.confmatchtype <> 's' THEN
            RAISE EXCEPTION 'tenant partitions: foreign key % of % is not MATCH SIMPLE', v_fk.conname, p_table
                USING ERRCODE = 'feature_not_supported';
        END IF;
        v_ref := CASE WHEN v_fk.ref_name = ANY (pms_meta.tenant_partitioned_tables())
                      THEN format('pms_parts.%I', pms_meta.tenant_partition_name(v_fk.ref_name, p_tenant))
                      ELSE v_fk.confrelid::regclass::text END;
        -- Every row's tenant_id is the tenant (the partition's CHECK), so a key column that is
        -- tenant_id is that constant ($1): the distinct keys are the other columns, and a
        -- foreign key on tenant_id alone is one probe.
        SELECT string_agg(format('n.%I AS k%s', c, o), ', ') FILTER (WHERE c <> 'tenant_id'),
               string_agg(format('n.%I IS NOT NULL', c), ' AND ') FILTER (WHERE c <> 'tenant_id'),
               string_agg(CASE WHEN c = 'tenant_id' THEN format('p.%I = $1', pc) ELSE format('p.%I = k.k%s', pc, o) END, ' AND '),
               string_agg(CASE WHEN c = 'tenant_id' THEN '$1::text' ELSE format('k.k%s::text', o) END, ', ')
          INTO v_keys, v_refs, v_match, v_example
          FROM unnest(v_fk.cols, v_fk.pcols) WITH ORDINALITY AS u (c, pc, o);
        EXECUTE format('SELECT count(*), min(concat_ws(%L, %s)) FROM (%s) k WHERE NOT EXISTS (SELECT 1 FROM %s p WHERE %s)',
                       ', ', v_example,
                       CASE WHEN v_keys IS NULL THEN 'SELECT'
                            ELSE format('SELECT DISTINCT %s FROM pms_parts.%I n WHERE %s', v_keys, v_part, v_refs) END,
                       v_ref, v_match)
           INTO v_missing, v_missing_key USING p_tenant;
        IF v_missing > 0 THEN
            RAISE EXCEPTION 'tenant partitions: % key(s) of % reference a missing % row, e.g. (%) = (%); constraint %',
                v_missing, p_table, v_fk.ref_name, array_to_string(v_fk.cols, ', '), v_missing_key, v_fk.conname
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END LOOP;
    -- The digest of a verified bulk load (SHA-256 of the rows' binary form in id order), the
    -- rows read in that order from the primary key just built rather than sorted again.
    PERFORM set_config('enable_sort', 'off', true), set_config('enable_seqscan', 'off', true);
    EXECUTE format('SELECT count(*), sha256(coalesce(string_agg(s.r, ''''::bytea), ''''::bytea)) '
                   'FROM (SELECT record_send(t) AS r FROM pms_parts.%I t ORDER BY t.tenant_id, t.id) s', v_part)
       INTO v_rows, v_digest;
    PERFORM set_config('enable_sort', v_sort, true), set_config('enable_seqscan', v_seqscan, true);
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    INSERT INTO pms_meta.tenant_partition_builds (tenant_id, table_name, row_count, rows_sha256)
    VALUES (p_tenant, p_table, v_rows, v_digest)
    ON CONFLICT (tenant_id, table_name) DO UPDATE
       SET row_count = EXCLUDED.row_count, rows_sha256 = EXCLUDED.rows_sha256, built_at = now();
    RETURN v_rows;
END
$$;

CREATE FUNCTION pms_meta.tenant_partitions_attach(p_tenant uuid, p_batch text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    SET maintenance_work_mem = '256MB' AS $$
DECLARE
    v_table text;
    v_part text;
    v_build record;
    v_rows bigint := 0;
    v_saved_tenant text := current_setting('app.tenant_id', true);
BEGIN
    IF coalesce(p_batch, '') = '' THEN
        RAISE EXCEPTION 'tenant partitions: name the load (p_batch)' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- As the tenant: the foreign-key validation of ATTACH PARTITION runs its join under the
    -- tables' forced RLS, so with no tenant set it would see no rows, and check nothing.
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    FOREACH v_table IN ARRAY pms_meta.tenant_partitioned_tables() LOOP
        v_part := pms_meta.tenant_partition_name(v_table, p_tenant);
        IF to_regclass(format('pms_parts.%I', v_part)) IS NULL THEN
            RAISE EXCEPTION 'tenant partitions: no partition of % for tenant % to attach', v_table, p_tenant
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        SELECT * INTO v_build FROM pms_meta.tenant_partition_builds WHERE tenant_id = p_tenant AND table_name = v_table;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'tenant partitions: the partition of % for tenant % is not built (pms_meta.tenant_partition_build)', v_table, p_tenant
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        -- Rows the tenant has in the shared partition cannot move into its own: said plainly
        -- (the build checked already; ATTACH would refuse them too).
        EXECUTE format('SELECT count(*) FROM pms_parts.%I WHERE tenant_id = $1', v_table || '_default')
           INTO v_rows USING p_tenant;
        IF v_rows > 0 THEN
            RAISE EXCEPTION 'tenant partitions: tenant % already has % row(s) of % in the shared (default) partition; delete or move them, then run the load again',
                p_tenant, v_rows, v_table USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION pms_parts.%I FOR VALUES IN (%L)', v_table, v_part, p_tenant);
        -- The partition bound now keeps the tenant's rows out of the shared partition.
        EXECUTE format('ALTER TABLE pms_parts.%I DROP CONSTRAINT IF EXISTS %I', v_table || '_default',
                       pms_meta.tenant_loading_check(p_tenant));
        -- Rows inserted after the build (nothing but the loader can insert) would make the
        -- recorded digest wrong: refuse.
        EXECUTE format('SELECT count(*) FROM pms_parts.%I', v_part) INTO v_rows;
        IF v_rows <> v_build.row_count THEN
            RAISE EXCEPTION 'tenant partitions: % has % rows, % when it was built; build it again', v_part, v_rows, v_build.row_count
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        EXECUTE format('REVOKE ALL ON pms_parts.%I FROM pms_maintenance', v_part);
        INSERT INTO pms_meta.bulk_loads (tenant_id, batch, table_name, row_count, rows_sha256)
        VALUES (p_tenant, left(p_batch, 200), v_table, v_build.row_count, v_build.rows_sha256);
        DELETE FROM pms_meta.tenant_partition_builds WHERE tenant_id = p_tenant AND table_name = v_table;
    END LOOP;
    SELECT coalesce(sum(b.row_count), 0) INTO v_rows FROM pms_meta.bulk_loads b
     WHERE b.tenant_id = p_tenant AND b.batch = left(p_batch, 200);
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN v_rows;
END
$$;

REVOKE ALL ON FUNCTION pms_meta.tenant_partitions_prepare(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION pms_meta.tenant_partition_build(uuid, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION pms_meta.tenant_partitions_attach(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_meta.tenant_partitions_prepare(uuid) TO pms_maintenance;
GRANT EXECUTE ON FUNCTION pms_meta.tenant_partition_build(uuid, text) TO pms_maintenance;
GRANT EXECUTE ON FUNCTION pms_meta.tenant_partitions_attach(uuid, text) TO pms_maintenance;
GRANT USAGE ON SCHEMA pms_parts TO pms_maintenance;
