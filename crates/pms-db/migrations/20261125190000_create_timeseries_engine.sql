-- The native time-series engine: four range-partitioned "hypertables" in public (the SQL
-- contract's names), and the engine's internals in schema `timeseries`: the registry of
-- hypertables, chunks and rollups, the invalidation logs, materialized rollups and compressed
-- storage. Functions, triggers and views live in sql/replaceable/030_timeseries_*.sql.
--
-- The hypertables carry no foreign keys on purpose: a per-row RI trigger would halve bulk
-- ingest, and the ingest path validates tenant, user and metric before it writes.

CREATE SCHEMA timeseries AUTHORIZATION pms_owner;
GRANT USAGE ON SCHEMA timeseries TO pms_app, pms_maintenance, pms_readonly;
-- pms_maintenance runs the engine's jobs and may touch every internal table; the application
-- and reporting roles get explicit grants on the few tables they read.
ALTER DEFAULT PRIVILEGES FOR ROLE pms_owner IN SCHEMA timeseries
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO pms_maintenance;

-- One row per hypertable; changing a setting is timeseries.set_policy(), not a migration.
CREATE TABLE timeseries.hypertables (
    name            text PRIMARY KEY,
    chunk_interval  interval NOT NULL CHECK (chunk_interval BETWEEN interval '1 day' AND interval '1 year'),
    retention       interval CHECK (retention > interval '0'),
    compress_after  interval CHECK (compress_after > interval '0'),
    chunks_ahead    integer NOT NULL DEFAULT 3 CHECK (chunks_ahead BETWEEN 1 AND 24),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Every chunk (partition) the engine created; compressed_at is set while its rows live packed.
CREATE TABLE timeseries.chunks (
    hypertable     text NOT NULL REFERENCES timeseries.hypertables (name),
    chunk_name     text NOT NULL,
    range_start    timestamptz NOT NULL,
    range_end      timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    compressed_at  timestamptz,
    PRIMARY KEY (hypertable, range_start),
    UNIQUE (chunk_name),
    CHECK (range_end > range_start)
);

-- Registered metric names; a name belongs to exactly one hypertable.
CREATE TABLE timeseries.metrics (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
    hypertable  text NOT NULL REFERENCES timeseries.hypertables (name),
    description text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX metrics_hypertable_idx ON timeseries.metrics (hypertable);

-- Rollups: bucket width, where they read from, and how far they are materialized.
CREATE TABLE timeseries.rollups (
    name            text PRIMARY KEY,
    hypertable      text NOT NULL REFERENCES timeseries.hypertables (name),
    source_rollup   text REFERENCES timeseries.rollups (name),
    bucket_width    interval NOT NULL,
    watermark       timestamptz,
    last_refresh_at timestamptz,
    last_refresh_ms double precision,
    refresh_order   integer NOT NULL DEFAULT 0
);
CREATE INDEX rollups_hypertable_idx ON timeseries.rollups (hypertable);
CREATE INDEX rollups_source_idx ON timeseries.rollups (source_rollup);

INSERT INTO timeseries.hypertables (name, chunk_interval, retention, compress_after) VALUES
    ('performance_metrics_ts', '1 month',  '2 years', '6 months'),
    ('engagement_metrics_ts',  '1 month',  '3 years', '6 months'),
    ('goal_progress_ts',       '3 months', '5 years', '12 months'),
    ('feedback_activity_ts',   '3 months', '3 years', '6 months');

INSERT INTO timeseries.metrics (name, hypertable, description) VALUES
    ('productivity',        'performance_metrics_ts', 'output against plan, 0-100'),
    ('quality',             'performance_metrics_ts', 'quality of work, 0-100'),
    ('collaboration',       'performance_metrics_ts', 'peer collaboration score, 0-100'),
    ('goal_completion',     'performance_metrics_ts', 'share of goals on track, 0-100'),
    ('competency',          'performance_metrics_ts', 'competency assessment, 0-100'),
    ('engagement_score',    'engagement_metrics_ts',  'pulse survey engagement, 0-100'),
    ('satisfaction',        'engagement_metrics_ts',  'job satisfaction, 0-100'),
    ('enps',                'engagement_metrics_ts',  'employee net promoter, -100..100'),
    ('wellbeing',           'engagement_metrics_ts',  'wellbeing, 0-100'),
    ('participation',       'engagement_metrics_ts',  'survey participation, 0-100'),
    ('goal_progress_pct',   'goal_progress_ts',       'progress of a goal, 0-100'),
    ('goal_confidence',     'goal_progress_ts',       'confidence the goal is met, 0-100'),
    ('feedback_given',      'feedback_activity_ts',   'feedback items given'),
    ('feedback_received',   'feedback_activity_ts',   'feedback items received'),
    ('feedback_requested',  'feedback_activity_ts',   'feedback items requested'),
    ('feedback_sentiment',  'feedback_activity_ts',   'sentiment of feedback, -1..1');

INSERT INTO timeseries.rollups (name, hypertable, source_rollup, bucket_width, refresh_order) VALUES
    ('performance_metrics_daily',   'performance_metrics_ts', NULL, '1 day',   1),
    ('engagement_metrics_weekly',   'engagement_metrics_ts',  NULL, '7 days',  1),
    ('feedback_trends_monthly',     'feedback_activity_ts',   NULL, '1 month', 1);
INSERT INTO timeseries.rollups (name, hypertable, source_rollup, bucket_width, refresh_order) VALUES
    ('performance_metrics_monthly', 'performance_metrics_ts', 'performance_metrics_daily', '1 month', 2);

-- The hypertables: one shape for all four, range-partitioned by time. Rows whose time has no
-- chunk yet land in the DEFAULT partition and are moved into their chunk by maintenance.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['performance_metrics_ts', 'engagement_metrics_ts', 'goal_progress_ts', 'feedback_activity_ts'] LOOP
        EXECUTE format($f$
            CREATE TABLE public.%1$I (
                tenant_id    uuid NOT NULL,
                user_id      uuid NOT NULL,
                metric_name  text NOT NULL,
                value        double precision NOT NULL
                             CHECK (value <> 'NaN'::float8 AND value > '-Infinity'::float8 AND value < 'Infinity'::float8),
                recorded_at  timestamptz NOT NULL
            ) PARTITION BY RANGE (recorded_at)$f$, t);
        EXECUTE format('CREATE INDEX %1$s_user_time_idx ON public.%1$I (tenant_id, user_id, recorded_at)', t);
        EXECUTE format('CREATE INDEX %1$s_time_brin ON public.%1$I USING brin (recorded_at)', t);
        EXECUTE format('CREATE TABLE timeseries.%1$I PARTITION OF public.%2$I DEFAULT', t || '_default', t);
        PERFORM pms_meta.enable_tenant_rls(format('public.%I', t)::regclass);

        -- Compressed storage: one row per tenant, user and chunk, with the points as arrays
        -- (metric index into metric_names, seconds from chunk start, value * 100 as int4 when
        -- that is exact; exact fallbacks otherwise). Partitioned like the chunks it packs, so
        -- retention drops it whole.
        EXECUTE format($f$
            CREATE TABLE timeseries.%1$I (
                tenant_id     uuid NOT NULL REFERENCES public.tenants (id),
                user_id       uuid NOT NULL,
                chunk_start   timestamptz NOT NULL,
                point_count   integer NOT NULL CHECK (point_count > 0),
                metric_names  text[] NOT NULL,
                metric_idx    smallint[] NOT NULL,
                time_secs     integer[],
                times         timestamptz[],
                values_c      integer[],
                values_f      double precision[],
                CHECK ((time_secs IS NULL) <> (times IS NULL)),
                CHECK ((values_c IS NULL) <> (values_f IS NULL))
            ) PARTITION BY RANGE (chunk_start)$f$, t || '_compressed');
        EXECUTE format('CREATE INDEX %1$s_compressed_seg_idx ON timeseries.%1$I (tenant_id, user_id, chunk_start)', t || '_compressed', t);
        PERFORM pms_meta.enable_tenant_rls(format('timeseries.%I', t || '_compressed')::regclass);
        EXECUTE format('GRANT SELECT ON timeseries.%I TO pms_app, pms_readonly', t || '_compressed');
    END LOOP;
END
$$;

-- Changed raw rows: (hypertable, tenant, day), written by statement triggers from the
-- transition tables; the next refresh turns them into per-rollup invalidations.
CREATE TABLE timeseries.invalidations (
    hypertable  text NOT NULL,
    tenant_id   uuid NOT NULL REFERENCES public.tenants (id),
    day         timestamptz NOT NULL,
    logged_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invalidations_tenant_idx ON timeseries.invalidations (tenant_id);
CREATE INDEX invalidations_hypertable_idx ON timeseries.invalidations (hypertable);
SELECT pms_meta.enable_tenant_rls('timeseries.invalidations');
GRANT INSERT ON timeseries.invalidations TO pms_app;

-- Days each rollup must recompute below its watermark.
CREATE TABLE timeseries.rollup_invalidations (
    rollup     text NOT NULL REFERENCES timeseries.rollups (name),
    tenant_id  uuid NOT NULL REFERENCES public.tenants (id),
    day        timestamptz NOT NULL
);
CREATE INDEX rollup_invalidations_tenant_idx ON timeseries.rollup_invalidations (tenant_id);
CREATE INDEX rollup_invalidations_rollup_idx ON timeseries.rollup_invalidations (rollup);
SELECT pms_meta.enable_tenant_rls('timeseries.rollup_invalidations');

-- Materialized rollup buckets, at four grains: user, team, department and tenant
-- (subject_id is the user, team, department or tenant id).
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['performance_metrics_daily', 'performance_metrics_monthly', 'engagement_metrics_weekly', 'feedback_trends_monthly'] LOOP
        EXECUTE format($f$
            CREATE TABLE timeseries.%1$I (
                tenant_id     uuid NOT NULL REFERENCES public.tenants (id),
                grain         text NOT NULL CHECK (grain IN ('user', 'team', 'department', 'tenant')),
                subject_id    uuid NOT NULL,
                metric_name   text NOT NULL,
                bucket        timestamptz NOT NULL,
                sample_count  bigint NOT NULL CHECK (sample_count > 0),
                sum_value     double precision NOT NULL,
                min_value     double precision NOT NULL,
                max_value     double precision NOT NULL,
                PRIMARY KEY (tenant_id, grain, subject_id, metric_name, bucket)
            )$f$, r || '_mat');
        EXECUTE format('CREATE INDEX %1$s_bucket_idx ON timeseries.%1$I (tenant_id, bucket)', r || '_mat');
        PERFORM pms_meta.enable_tenant_rls(format('timeseries.%I', r || '_mat')::regclass);
        EXECUTE format('GRANT SELECT ON timeseries.%I TO pms_app, pms_readonly', r || '_mat');
    END LOOP;
END
$$;

GRANT SELECT ON timeseries.hypertables, timeseries.chunks, timeseries.metrics, timeseries.rollups
    TO pms_app, pms_readonly;
