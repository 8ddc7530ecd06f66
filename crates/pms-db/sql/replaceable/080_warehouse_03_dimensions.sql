-- Warehouse sync, the type-1 dimensions (tenant, team, review cycle, competency) and the date
-- dimension, and the per-run scratch tables every sync function shares.

-- The scratch tables of one sync run (dropped at its commit or rollback).
CREATE OR REPLACE FUNCTION warehouse.sync_prepare() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS wh_changed (id uuid PRIMARY KEY) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_current (id uuid PRIMARY KEY, state jsonb NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_current_deleted (id uuid PRIMARY KEY, state jsonb NOT NULL) ON COMMIT DROP;
    -- People and departments whose versions changed in this pass, and from when: facts at or
    -- after since_at may now point at another version (earlier ones cannot).
    CREATE TEMP TABLE IF NOT EXISTS wh_changed_users (id uuid PRIMARY KEY, since_at timestamptz NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_changed_departments (id uuid PRIMARY KEY, since_at timestamptz NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_ids (id uuid PRIMARY KEY) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_buckets (bucket timestamptz PRIMARY KEY) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_user_versions (
        user_id uuid NOT NULL, valid_from timestamptz NOT NULL, valid_to timestamptz NOT NULL,
        email text, display_name text, employee_number text, hire_date date, department_id uuid,
        manager_id uuid, level smallint, job_title text, location text, employment_type text,
        employment_status text, termination_date date, deleted_at timestamptz,
        PRIMARY KEY (user_id, valid_from)) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS wh_department_versions (
        department_id uuid NOT NULL, valid_from timestamptz NOT NULL, valid_to timestamptz NOT NULL,
        code text, name text, parent_id uuid, head_id uuid, deleted_at timestamptz,
        PRIMARY KEY (department_id, valid_from)) ON COMMIT DROP;
END
$$;

-- Starts a tenant's pass: the sets of changed people and departments are per tenant.
CREATE OR REPLACE FUNCTION warehouse.sync_tenant_begin(p_tenant uuid, p_full boolean) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_n bigint := 0;
    v_m bigint;
    t text;
BEGIN
    PERFORM warehouse.sync_prepare();
    TRUNCATE wh_changed_users, wh_changed_departments;
    IF p_full THEN
        -- From scratch: facts first (they point at the dimensions; the tenant's own leaves of
        -- the partitioned ones are dropped whole), then dimensions, watermarks.
        FOREACH t IN ARRAY warehouse.partitioned_facts() LOOP
            v_n := v_n + warehouse.drop_tenant_leaves(t, p_tenant);
        END LOOP;
        FOREACH t IN ARRAY ARRAY['fact_performance_review', 'fact_feedback', 'fact_engagement', 'fact_goal_progress',
                                 'fact_performance_daily', 'dim_user', 'dim_department', 'dim_team', 'dim_review_cycle',
                                 'dim_competency', 'dim_date', 'dim_tenant', 'sync_watermarks'] LOOP
            EXECUTE format('DELETE FROM warehouse.%I WHERE tenant_id = $1', t) USING p_tenant;
            GET DIAGNOSTICS v_m = ROW_COUNT;
            v_n := v_n + v_m;
        END LOOP;
    END IF;
    RETURN v_n;
END
$$;

CREATE OR REPLACE FUNCTION warehouse.sync_dim_tenant(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_n bigint;
BEGIN
    INSERT INTO warehouse.dim_tenant AS d (tenant_id, slug, name, plan, status, fiscal_year_start_month)
    SELECT t.id, t.slug, t.name, t.plan, t.status,
           CASE WHEN t.settings ->> 'fiscal_year_start_month' ~ '^(1[0-2]|[1-9])$'
                THEN (t.settings ->> 'fiscal_year_start_month')::smallint ELSE 1 END
    FROM public.tenants t WHERE t.id = p_tenant AND t.updated_at >= p_since
    ON CONFLICT (tenant_id) DO UPDATE
       SET slug = excluded.slug, name = excluded.name, plan = excluded.plan, status = excluded.status,
           fiscal_year_start_month = excluded.fiscal_year_start_month
     WHERE (d.slug, d.name, d.plan, d.status, d.fiscal_year_start_month)
           IS DISTINCT FROM (excluded.slug, excluded.name, excluded.plan, excluded.status, excluded.fiscal_year_start_month);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

CREATE OR REPLACE FUNCTION warehouse.sync_dim_team(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_since timestamptz := CASE WHEN warehouse.bulk_loaded(p_tenant, 'teams', p_since) THEN '-infinity' ELSE p_since END;
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_ids;
    INSERT INTO wh_ids SELECT x FROM warehouse.audited_ids(p_tenant, 'Team', v_since) x;
    DELETE FROM warehouse.dim_team d WHERE d.tenant_id = p_tenant AND d.team_id IN (SELECT id FROM wh_ids)
       AND NOT EXISTS (SELECT 1 FROM public.teams t WHERE t.tenant_id = p_tenant AND t.id = d.team_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.dim_team AS d (tenant_id, team_id, code, name, team_type, department_id)
    SELECT t.tenant_id, t.id, t.code, t.name, t.team_type, t.department_id
    FROM public.teams t WHERE t.tenant_id = p_tenant AND t.updated_at >= v_since
    ON CONFLICT (tenant_id, team_id) DO UPDATE
       SET code = excluded.code, name = excluded.name, team_type = excluded.team_type, department_id = excluded.department_id
     WHERE (d.code, d.name, d.team_type, d.department_id)
           IS DISTINCT FROM (excluded.code, excluded.name, excluded.team_type, excluded.department_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

CREATE OR REPLACE FUNCTION warehouse.sync_dim_review_cycle(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_n bigint;
    v_total bigint := 0;
BEGIN
    DELETE FROM warehouse.dim_review_cycle d
     WHERE d.tenant_id = p_tenant
       AND d.cycle_id IN (SELECT s.row_id FROM warehouse.tombstones s WHERE s.tenant_id = p_tenant
                            AND s.source_table = 'review_cycles' AND s.deleted_at >= p_since)
       AND NOT EXISTS (SELECT 1 FROM public.review_cycles c WHERE c.tenant_id = p_tenant AND c.id = d.cycle_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.dim_review_cycle AS d (tenant_id, cycle_id, name, cycle_type, status, period_start, period_end)
    SELECT c.tenant_id, c.id, c.name, c.cycle_type, c.status, c.period_start, c.period_end
    FROM public.review_cycles c WHERE c.tenant_id = p_tenant AND c.updated_at >= p_since
    ON CONFLICT (tenant_id, cycle_id) DO UPDATE
       SET name = excluded.name, cycle_type = excluded.cycle_type, status = excluded.status,
           period_start = excluded.period_start, period_end = excluded.period_end
     WHERE (d.name, d.cycle_type, d.status, d.period_start, d.period_end)
           IS DISTINCT FROM (excluded.name, excluded.cycle_type, excluded.status, excluded.period_start, excluded.period_end);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

CREATE OR REPLACE FUNCTION warehouse.sync_dim_competency(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_n bigint;
    v_total bigint := 0;
BEGIN
    DELETE FROM warehouse.dim_competency d
     WHERE d.tenant_id = p_tenant
       AND d.competency_id IN (SELECT s.row_id FROM warehouse.tombstones s WHERE s.tenant_id = p_tenant
                                 AND s.source_table = 'competencies' AND s.deleted_at >= p_since)
       AND NOT EXISTS (SELECT 1 FROM public.competencies c WHERE c.tenant_id = p_tenant AND c.id = d.competency_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.dim_competency AS d (tenant_id, competency_id, framework_id, code, name, category)
    SELECT c.tenant_id, c.id, c.framework_id, c.code, c.name, c.category
    FROM public.competencies c WHERE c.tenant_id = p_tenant AND c.updated_at >= p_since
    ON CONFLICT (tenant_id, competency_id) DO UPDATE
       SET framework_id = excluded.framework_id, code = excluded.code, name = excluded.name, category = excluded.category
     WHERE (d.framework_id, d.code, d.name, d.category)
           IS DISTINCT FROM (excluded.framework_id, excluded.code, excluded.name, excluded.category);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_total + v_n;
END
$$;

-- The calendar over the span of the tenant's facts (first to last day, no gaps), with fiscal
-- year and quarter from the tenant's fiscal_year_start_month (a fiscal year is named for the
-- calendar year it ends in). Days outside the span go.
CREATE OR REPLACE FUNCTION warehouse.sync_dim_date(p_tenant uuid) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_lo integer;
    v_hi integer;
    v_n bigint;
    v_total bigint := 0;
BEGIN
    SELECT min(lo), max(hi) INTO v_lo, v_hi FROM (
        SELECT min(date_key) AS lo, max(date_key) AS hi FROM warehouse.fact_performance_review WHERE tenant_id = p_tenant
        UNION ALL SELECT min(date_key), max(date_key) FROM warehouse.fact_feedback WHERE tenant_id = p_tenant
        UNION ALL SELECT min(date_key), max(date_key) FROM warehouse.fact_engagement WHERE tenant_id = p_tenant
        UNION ALL SELECT min(date_key), max(date_key) FROM warehouse.fact_goal_progress WHERE tenant_id = p_tenant
        UNION ALL SELECT min(date_key), max(date_key) FROM warehouse.fact_performance_daily WHERE tenant_id = p_tenant) s;
    DELETE FROM warehouse.dim_date d WHERE d.tenant_id = p_tenant
       AND (v_lo IS NULL OR d.date_key < v_lo OR d.date_key > v_hi);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    IF v_lo IS NULL THEN
        RETURN v_total;
    END IF;
    RETURN v_total + warehouse.insert_dim_dates(p_tenant, v_lo, v_hi);
END
$$;

-- The days p_lo..p_hi (date keys) of the tenant's calendar, inserted or given the tenant's
-- current fiscal year; returns the rows written. Also used before a load attaches facts (whose
-- foreign key to dim_date is then checked at once, not at commit).
CREATE OR REPLACE FUNCTION warehouse.insert_dim_dates(p_tenant uuid, p_lo integer, p_hi integer) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_fm smallint := coalesce((SELECT fiscal_year_start_month FROM warehouse.dim_tenant WHERE tenant_id = p_tenant), 1);
    v_n bigint;
BEGIN
    IF p_lo IS NULL OR p_hi IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO warehouse.dim_date AS d (tenant_id, date_key, date, year, quarter, month, day, iso_week, day_of_week,
                                         is_weekend, month_start, fiscal_year, fiscal_quarter)
    SELECT p_tenant, warehouse.date_key(g::date), g::date, extract(year FROM g), extract(quarter FROM g),
           extract(month FROM g), extract(day FROM g), extract(week FROM g), extract(isodow FROM g),
           extract(isodow FROM g) >= 6, date_trunc('month', g)::date,
           extract(year FROM g) + CASE WHEN v_fm > 1 AND extract(month FROM g) >= v_fm THEN 1 ELSE 0 END,
           ((extract(month FROM g)::int - v_fm + 12) % 12) / 3 + 1
    FROM generate_series(to_date(p_lo::text, 'YYYYMMDD')::timestamp, to_date(p_hi::text, 'YYYYMMDD')::timestamp,
                         interval '1 day') g
    ON CONFLICT (tenant_id, date_key) DO UPDATE
       SET fiscal_year = excluded.fiscal_year, fiscal_quarter = excluded.fiscal_quarter
     WHERE (d.fiscal_year, d.fiscal_quarter) IS DISTINCT FROM (excluded.fiscal_year, excluded.fiscal_quarter);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;
