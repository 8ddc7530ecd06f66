-- The month partitions of the partitioned facts (migration 20261223100000), and the fast path of
-- a full load into them.
--
-- Layout: <table> RANGE (date_key) -> <table>_<yyyymm> LIST (tenant_id) -> the shared DEFAULT
-- leaf <table>_<yyyymm>_shared, and leaves of their own <table>_<yyyymm>_t<tenant hex>. Every
-- level has forced RLS with the tenant policy and the star's grants (pms_readonly reads,
-- pms_maintenance writes), like the parent.
--
-- Loading rows a tenant does not have yet (a first pass, --full): the months where the tenant
-- brings at least warehouse.tenant_leaf_rows() rows get leaves of their own, created detached
-- under a private loading table partitioned the same way, filled by one INSERT, then attached
-- to their month. ATTACH PARTITION builds each index of the parent in one sorted pass over the
-- leaf and checks each foreign key with one anti-join (instead of one index descent per index
-- and one lookup per key and row at commit); its scan of the leaf is skipped (the leaf's CHECK
-- implies its bounds). The tenant's rows of that month already in the shared leaf (another
-- source's) move into its own leaf first. The other months take the rows through the parent.
--
-- Locks: creating a month takes an ACCESS EXCLUSIVE lock on the parent, attaching a leaf one on
-- the month's shared leaf (whose implied bound changes; it is scanned for the tenant's rows),
-- dropping a tenant's leaves (--full) one on their month: held to the pass's commit, they make
-- readers of those tables wait for a first pass, a month's first rows or a --full, never for
-- an ordinary incremental pass.

-- The partitioned facts.
CREATE OR REPLACE FUNCTION warehouse.partitioned_facts() RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['fact_engagement', 'fact_goal_progress', 'fact_performance_daily']
$$;

-- From how many rows of one tenant and month a load gives them a leaf of their own
-- (`pms.warehouse_tenant_leaf_rows`, default 20000).
CREATE OR REPLACE FUNCTION warehouse.tenant_leaf_rows() RETURNS bigint
    LANGUAGE sql STABLE AS $$
    SELECT greatest(1, coalesce(nullif(current_setting('pms.warehouse_tenant_leaf_rows', true), '')::bigint, 20000))
$$;

-- The date_key bounds [lo, hi) of a month given as yyyymm.
CREATE OR REPLACE FUNCTION warehouse.month_bounds(p_month integer, OUT lo integer, OUT hi integer)
    LANGUAGE sql IMMUTABLE AS $$
    SELECT p_month * 100,
           CASE WHEN p_month % 100 = 12 THEN (p_month / 100 + 1) * 100 + 1 ELSE p_month + 1 END * 100
$$;

-- The suffix of a tenant's own leaves.
CREATE OR REPLACE FUNCTION warehouse.tenant_suffix(p_tenant uuid) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT '_t' || replace(p_tenant::text, '-', '')
$$;

