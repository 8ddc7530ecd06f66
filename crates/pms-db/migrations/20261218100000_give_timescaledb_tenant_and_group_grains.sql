-- The TimescaleDB backend's tenant, team and department grains, materialized (until now its
-- rollup views summed them from the per-person continuous aggregates at query time: a
-- tenant-wide read added up every person's buckets).
--
-- * Tenant grain of the rollups with fixed-width buckets (a day, a week): a hierarchical
--   continuous aggregate timeseries.<rollup>_tenant_cagg over the per-person one (tenant,
--   metric, bucket of the same width). TimescaleDB tracks its invalidations itself: a refresh
--   of the per-person aggregate that changes buckets invalidates them here, and the next
--   refresh of this one recomputes them from the per-person buckets.
-- * Tenant grain of the monthly rollups: not a hierarchical aggregate. TimescaleDB 2.28.3 loses
--   buckets there: the parent's materialization logs an invalidated range whose inclusive
--   upper end is a bucket start (every value of a monthly parent is a month start), and
--   widening it to the child's variable-width buckets treats that end as exclusive, so the
--   last month of every range is not re-materialized (seen with TimescaleDB's debug log: a
--   refresh over windows [April, September) and [October, November) when April to November
--   were invalidated, and the September bucket missing after the first refresh). These rows
--   go with the groups below.
-- * Team and department grains: TimescaleDB refuses a continuous aggregate that joins tables
--   under row-level security (users, team_members), and membership changes would not
--   invalidate one anyway. They go into the native engine's rollup tables
--   timeseries.<rollup>_mat, refreshed by timeseries.refresh_all_rollups with the native
--   engine's rules: changed raw days logged by triggers on the storage hypertables,
--   membership changes queued by the triggers on users and team_members,
--   timeseries.rollups.watermark as their watermark
--   (sql/replaceable/091_timeseries_timescaledb_grains.sql).
--
-- A no-op on the native backend.

DO $$
DECLARE
    r record;
BEGIN
    IF to_regclass('timeseries.performance_metrics_ts_hyper') IS NULL THEN
        RETURN;
    END IF;

    FOR r IN SELECT ro.*, ht.retention FROM timeseries.rollups ro JOIN timeseries.hypertables ht ON ht.name = ro.hypertable
             WHERE date_part('month', ro.bucket_width) = 0 AND date_part('year', ro.bucket_width) = 0 LOOP
        EXECUTE format($f$
            CREATE MATERIALIZED VIEW timeseries.%1$I
            WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
            SELECT c.tenant_id, c.metric_name, public.time_bucket(%2$L::interval, c.bucket) AS bucket,
                   sum(c.sample_count) AS sample_count, sum(c.sum_value) AS sum_value,
                   min(c.min_value) AS min_value, max(c.max_value) AS max_value
            FROM timeseries.%3$I c
            GROUP BY c.tenant_id, c.metric_name, public.time_bucket(%2$L::interval, c.bucket)
            WITH NO DATA$f$, r.name || '_tenant_cagg', r.bucket_width, r.name || '_cagg');
        EXECUTE format('COMMENT ON VIEW timeseries.%I IS %L', r.name || '_tenant_cagg',
            format('[timeseries] TimescaleDB hierarchical continuous aggregate behind public.%s (tenant grain, over %s)',
                   r.name, r.name || '_cagg'));
        -- The same window as the per-person aggregate's policy: as far back as raw rows are kept.
        PERFORM public.add_continuous_aggregate_policy(format('timeseries.%I', r.name || '_tenant_cagg')::regclass,
            start_offset => r.retention, end_offset => r.bucket_width, schedule_interval => interval '1 hour');
    END LOOP;

    -- The materialized rows start empty: the first refresh builds them from the raw rows (a
    -- database moved from the native engine may still hold its old rollup rows here).
    FOR r IN SELECT name FROM timeseries.rollups LOOP
        EXECUTE format('TRUNCATE timeseries.%I', r.name || '_mat');
    END LOOP;
    UPDATE timeseries.rollups SET watermark = NULL;
END
$$;
