-- Real-time tracking (features 1-8) reads its hourly and daily metrics from the time-series
-- engine, through its public names only, so these views work on either backend (native or
-- TimescaleDB). security_invoker: the reader's RLS applies to the rows underneath.

-- One row per person, metric and UTC day: the person grain of the daily rollup (materialized
-- days plus the live tail), including days whose raw points are already compressed.
CREATE OR REPLACE VIEW public.daily_metrics WITH (security_invoker = true) AS
SELECT d.tenant_id,
       d.subject_id AS user_id,
       d.metric_name AS metric,
       (d.bucket AT TIME ZONE 'UTC')::date AS day,
       d.avg_value AS value,
       d.min_value,
       d.max_value,
       d.sample_count
FROM public.performance_metrics_daily d
WHERE d.grain = 'user';
COMMENT ON VIEW public.daily_metrics IS
    '[tracking] Daily average, minimum and maximum per person and metric: the person grain of performance_metrics_daily';

-- One row per person, metric and UTC hour, computed from the raw points. On the native engine
-- this covers uncompressed chunks (the last six months of performance_metrics_ts); older
-- history is read at daily grain. On TimescaleDB compressed chunks are read too.
CREATE OR REPLACE VIEW public.hourly_metrics WITH (security_invoker = true) AS
SELECT p.tenant_id,
       p.user_id,
       p.metric_name AS metric,
       time_bucket('1 hour'::interval, p.recorded_at) AS bucket,
       avg(p.value) AS value,
       min(p.value) AS min_value,
       max(p.value) AS max_value,
       count(*) AS sample_count
FROM public.performance_metrics_ts p
GROUP BY p.tenant_id, p.user_id, p.metric_name, time_bucket('1 hour'::interval, p.recorded_at);
COMMENT ON VIEW public.hourly_metrics IS
    '[tracking] Hourly average, minimum and maximum per person and metric, from the raw points of performance_metrics_ts';

REVOKE INSERT, UPDATE, DELETE ON public.daily_metrics, public.hourly_metrics FROM pms_app, pms_maintenance;
GRANT SELECT ON public.daily_metrics, public.hourly_metrics TO pms_app, pms_maintenance, pms_readonly;
