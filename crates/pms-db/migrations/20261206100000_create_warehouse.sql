-- The data warehouse: a star schema in schema `warehouse` of the platform database, filled by
-- `pms warehouse sync` (functions in sql/replaceable/080_warehouse_*.sql).
--
-- * Dimensions: dim_tenant, dim_date, dim_user and dim_department (slowly changing, type 2:
--   one row per version, [valid_from, valid_to), at most one current row and no overlap, both
--   enforced here), dim_team, dim_review_cycle, dim_competency (type 1).
-- * Facts: fact_performance_review, fact_engagement, fact_feedback, fact_goal_progress,
--   fact_performance_daily; surrogate keys, foreign keys to the dimensions (deferred to
--   commit: a sync re-points facts and replaces dimension versions in one transaction).
-- * Bookkeeping: per-tenant, per-source watermarks, the runs, and the change logs the sync
--   reads for sources the audit trail does not cover (tombstones of hard deletes, changed
--   rollup buckets).
--
-- Every table carries tenant_id with forced RLS. The facts hold ratings (person-sensitive):
-- pms_readonly (reporting, one tenant at a time through RLS) and pms_maintenance (the sync)
-- read them; pms_app has no right on the schema, so the warehouse is never a way around the
-- visibility policies of the OLTP tables.

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE SCHEMA warehouse AUTHORIZATION pms_owner;
COMMENT ON SCHEMA warehouse IS 'Star schema for reporting, filled by pms warehouse sync';
GRANT USAGE ON SCHEMA warehouse TO pms_maintenance, pms_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA warehouse
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pms_maintenance;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA warehouse
    GRANT SELECT ON TABLES TO pms_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA warehouse
    GRANT USAGE, SELECT ON SEQUENCES TO pms_maintenance;

CREATE TABLE warehouse.dim_tenant (
    tenant_id   uuid NOT NULL REFERENCES public.tenants (id),
    tenant_key  bigint GENERATED ALWAYS AS IDENTITY,
    slug        text NOT NULL,
    name        text NOT NULL,
    plan        text NOT NULL,
    status      text NOT NULL,
    fiscal_year_start_month smallint NOT NULL DEFAULT 1 CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
    PRIMARY KEY (tenant_id, tenant_key),
    UNIQUE (tenant_id)
);

CREATE TABLE warehouse.dim_date (
    tenant_id      uuid NOT NULL REFERENCES public.tenants (id),
    date_key       integer NOT NULL CHECK (date_key BETWEEN 10000101 AND 99991231),
    date           date NOT NULL,
    year           smallint NOT NULL,
    quarter        smallint NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    month          smallint NOT NULL CHECK (month BETWEEN 1 AND 12),
    day            smallint NOT NULL CHECK (day BETWEEN 1 AND 31),
    iso_week       smallint NOT NULL CHECK (iso_week BETWEEN 1 AND 53),
    day_of_week    smallint NOT NULL CHECK (day_of_week BETWEEN 1 AND 7),
    is_weekend     boolean NOT NULL,
    month_start    date NOT NULL,
    fiscal_year    smallint NOT NULL,
    fiscal_quarter smallint NOT NULL CHECK (fiscal_quarter BETWEEN 1 AND 4),
    PRIMARY KEY (tenant_id, date_key),
    UNIQUE (tenant_id, date)
);

-- A person, one row per version of the attributes that matter to history (department,
-- manager, level, title, location, employment status and type); name and email are type 1
-- (every version carries the current ones).
CREATE TABLE warehouse.dim_user (
    tenant_id        uuid NOT NULL REFERENCES public.tenants (id),
    user_key         bigint GENERATED ALWAYS AS IDENTITY,
    user_id          uuid NOT NULL,
    email            text NOT NULL,
    display_name     text NOT NULL,
    employee_number  text,
    hire_date        date,
    department_id    uuid,
    manager_id       uuid,
    level            smallint,
    job_title        text,
    location         text,
    employment_type  text,
    employment_status text,
    termination_date date,
    deleted_at       timestamptz,
    valid_from       timestamptz NOT NULL,
    valid_to         timestamptz NOT NULL DEFAULT 'infinity',
    is_current       boolean NOT NULL,
    PRIMARY KEY (tenant_id, user_key),
    CHECK (valid_from < valid_to),
    CHECK (is_current = (valid_to = 'infinity')),
    EXCLUDE USING gist (tenant_id WITH =, user_id WITH =, tstzrange(valid_from, valid_to) WITH &&)
);
CREATE UNIQUE INDEX dim_user_current_key ON warehouse.dim_user (tenant_id, user_id) WHERE is_current;
COMMENT ON INDEX warehouse.dim_user_current_key IS 'at most one current version per person; the current row of a person';

