-- Tenant partitions of a verified seed: the build (indexes in one sorted pass, foreign keys
-- checked by one hash anti-join each, the row count recorded) and the attach (the loader's
-- digests recorded in pms_meta.bulk_loads, all partitions attached in one transaction). Last
-- restated in 20261129100000_cheaper_partition_builds.sql (see its header); they live here
-- now, re-applied when their text changes.

CREATE OR REPLACE FUNCTION pms_meta.tenant_partition_build(p_tenant uuid, p_table text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    SET maintenance_work_mem = '256MB' SET work_mem = '128MB'
    SET max_parallel_maintenance_workers = 0 SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
    v_part text;
    v_rel regclass;
    v_ix record;
    v_name text;
    v_rows bigint;
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_nestloop text := current_setting('enable_nestloop');
    v_mergejoin text := current_setting('enable_mergejoin');
    v_fk record;
    v_ref text;
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
    -- Every foreign key, set-based: one hash anti-join of the partition's rows against the
    -- referenced rows of the tenant (for a tenant-partitioned table, its partition of this
    -- tenant, which holds all of the tenant's rows of that table once attached). MATCH SIMPLE:
    -- a row with a NULL key column references nothing. A missing key fails the build, naming
    -- one.
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
        -- tenant_id is that constant ($1): the rows are matched on the other columns, and a
        -- foreign key on tenant_id alone is one probe.
        SELECT string_agg(format('n.%I IS NOT NULL', c), ' AND ') FILTER (WHERE c <> 'tenant_id'),
               string_agg(CASE WHEN c = 'tenant_id' THEN format('p.%I = $1', pc) ELSE format('p.%I = n.%I', pc, c) END, ' AND '),
               string_agg(CASE WHEN c = 'tenant_id' THEN '$1::text' ELSE format('n.%I::text', c) END, ', ')
          INTO v_refs, v_match, v_example
          FROM unnest(v_fk.cols, v_fk.pcols) WITH ORDINALITY AS u (c, pc, o);
        PERFORM set_config('enable_nestloop', 'off', true), set_config('enable_mergejoin', 'off', true);
        EXECUTE format('SELECT count(*), min(concat_ws(%L, %s)) FROM %s n WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)',
                       ', ', v_example,
                       CASE WHEN v_refs IS NULL THEN '(SELECT) AS'
                            ELSE format('pms_parts.%I', v_part) END,
                       coalesce(v_refs, 'true'), v_ref, v_match)
           INTO v_missing, v_missing_key USING p_tenant;
        PERFORM set_config('enable_nestloop', v_nestloop, true), set_config('enable_mergejoin', v_mergejoin, true);
        IF v_missing > 0 THEN
            RAISE EXCEPTION 'tenant partitions: % row(s) of % reference a missing % row, e.g. (%) = (%); constraint %',
                v_missing, p_table, v_fk.ref_name, array_to_string(v_fk.cols, ', '), v_missing_key, v_fk.conname
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END LOOP;
    -- The row count, recorded with the loader's digest at the attach.
    EXECUTE format('SELECT count(*) FROM pms_parts.%I', v_part) INTO v_rows;
    -- Recorded under the tenant (the ledger is under the tenant rule too), then the caller's
    -- tenant is back.
    INSERT INTO pms_meta.tenant_partition_builds (tenant_id, table_name, row_count)
    VALUES (p_tenant, p_table, v_rows)
    ON CONFLICT (tenant_id, table_name) DO UPDATE
       SET row_count = EXCLUDED.row_count, built_at = now();
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    -- Built and checked: nothing more comes in (the attach records this count without
    -- counting again).
    EXECUTE format('REVOKE INSERT ON pms_parts.%I FROM pms_maintenance', v_part);
    RETURN v_rows;
END
$$;

REVOKE ALL ON FUNCTION pms_meta.tenant_partition_build(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_meta.tenant_partition_build(uuid, text) TO pms_maintenance;

CREATE OR REPLACE FUNCTION pms_meta.tenant_partitions_attach(p_tenant uuid, p_batch text, p_digests jsonb) RETURNS bigint
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
    -- The loader's SHA-256 of what it loaded, per table, before anything is attached.
    SELECT string_agg(t, ', ') INTO v_part
      FROM unnest(pms_meta.tenant_partitioned_tables()) AS t
     WHERE jsonb_typeof(p_digests -> t) IS DISTINCT FROM 'string' OR (p_digests ->> t) !~ '^[0-9a-f]{64}$';
    IF v_part IS NOT NULL THEN
        RAISE EXCEPTION 'tenant partitions: no digest for % (p_digests: the SHA-256 of each table''s load, 64 lowercase hex digits, by table name)', v_part
            USING ERRCODE = 'invalid_parameter_value';
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
        -- No row came in after the build: it took the loader's INSERT privilege away.
        EXECUTE format('REVOKE ALL ON pms_parts.%I FROM pms_maintenance', v_part);
        INSERT INTO pms_meta.bulk_loads (tenant_id, batch, table_name, row_count, rows_sha256)
        VALUES (p_tenant, left(p_batch, 200), v_table, v_build.row_count, decode(p_digests ->> v_table, 'hex'));
        DELETE FROM pms_meta.tenant_partition_builds WHERE tenant_id = p_tenant AND table_name = v_table;
    END LOOP;
    SELECT coalesce(sum(b.row_count), 0) INTO v_rows FROM pms_meta.bulk_loads b
     WHERE b.tenant_id = p_tenant AND b.batch = left(p_batch, 200);
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN v_rows;
END
$$;

REVOKE ALL ON FUNCTION pms_meta.tenant_partitions_attach(uuid, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_meta.tenant_partitions_attach(uuid, text, jsonb) TO pms_maintenance;
