-- Real-time tracking's hourly and daily metrics become views over the time-series engine
-- (sql/replaceable/095_tracking_metric_views.sql): the plain tables of the first schema held
-- numbers nothing kept in step with the engine's raw points and rollups. Their rows were demo
-- data only; the engine's own data is untouched.
DROP TABLE public.hourly_metrics;
DROP TABLE public.daily_metrics;