CREATE TABLE warehouse.dim_department (
    tenant_id      uuid NOT NULL REFERENCES public.tenants (id),
    department_key bigint GENERATED ALWAYS AS IDENTITY,
    department_id  uuid NOT NULL,
    code           text NOT NULL,
    name           text NOT NULL,
    parent_id      uuid,
    head_id        uuid,
    deleted_at     timestamptz,
    valid_from     timestamptz NOT NULL,
    valid_to       timestamptz NOT NULL DEFAULT 'infinity',
    is_current     boolean NOT NULL,
    PRIMARY KEY (tenant_id, department_key),
    CHECK (valid_from < valid_to),
    CHECK (is_current = (valid_to = 'infinity')),
    EXCLUDE USING gist (tenant_id WITH =, department_id WITH =, tstzrange(valid_from, valid_to) WITH &&)
);
CREATE UNIQUE INDEX dim_department_current_key ON warehouse.dim_department (tenant_id, department_id) WHERE is_current;
COMMENT ON INDEX warehouse.dim_department_current_key IS 'at most one current version per department; the current row of a department';

CREATE TABLE warehouse.dim_team (
    tenant_id     uuid NOT NULL REFERENCES public.tenants (id),
    team_key      bigint GENERATED ALWAYS AS IDENTITY,
    team_id       uuid NOT NULL,
    code          text NOT NULL,
    name          text NOT NULL,
    team_type     text NOT NULL,
    department_id uuid,
    PRIMARY KEY (tenant_id, team_key),
    UNIQUE (tenant_id, team_id)
);

CREATE TABLE warehouse.dim_review_cycle (
    tenant_id    uuid NOT NULL REFERENCES public.tenants (id),
    cycle_key    bigint GENERATED ALWAYS AS IDENTITY,
    cycle_id     uuid NOT NULL,
    name         text NOT NULL,
    cycle_type   text NOT NULL,
    status       text NOT NULL,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    PRIMARY KEY (tenant_id, cycle_key),
    UNIQUE (tenant_id, cycle_id)
);

CREATE TABLE warehouse.dim_competency (
    tenant_id     uuid NOT NULL REFERENCES public.tenants (id),
    competency_key bigint GENERATED ALWAYS AS IDENTITY,
    competency_id uuid NOT NULL,
    framework_id  uuid NOT NULL,
    code          text NOT NULL,
    name          text NOT NULL,
    category      text NOT NULL,
    PRIMARY KEY (tenant_id, competency_key),
    UNIQUE (tenant_id, competency_id)
);

