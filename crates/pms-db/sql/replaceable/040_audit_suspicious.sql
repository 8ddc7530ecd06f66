-- Suspicious-activity detection over a tenant's security events of the last p_hours, with the
-- thresholds of security_alert_settings (defaults when the tenant has no row):
--   REPEATED_LOGIN_FAILURES   >= failed_logins failures for one account            HIGH
--   EXCESSIVE_SENSITIVE_READS >= sensitive_reads sensitive reads by one user        MEDIUM
--   REPEATED_PERMISSION_DENIALS >= permission_denials denials for one user          CRITICAL
--   OFF_HOURS_BULK_EXPORT     an export of >= bulk_export_rows rows outside the
--                             tenant's working days and hours (in its time zone)    HIGH
--   MANY_ADDRESSES            >= distinct_addresses IP addresses for one user
--                             within address_window_minutes                        HIGH
-- One row per finding; none on clean data.

CREATE OR REPLACE FUNCTION public.detect_suspicious_activity(p_tenant uuid, p_hours integer DEFAULT 24)
    RETURNS TABLE (pattern text, severity text, user_id uuid, account text, occurrences bigint,
                   first_seen timestamptz, last_seen timestamptz, details jsonb)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    s public.security_alert_settings;
BEGIN
    PERFORM public.audit_check_range('hours', p_hours, 8760);
    PERFORM public.audit_require_tenant(p_tenant);
    SELECT * INTO s FROM public.security_alert_settings x WHERE x.tenant_id = p_tenant;
    RETURN QUERY
    WITH cfg AS (
        SELECT coalesce(s.failed_logins, 5) AS failed_logins,
               coalesce(s.sensitive_reads, 100) AS sensitive_reads,
               coalesce(s.permission_denials, 10) AS permission_denials,
               coalesce(s.bulk_export_rows, 1000) AS bulk_export_rows,
               coalesce(s.distinct_addresses, 5) AS distinct_addresses,
               coalesce(s.address_window_minutes, 60) AS address_window_minutes,
               coalesce(s.work_day_start, '08:00'::time) AS work_day_start,
               coalesce(s.work_day_end, '18:00'::time) AS work_day_end,
               coalesce(s.work_days, '{1,2,3,4,5}'::smallint[]) AS work_days,
               coalesce(s.timezone, 'UTC') AS tz
    ), ev AS (
        SELECT e.* FROM public.security_events e
         WHERE e.tenant_id = p_tenant AND e.occurred_at >= now() - make_interval(hours => p_hours)
    ), failures AS (
        SELECT 'REPEATED_LOGIN_FAILURES'::text, 'HIGH'::text, (array_agg(e.user_id) FILTER (WHERE e.user_id IS NOT NULL))[1],
               max(e.account), count(*), min(e.occurred_at), max(e.occurred_at),
               jsonb_build_object('threshold', max(c.failed_logins), 'addresses', count(DISTINCT e.ip_address))
          FROM ev e CROSS JOIN cfg c
         WHERE e.event_type = 'LOGIN_FAILURE'
         GROUP BY coalesce(e.user_id::text, e.account)
        HAVING count(*) >= max(c.failed_logins)
    ), reads AS (
        SELECT 'EXCESSIVE_SENSITIVE_READS'::text, 'MEDIUM'::text, e.user_id, NULL::text, count(*),
               min(e.occurred_at), max(e.occurred_at),
               jsonb_build_object('threshold', max(c.sensitive_reads),
                                  'resource_types', jsonb_agg(DISTINCT e.resource_type))
          FROM ev e CROSS JOIN cfg c
         WHERE e.event_type = 'SENSITIVE_READ' AND e.user_id IS NOT NULL
         GROUP BY e.user_id
        HAVING count(*) >= max(c.sensitive_reads)
    ), denials AS (
        SELECT 'REPEATED_PERMISSION_DENIALS'::text, 'CRITICAL'::text, e.user_id, max(e.account), count(*),
               min(e.occurred_at), max(e.occurred_at),
               jsonb_build_object('threshold', max(c.permission_denials))
          FROM ev e CROSS JOIN cfg c
         WHERE e.event_type = 'PERMISSION_DENIED'
         GROUP BY e.user_id, CASE WHEN e.user_id IS NULL THEN coalesce(e.account, host(e.ip_address)) END
        HAVING count(*) >= max(c.permission_denials)
    ), exports AS (
        SELECT e.*, (e.occurred_at AT TIME ZONE c.tz) AS local_at, c.*
          FROM ev e CROSS JOIN cfg c
         WHERE e.event_type = 'DATA_EXPORT' AND jsonb_typeof(e.details -> 'rows') = 'number'
           AND (e.details ->> 'rows')::numeric >= c.bulk_export_rows
    ), off_hours AS (
        SELECT 'OFF_HOURS_BULK_EXPORT'::text, 'HIGH'::text, x.user_id, max(x.account), count(*),
               min(x.occurred_at), max(x.occurred_at),
               jsonb_build_object('threshold_rows', max(x.bulk_export_rows), 'rows', sum((x.details ->> 'rows')::numeric),
                                  'timezone', max(x.tz))
          FROM exports x
         WHERE NOT (extract(isodow FROM x.local_at)::smallint = ANY (x.work_days)
                    AND CASE WHEN x.work_day_start < x.work_day_end
                             THEN x.local_at::time >= x.work_day_start AND x.local_at::time < x.work_day_end
                             ELSE x.local_at::time >= x.work_day_start OR x.local_at::time < x.work_day_end END)
         GROUP BY x.user_id
    ), addresses AS (
        SELECT e.user_id, e.occurred_at,
               (SELECT count(DISTINCT o.ip_address) FROM ev o
                 WHERE o.user_id = e.user_id AND o.ip_address IS NOT NULL
                   AND o.occurred_at BETWEEN e.occurred_at - make_interval(mins => c.address_window_minutes) AND e.occurred_at) AS n,
               c.distinct_addresses, c.address_window_minutes
          FROM ev e CROSS JOIN cfg c
         WHERE e.user_id IS NOT NULL AND e.ip_address IS NOT NULL
    ), many AS (
        SELECT 'MANY_ADDRESSES'::text, 'HIGH'::text, a.user_id, NULL::text, max(a.n),
               min(a.occurred_at) FILTER (WHERE a.n >= a.distinct_addresses), max(a.occurred_at),
               jsonb_build_object('threshold', max(a.distinct_addresses), 'window_minutes', max(a.address_window_minutes))
          FROM addresses a
         GROUP BY a.user_id
        HAVING max(a.n) >= max(a.distinct_addresses)
    )
    SELECT * FROM failures
    UNION ALL SELECT * FROM reads
    UNION ALL SELECT * FROM denials
    UNION ALL SELECT * FROM off_hours
    UNION ALL SELECT * FROM many
    ORDER BY 2, 1, 3;
END
$$;