-- Forced RLS with the tenant policy on a partition (its grants come from the schema's default
-- privileges). Called by the definer functions below, as the owner.
CREATE OR REPLACE FUNCTION warehouse.secure_partition(p_rel regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM pms_meta.enable_tenant_rls(p_rel);
    EXECUTE format('REVOKE TRUNCATE, REFERENCES, TRIGGER ON %s FROM PUBLIC, pms_maintenance, pms_readonly', p_rel);
END
$$;
REVOKE EXECUTE ON FUNCTION warehouse.secure_partition(regclass) FROM PUBLIC;

CREATE OR REPLACE FUNCTION warehouse.check_partitioned_fact(p_table text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_table IS NULL OR NOT p_table = ANY (warehouse.partitioned_facts()) THEN
        RAISE EXCEPTION 'warehouse.%s is not a partitioned fact', p_table USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

-- Creates the month partitions (and their shared leaves) of p_table that p_months (yyyymm)
-- lack; returns how many it created.
CREATE OR REPLACE FUNCTION warehouse.ensure_fact_months(p_table text, p_months integer[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_month integer;
    v_part text;
    b record;
    v_n integer := 0;
BEGIN
    PERFORM warehouse.check_partitioned_fact(p_table);
    FOR v_month IN SELECT DISTINCT m FROM unnest(p_months) m WHERE m IS NOT NULL ORDER BY 1 LOOP
        IF v_month % 100 NOT BETWEEN 1 AND 12 OR v_month NOT BETWEEN 100001 AND 999912 THEN
            RAISE EXCEPTION 'not a month: %', v_month USING ERRCODE = 'invalid_parameter_value';
        END IF;
        v_part := p_table || '_' || v_month;
        CONTINUE WHEN to_regclass(format('warehouse.%I', v_part)) IS NOT NULL;
        SELECT * INTO b FROM warehouse.month_bounds(v_month);
        EXECUTE format('CREATE TABLE warehouse.%I PARTITION OF warehouse.%I FOR VALUES FROM (%s) TO (%s) PARTITION BY LIST (tenant_id)',
                       v_part, p_table, b.lo, b.hi);
        EXECUTE format('CREATE TABLE warehouse.%I PARTITION OF warehouse.%I DEFAULT', v_part || '_shared', v_part);
        PERFORM warehouse.secure_partition(format('warehouse.%I', v_part)::regclass);
        PERFORM warehouse.secure_partition(format('warehouse.%I', v_part || '_shared')::regclass);
        v_n := v_n + 1;
    END LOOP;
    RETURN v_n;
END
$$;
REVOKE EXECUTE ON FUNCTION warehouse.ensure_fact_months(text, integer[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION warehouse.ensure_fact_months(text, integer[]) TO pms_maintenance;

-- The months (yyyymm) where p_tenant has a leaf of its own in p_table.
CREATE OR REPLACE FUNCTION warehouse.tenant_leaf_months(p_table text, p_tenant uuid) RETURNS integer[]
    LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT coalesce(array_agg(substr(c.relname, length(p_table) + 2, 6)::integer ORDER BY c.relname), '{}')
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'warehouse' AND c.relispartition
       AND c.relname = p_table || '_' || substr(c.relname, length(p_table) + 2, 6) || warehouse.tenant_suffix(p_tenant)
$$;

-- Drops p_tenant's own leaves of p_table (a --full rebuild); returns the rows they held.
CREATE OR REPLACE FUNCTION warehouse.drop_tenant_leaves(p_table text, p_tenant uuid) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_saved text := current_setting('app.tenant_id', true);
    v_month integer;
    v_leaf text;
    v_n bigint;
    v_total bigint := 0;
BEGIN
    PERFORM warehouse.check_partitioned_fact(p_table);
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    FOREACH v_month IN ARRAY warehouse.tenant_leaf_months(p_table, p_tenant) LOOP
        v_leaf := p_table || '_' || v_month || warehouse.tenant_suffix(p_tenant);
        EXECUTE format('SELECT count(*) FROM warehouse.%I', v_leaf) INTO v_n;
        EXECUTE format('DROP TABLE warehouse.%I', v_leaf);
        v_total := v_total + v_n;
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(v_saved, ''), true);
    RETURN v_total;
END
$$;
REVOKE EXECUTE ON FUNCTION warehouse.drop_tenant_leaves(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION warehouse.drop_tenant_leaves(text, uuid) TO pms_maintenance;

-- The private loading table of p_table: partitioned by month like it, with a detached leaf of
-- p_tenant's own per month of p_months under it; its surrogate key draws from the parent's
-- identity. Only pms_maintenance may insert into it; it is gone at the end of the load.
CREATE OR REPLACE FUNCTION warehouse.tenant_leaves_prepare(p_table text, p_tenant uuid, p_months integer[]) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_load text := p_table || '_loading';
    v_key text := (SELECT a.attname FROM pg_attribute a
                    WHERE a.attrelid = format('warehouse.%I', p_table)::regclass AND a.attidentity <> '' AND NOT a.attisdropped);
    v_month integer;
    v_leaf text;
    b record;
BEGIN
    PERFORM warehouse.check_partitioned_fact(p_table);
    PERFORM warehouse.ensure_fact_months(p_table, p_months);
    EXECUTE format('DROP TABLE IF EXISTS warehouse.%I', v_load);
    EXECUTE format('CREATE TABLE warehouse.%I (LIKE warehouse.%I INCLUDING DEFAULTS) PARTITION BY RANGE (date_key)', v_load, p_table);
    EXECUTE format('ALTER TABLE warehouse.%I ALTER COLUMN %I SET DEFAULT nextval(%L)', v_load, v_key,
                   pg_get_serial_sequence(format('warehouse.%I', p_table), v_key));
    PERFORM warehouse.secure_partition(format('warehouse.%I', v_load)::regclass);
    EXECUTE format('REVOKE ALL ON warehouse.%I FROM PUBLIC, pms_readonly, pms_maintenance', v_load);
    EXECUTE format('GRANT INSERT ON warehouse.%I TO pms_maintenance', v_load);
    FOR v_month IN SELECT DISTINCT m FROM unnest(p_months) m WHERE m IS NOT NULL ORDER BY 1 LOOP
        IF v_month = ANY (warehouse.tenant_leaf_months(p_table, p_tenant)) THEN
            RAISE EXCEPTION 'tenant % already has a leaf of its own in warehouse.% for %', p_tenant, p_table, v_month
                USING ERRCODE = 'duplicate_object';
        END IF;
        SELECT * INTO b FROM warehouse.month_bounds(v_month);
        v_leaf := p_table || '_' || v_month || warehouse.tenant_suffix(p_tenant);
        EXECUTE format('CREATE TABLE warehouse.%I (LIKE warehouse.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_leaf, p_table);
        -- Implies the leaf's partition bound, so ATTACH PARTITION does not scan it.
        EXECUTE format('ALTER TABLE warehouse.%I ADD CONSTRAINT tenant_month CHECK (tenant_id = %L::uuid AND date_key >= %s AND date_key < %s)',
                       v_leaf, p_tenant, b.lo, b.hi);
        PERFORM warehouse.secure_partition(format('warehouse.%I', v_leaf)::regclass);
        EXECUTE format('ALTER TABLE warehouse.%I ATTACH PARTITION warehouse.%I FOR VALUES FROM (%s) TO (%s)',
                       v_load, v_leaf, b.lo, b.hi);
    END LOOP;
    RETURN v_load;
END
$$;
REVOKE EXECUTE ON FUNCTION warehouse.tenant_leaves_prepare(text, uuid, integer[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION warehouse.tenant_leaves_prepare(text, uuid, integer[]) TO pms_maintenance;

-- Moves the filled leaves of the loading table to their months (indexes built, foreign keys
-- checked, by ATTACH PARTITION) and drops the loading table. The foreign-key checks of ATTACH
-- run as the owner, under the forced RLS of both sides: the tenant is set for them (the leaf's
-- CHECK holds only its rows, and every foreign key carries tenant_id).
CREATE OR REPLACE FUNCTION warehouse.tenant_leaves_attach(p_table text, p_tenant uuid) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    SET maintenance_work_mem = '256MB' SET max_parallel_maintenance_workers = 0
    -- The foreign-key checks of ATTACH as hash anti-joins (the new leaf has no statistics yet).
    SET enable_nestloop = off SET work_mem = '64MB' AS $$
DECLARE
    v_saved text := current_setting('app.tenant_id', true);
    v_load text := p_table || '_loading';
    v_leaf text;
    v_n integer := 0;
BEGIN
    PERFORM warehouse.check_partitioned_fact(p_table);
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    FOR v_leaf IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                   WHERE i.inhparent = format('warehouse.%I', v_load)::regclass ORDER BY c.relname LOOP
        EXECUTE format('ALTER TABLE warehouse.%I DETACH PARTITION warehouse.%I', v_load, v_leaf);
        EXECUTE format('ALTER TABLE warehouse.%I ATTACH PARTITION warehouse.%I FOR VALUES IN (%L)',
                       p_table || '_' || substr(v_leaf, length(p_table) + 2, 6), v_leaf, p_tenant);
        v_n := v_n + 1;
    END LOOP;
    EXECUTE format('DROP TABLE warehouse.%I', v_load);
    PERFORM set_config('app.tenant_id', coalesce(v_saved, ''), true);
    RETURN v_n;
END
$$;
REVOKE EXECUTE ON FUNCTION warehouse.tenant_leaves_attach(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION warehouse.tenant_leaves_attach(text, uuid) TO pms_maintenance;

-- Inserts staged rows of p_tenant into p_table (p_cols: the staged columns, the fact's columns
-- but tenant_id and the surrogate key) where none of them can conflict with a row already there
-- (a source read whole, of which the tenant has no fact yet): months with enough rows and no
-- leaf of the tenant's own yet get one (see the top of this file); the rest go through the
-- parent. Returns the rows inserted.
CREATE OR REPLACE FUNCTION warehouse.load_facts(p_table text, p_tenant uuid, p_stage text, p_cols text) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_months integer[];
    v_own integer[];
    v_load text;
    v_n bigint;
    v_total bigint := 0;
BEGIN
    PERFORM warehouse.check_partitioned_fact(p_table);
    EXECUTE format('SELECT array_agg(m ORDER BY m), array_agg(m ORDER BY m) FILTER (WHERE n >= $1 AND NOT m = ANY ($2))
                      FROM (SELECT date_key / 100 AS m, count(*) AS n FROM %I GROUP BY 1) s', p_stage)
       INTO v_months, v_own USING warehouse.tenant_leaf_rows(), warehouse.tenant_leaf_months(p_table, p_tenant);
    IF v_months IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM warehouse.ensure_fact_months(p_table, v_months);
    IF v_own IS NOT NULL THEN
        v_load := warehouse.tenant_leaves_prepare(p_table, p_tenant, v_own);
        EXECUTE format('WITH moved AS (DELETE FROM warehouse.%I f WHERE f.tenant_id = $1 AND f.date_key / 100 = ANY ($2) RETURNING f.*)
                        INSERT INTO warehouse.%I SELECT * FROM moved', p_table, v_load)
          USING p_tenant, v_own;
        EXECUTE format('INSERT INTO warehouse.%I (tenant_id, %s) SELECT $1, %s FROM %I WHERE date_key / 100 = ANY ($2)',
                       v_load, p_cols, p_cols, p_stage)
          USING p_tenant, v_own;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_total := v_n;
        -- The days the attached rows point at (their foreign key is checked at the attach).
        EXECUTE format('SELECT warehouse.insert_dim_dates($1, min(date_key), max(date_key)) FROM %I WHERE date_key / 100 = ANY ($2)', p_stage)
           INTO v_n USING p_tenant, v_own;
        v_total := v_total + v_n;
        PERFORM warehouse.tenant_leaves_attach(p_table, p_tenant);
    END IF;
    EXECUTE format('INSERT INTO warehouse.%I (tenant_id, %s) SELECT $1, %s FROM %I WHERE NOT date_key / 100 = ANY ($2)',
                   p_table, p_cols, p_cols, p_stage)
      USING p_tenant, coalesce(v_own, '{}');
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

-- Before rows go through the parent: the months they need.
CREATE OR REPLACE FUNCTION warehouse.ensure_staged_months(p_table text, p_stage text) RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_months integer[];
BEGIN
    EXECUTE format('SELECT array_agg(DISTINCT date_key / 100) FROM %I', p_stage) INTO v_months;
    RETURN coalesce(warehouse.ensure_fact_months(p_table, v_months), 0);
END
$$;

GRANT EXECUTE ON FUNCTION warehouse.partitioned_facts(), warehouse.tenant_leaf_rows(), warehouse.month_bounds(integer),
    warehouse.tenant_suffix(uuid), warehouse.check_partitioned_fact(text), warehouse.tenant_leaf_months(text, uuid),
    warehouse.load_facts(text, uuid, text, text), warehouse.ensure_staged_months(text, text) TO pms_maintenance;

-- Statistics for a source read whole: the dimensions it joins (loaded earlier in this very
-- transaction, so their statistics still say empty) and the rollup it reads (often not yet
-- analyzed after a refresh). Without them the planner builds its hash tables on the wrong side
-- of million-row joins. ANALYZE needs the owner; run as it.
CREATE OR REPLACE FUNCTION warehouse.analyze_for_load(p_source text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_rollup regclass := CASE p_source
        WHEN 'performance_daily' THEN to_regclass('timeseries.performance_metrics_daily_mat')
        WHEN 'engagement_weekly' THEN to_regclass('timeseries.engagement_metrics_weekly_mat') END;
BEGIN
    ANALYZE warehouse.dim_user;
    ANALYZE warehouse.dim_department;
    IF v_rollup IS NOT NULL AND (SELECT relkind FROM pg_class WHERE oid = v_rollup) IN ('r', 'p') THEN
        EXECUTE format('ANALYZE %s', v_rollup);
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION warehouse.analyze_for_load(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION warehouse.analyze_for_load(text) TO pms_maintenance;