-- One row per live review; the people as of the review (submitted, else created).
CREATE TABLE warehouse.fact_performance_review (
    tenant_id         uuid NOT NULL REFERENCES public.tenants (id),
    review_key        bigint GENERATED ALWAYS AS IDENTITY,
    review_id         uuid NOT NULL,
    cycle_key         bigint,
    reviewee_key      bigint,
    reviewer_key      bigint,
    department_key    bigint,
    date_key          integer NOT NULL,
    review_type       text NOT NULL,
    status            text NOT NULL,
    original_rating   numeric(3, 2),
    calibrated_rating numeric(3, 2),
    reviewed_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, review_key),
    UNIQUE (tenant_id, review_id),
    FOREIGN KEY (tenant_id, cycle_key) REFERENCES warehouse.dim_review_cycle (tenant_id, cycle_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, reviewee_key) REFERENCES warehouse.dim_user (tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, reviewer_key) REFERENCES warehouse.dim_user (tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department (tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date (tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX fact_performance_review_cycle_idx ON warehouse.fact_performance_review (tenant_id, cycle_key);
COMMENT ON INDEX warehouse.fact_performance_review_cycle_idx IS 'reviews of a cycle (rating distribution); also FK cycle_key';
CREATE INDEX fact_performance_review_reviewee_idx ON warehouse.fact_performance_review (tenant_id, reviewee_key);
COMMENT ON INDEX warehouse.fact_performance_review_reviewee_idx IS 'reviews of a person version; also FK reviewee_key';
CREATE INDEX fact_performance_review_reviewer_idx ON warehouse.fact_performance_review (tenant_id, reviewer_key);
COMMENT ON INDEX warehouse.fact_performance_review_reviewer_idx IS 'reviews written by a person version; also FK reviewer_key';
CREATE INDEX fact_performance_review_department_idx ON warehouse.fact_performance_review (tenant_id, department_key);
COMMENT ON INDEX warehouse.fact_performance_review_department_idx IS 'reviews per department version; also FK department_key';
CREATE INDEX fact_performance_review_date_idx ON warehouse.fact_performance_review (tenant_id, date_key);
COMMENT ON INDEX warehouse.fact_performance_review_date_idx IS 'reviews by day, and the date span of the facts; also FK date_key';

-- Anonymous feedback keeps no giver at all: the check makes a giver key on it impossible.
CREATE TABLE warehouse.fact_feedback (
    tenant_id       uuid NOT NULL REFERENCES public.tenants (id),
    feedback_key    bigint GENERATED ALWAYS AS IDENTITY,
    feedback_id     uuid NOT NULL,
    giver_key       bigint,
    receiver_key    bigint,
    receiver_department_key bigint,
    date_key        integer NOT NULL,
    feedback_type   text NOT NULL,
    visibility      text NOT NULL,
    is_anonymous    boolean NOT NULL,
    sentiment_score numeric(4, 3),
    given_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, feedback_key),
    UNIQUE (tenant_id, feedback_id),
    CHECK (NOT is_anonymous OR giver_key IS NULL),
    FOREIGN KEY (tenant_id, giver_key) REFERENCES warehouse.dim_user (tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, receiver_key) REFERENCES warehouse.dim_user (tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, receiver_department_key) REFERENCES warehouse.dim_department (tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date (tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX fact_feedback_giver_idx ON warehouse.fact_feedback (tenant_id, giver_key);
COMMENT ON INDEX warehouse.fact_feedback_giver_idx IS 'feedback given by a person version; also FK giver_key';
CREATE INDEX fact_feedback_receiver_idx ON warehouse.fact_feedback (tenant_id, receiver_key);
COMMENT ON INDEX warehouse.fact_feedback_receiver_idx IS 'feedback received by a person version; also FK receiver_key';
CREATE INDEX fact_feedback_department_idx ON warehouse.fact_feedback (tenant_id, receiver_department_key);
COMMENT ON INDEX warehouse.fact_feedback_department_idx IS 'feedback per department version; also FK receiver_department_key';
CREATE INDEX fact_feedback_date_idx ON warehouse.fact_feedback (tenant_id, date_key);
COMMENT ON INDEX warehouse.fact_feedback_date_idx IS 'feedback volume per month, and the date span of the facts; also FK date_key';

-- Survey answers (source SURVEY, source_id the response), pulse check-ins (PULSE) and the
-- weekly engagement rollup per person and metric (WEEKLY, source_id the person).
CREATE TABLE warehouse.fact_engagement (
    tenant_id      uuid NOT NULL REFERENCES public.tenants (id),
    engagement_key bigint GENERATED ALWAYS AS IDENTITY,
    source         text NOT NULL CHECK (source IN ('SURVEY', 'PULSE', 'WEEKLY')),
    source_id      uuid NOT NULL,
    metric_name    text NOT NULL DEFAULT '',
    user_key       bigint,
    department_key bigint,
    date_key       integer NOT NULL,
    score          double precision,
    sample_count   bigint NOT NULL DEFAULT 1 CHECK (sample_count > 0),
    PRIMARY KEY (tenant_id, engagement_key),
    UNIQUE (tenant_id, source, source_id, metric_name, date_key),
    FOREIGN KEY (tenant_id, user_key) REFERENCES warehouse.dim_user (tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department (tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date (tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX fact_engagement_user_idx ON warehouse.fact_engagement (tenant_id, user_key);
COMMENT ON INDEX warehouse.fact_engagement_user_idx IS 'engagement of a person version; also FK user_key';
CREATE INDEX fact_engagement_department_idx ON warehouse.fact_engagement (tenant_id, department_key);
COMMENT ON INDEX warehouse.fact_engagement_department_idx IS 'engagement trend by department; also FK department_key';
CREATE INDEX fact_engagement_date_idx ON warehouse.fact_engagement (tenant_id, date_key);
COMMENT ON INDEX warehouse.fact_engagement_date_idx IS 'engagement by day, the date span of the facts; also FK date_key';

CREATE TABLE warehouse.fact_goal_progress (
    tenant_id      uuid NOT NULL REFERENCES public.tenants (id),
    goal_key       bigint GENERATED ALWAYS AS IDENTITY,
    goal_id        uuid NOT NULL,
    owner_key      bigint,
    team_key       bigint,
    department_key bigint,
    date_key       integer NOT NULL,
    goal_type      text NOT NULL,
    status         text NOT NULL,
    progress       numeric(5, 2) NOT NULL,
    weight         numeric(5, 2) NOT NULL,
    is_completed   boolean NOT NULL,
    PRIMARY KEY (tenant_id, goal_key),
    UNIQUE (tenant_id, goal_id),
    FOREIGN KEY (tenant_id, owner_key) REFERENCES warehouse.dim_user (tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, team_key) REFERENCES warehouse.dim_team (tenant_id, team_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department (tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date (tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX fact_goal_progress_owner_idx ON warehouse.fact_goal_progress (tenant_id, owner_key);
COMMENT ON INDEX warehouse.fact_goal_progress_owner_idx IS 'goals of a person version; also FK owner_key';
CREATE INDEX fact_goal_progress_team_idx ON warehouse.fact_goal_progress (tenant_id, team_key);
COMMENT ON INDEX warehouse.fact_goal_progress_team_idx IS 'goal completion by team; also FK team_key';
CREATE INDEX fact_goal_progress_department_idx ON warehouse.fact_goal_progress (tenant_id, department_key);
COMMENT ON INDEX warehouse.fact_goal_progress_department_idx IS 'goals per department version; also FK department_key';
CREATE INDEX fact_goal_progress_date_idx ON warehouse.fact_goal_progress (tenant_id, date_key);
COMMENT ON INDEX warehouse.fact_goal_progress_date_idx IS 'goals by period end (quarter), the date span of the facts; also FK date_key';

-- The daily performance rollup at the person grain, one row per person, metric and day.
CREATE TABLE warehouse.fact_performance_daily (
    tenant_id    uuid NOT NULL REFERENCES public.tenants (id),
    daily_key    bigint GENERATED ALWAYS AS IDENTITY,
    user_id      uuid NOT NULL,
    user_key     bigint,
    department_key bigint,
    date_key     integer NOT NULL,
    metric_name  text NOT NULL,
    sample_count bigint NOT NULL CHECK (sample_count > 0),
    avg_value    double precision NOT NULL,
    min_value    double precision NOT NULL,
    max_value    double precision NOT NULL,
    PRIMARY KEY (tenant_id, daily_key),
    UNIQUE (tenant_id, date_key, user_id, metric_name),
    FOREIGN KEY (tenant_id, user_key) REFERENCES warehouse.dim_user (tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department (tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date (tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX fact_performance_daily_user_idx ON warehouse.fact_performance_daily (tenant_id, user_key);
COMMENT ON INDEX warehouse.fact_performance_daily_user_idx IS 'a person version''s daily metrics; also FK user_key';
CREATE INDEX fact_performance_daily_department_idx ON warehouse.fact_performance_daily (tenant_id, department_key);
COMMENT ON INDEX warehouse.fact_performance_daily_department_idx IS 'daily metrics per department version; also FK department_key';
CREATE INDEX fact_performance_daily_person_idx ON warehouse.fact_performance_daily (tenant_id, user_id);
COMMENT ON INDEX warehouse.fact_performance_daily_person_idx IS 'a person''s daily rows, re-pointed when their versions change';

-- One row per tenant and source: everything changed at or after `horizon` is read next time.
CREATE TABLE warehouse.sync_watermarks (
    tenant_id  uuid NOT NULL REFERENCES public.tenants (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    source     text NOT NULL,
    horizon    timestamptz NOT NULL,
    rows_read  bigint NOT NULL DEFAULT 0,
    rows_changed bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, source)
);

CREATE TABLE warehouse.sync_runs (
    tenant_id    uuid NOT NULL REFERENCES public.tenants (id),
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    mode         text NOT NULL CHECK (mode IN ('FULL', 'INCREMENTAL')),
    horizon      timestamptz NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    duration_ms  bigint NOT NULL CHECK (duration_ms >= 0),
    rows_changed bigint NOT NULL CHECK (rows_changed >= 0),
    details      jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sync_runs_time_idx ON warehouse.sync_runs (tenant_id, finished_at DESC);
COMMENT ON INDEX warehouse.sync_runs_time_idx IS 'the last runs of a tenant (pms warehouse status)';

-- Hard deletes of sources without an audit trigger, written by a trigger on those tables.
CREATE TABLE warehouse.tombstones (
    tenant_id    uuid NOT NULL REFERENCES public.tenants (id),
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    source_table text NOT NULL,
    row_id       uuid NOT NULL,
    deleted_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX tombstones_time_idx ON warehouse.tombstones (tenant_id, source_table, deleted_at);
COMMENT ON INDEX warehouse.tombstones_time_idx IS 'deletes of a source since a watermark';

-- Rollup buckets rewritten by the time-series refresh (deleted or inserted), per day.
CREATE TABLE warehouse.rollup_changes (
    tenant_id  uuid NOT NULL REFERENCES public.tenants (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    rollup     text NOT NULL,
    bucket     timestamptz NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX rollup_changes_time_idx ON warehouse.rollup_changes (tenant_id, rollup, changed_at);
COMMENT ON INDEX warehouse.rollup_changes_time_idx IS 'rollup buckets changed since a watermark';

SELECT pms_meta.enable_tenant_rls(t)
FROM unnest(ARRAY['warehouse.dim_tenant', 'warehouse.dim_date', 'warehouse.dim_user', 'warehouse.dim_department',
                  'warehouse.dim_team', 'warehouse.dim_review_cycle', 'warehouse.dim_competency',
                  'warehouse.fact_performance_review', 'warehouse.fact_feedback', 'warehouse.fact_engagement',
                  'warehouse.fact_goal_progress', 'warehouse.fact_performance_daily',
                  'warehouse.sync_watermarks', 'warehouse.sync_runs', 'warehouse.tombstones',
                  'warehouse.rollup_changes']::regclass[]) AS t;
-- The change logs are written by triggers only (as the owner); nobody else changes them but the sync.
REVOKE INSERT, UPDATE ON warehouse.tombstones, warehouse.rollup_changes FROM pms_maintenance;
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA warehouse FROM PUBLIC, pms_maintenance, pms_readonly;

COMMENT ON TABLE warehouse.dim_user IS '[warehouse] People, slowly changing (type 2): one row per version of department, manager, level, title, location, employment';
COMMENT ON TABLE warehouse.dim_department IS '[warehouse] Departments, slowly changing (type 2): one row per version of name, parent and head';
COMMENT ON TABLE warehouse.fact_performance_review IS '[warehouse] One row per review: ratings original and calibrated (person-sensitive: pms_readonly and pms_maintenance only)';
COMMENT ON TABLE warehouse.fact_feedback IS '[warehouse] One row per feedback item; anonymous feedback has no giver';

-- The indexes behind the natural keys and the validity rule say what they serve.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT x.conindid::regclass AS idx, x.contype, c.relname,
                    (SELECT string_agg(a.attname, ', ' ORDER BY k.o) FROM unnest(x.conkey) WITH ORDINALITY k(n, o)
                       JOIN pg_attribute a ON a.attrelid = x.conrelid AND a.attnum = k.n) AS cols
               FROM pg_constraint x JOIN pg_class c ON c.oid = x.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'warehouse' AND x.contype IN ('u', 'x') LOOP
        EXECUTE format('COMMENT ON INDEX %s IS %L', r.idx, CASE r.contype
            WHEN 'u' THEN format('natural key of %s (%s): the sync''s upserts and lookups', r.relname, r.cols)
            ELSE format('no two versions of one %s with overlapping validity (SCD2)', r.relname) END);
    END LOOP;
END
$$;
