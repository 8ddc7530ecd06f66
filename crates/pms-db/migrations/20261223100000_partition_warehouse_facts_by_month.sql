-- The high-volume facts of the warehouse (fact_engagement, fact_goal_progress,
-- fact_performance_daily) become partitioned by date (issue 18: "partitioned by date where the
-- volume calls for it"): RANGE on date_key, one partition per calendar month, each of those
-- LIST-partitioned on tenant_id with a shared DEFAULT leaf (`<table>_<yyyymm>_shared`) for every
-- tenant, and a leaf of its own (`<table>_<yyyymm>_t<tenant hex>`) for a tenant whose month a
-- full load finds large: that leaf is filled while detached, and attached afterwards, so its
-- indexes are built in one sorted pass each and its foreign keys checked by one join each
-- instead of row by row. The sync creates the months as it needs them
-- (sql/replaceable/080_warehouse_11_partitions.sql), each level with forced RLS and the tenant
-- policy like the parent.
--
-- Every unique constraint of a partitioned table holds the partition keys, so the primary keys
-- become (tenant_id, date_key, <surrogate key>) (which also serves the foreign key to dim_date:
-- the separate date indexes go) and the natural key of a goal becomes (tenant_id, goal_id,
-- date_key) (a goal whose period end moves is deleted and re-inserted by the sync). The
-- person index of fact_performance_daily is folded into its natural key, reordered to lead with
-- the person. Columns, their order and every other constraint stay as they were.
--
-- The three tables are re-created empty and the watermarks of their sources dropped, so the
-- next pass of each tenant reads those sources whole and fills them again (nothing else is
-- lost: they hold nothing but what the sources give).

DROP TABLE warehouse.fact_engagement, warehouse.fact_goal_progress, warehouse.fact_performance_daily;
DELETE FROM warehouse.sync_watermarks
 WHERE source IN ('engagement_answers', 'engagement_weekly', 'goals', 'performance_daily');

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
    CONSTRAINT fact_engagement_pkey PRIMARY KEY (tenant_id, date_key, engagement_key),
    CONSTRAINT fact_engagement_natural_key UNIQUE (tenant_id, source, source_id, metric_name, date_key),
    FOREIGN KEY (tenant_id, user_key) REFERENCES warehouse.dim_user (tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department (tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date (tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED
) PARTITION BY RANGE (date_key);
CREATE INDEX fact_engagement_user_idx ON warehouse.fact_engagement (tenant_id, user_key);
COMMENT ON INDEX warehouse.fact_engagement_user_idx IS 'engagement of a person version; also FK user_key';
CREATE INDEX fact_engagement_department_idx ON warehouse.fact_engagement (tenant_id, department_key);
COMMENT ON INDEX warehouse.fact_engagement_department_idx IS 'engagement trend by department; also FK department_key';
COMMENT ON INDEX warehouse.fact_engagement_natural_key IS
    'natural key of fact_engagement (tenant_id, source, source_id, metric_name, date_key): the sync''s upserts and lookups';

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
    CONSTRAINT fact_goal_progress_pkey PRIMARY KEY (tenant_id, date_key, goal_key),
    CONSTRAINT fact_goal_progress_natural_key UNIQUE (tenant_id, goal_id, date_key),
    FOREIGN KEY (tenant_id, owner_key) REFERENCES warehouse.dim_user (tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, team_key) REFERENCES warehouse.dim_team (tenant_id, team_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department (tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date (tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED
) PARTITION BY RANGE (date_key);
CREATE INDEX fact_goal_progress_owner_idx ON warehouse.fact_goal_progress (tenant_id, owner_key);
COMMENT ON INDEX warehouse.fact_goal_progress_owner_idx IS 'goals of a person version; also FK owner_key';
CREATE INDEX fact_goal_progress_team_idx ON warehouse.fact_goal_progress (tenant_id, team_key);
COMMENT ON INDEX warehouse.fact_goal_progress_team_idx IS 'goal completion by team; also FK team_key';
CREATE INDEX fact_goal_progress_department_idx ON warehouse.fact_goal_progress (tenant_id, department_key);
COMMENT ON INDEX warehouse.fact_goal_progress_department_idx IS 'goals per department version; also FK department_key';
COMMENT ON INDEX warehouse.fact_goal_progress_natural_key IS
    'natural key of fact_goal_progress (tenant_id, goal_id, date_key): one row per goal, found by the sync by goal';

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
    CONSTRAINT fact_performance_daily_pkey PRIMARY KEY (tenant_id, date_key, daily_key),
    CONSTRAINT fact_performance_daily_natural_key UNIQUE (tenant_id, user_id, date_key, metric_name),
    FOREIGN KEY (tenant_id, user_key) REFERENCES warehouse.dim_user (tenant_id, user_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, department_key) REFERENCES warehouse.dim_department (tenant_id, department_key) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, date_key) REFERENCES warehouse.dim_date (tenant_id, date_key) DEFERRABLE INITIALLY DEFERRED
) PARTITION BY RANGE (date_key);
CREATE INDEX fact_performance_daily_user_idx ON warehouse.fact_performance_daily (tenant_id, user_key);
COMMENT ON INDEX warehouse.fact_performance_daily_user_idx IS 'a person version''s daily metrics; also FK user_key';
CREATE INDEX fact_performance_daily_department_idx ON warehouse.fact_performance_daily (tenant_id, department_key);
COMMENT ON INDEX warehouse.fact_performance_daily_department_idx IS 'daily metrics per department version; also FK department_key';
COMMENT ON INDEX warehouse.fact_performance_daily_natural_key IS
    'natural key of fact_performance_daily (tenant_id, user_id, date_key, metric_name): the sync''s upserts, and a person''s daily rows, re-pointed when their versions change';

SELECT pms_meta.enable_tenant_rls(t)
FROM unnest(ARRAY['warehouse.fact_engagement', 'warehouse.fact_goal_progress',
                  'warehouse.fact_performance_daily']::regclass[]) AS t;
REVOKE TRUNCATE, REFERENCES, TRIGGER ON warehouse.fact_engagement, warehouse.fact_goal_progress,
    warehouse.fact_performance_daily FROM PUBLIC, pms_maintenance, pms_readonly;

COMMENT ON TABLE warehouse.fact_engagement IS
    '[warehouse] Survey answers, pulse check-ins and the weekly engagement rollup per person; partitioned by month, then by tenant';
COMMENT ON TABLE warehouse.fact_goal_progress IS
    '[warehouse] One row per live goal as of its period end; partitioned by month, then by tenant';
COMMENT ON TABLE warehouse.fact_performance_daily IS
    '[warehouse] The daily performance rollup per person, metric and day; partitioned by month, then by tenant';
