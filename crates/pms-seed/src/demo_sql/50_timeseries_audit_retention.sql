-- Time-series history, security events and retention settings of a demo tenant.
--
-- The hypertables have no key to conflict on, so each load runs only while the tenant has no
-- points in that table yet (a second run inserts nothing). Values are deterministic per person,
-- metric and day (hashtext), so every demo run draws the same curves; the 90 days end
-- yesterday, so dashboards show recent data whenever the demo is seeded.

INSERT INTO performance_metrics_ts (tenant_id, user_id, metric_name, value, recorded_at)
SELECT u.tenant_id, u.id, m.name,
       round((55 + 15 * sin(d / 9.0 + hashtext(u.id::text || m.name) % 7)
              + abs(hashtext(u.id::text || m.name || d::text)) % 20)::numeric, 1)::float8,
       date_trunc('day', now()) - make_interval(days => d) + interval '17 hours'
FROM users u
CROSS JOIN generate_series(1, 90) AS d
CROSS JOIN (VALUES ('productivity'), ('quality'), ('collaboration'), ('goal_completion'), ('competency')) AS m(name)
WHERE u.tenant_id = {{t}}
  AND NOT EXISTS (SELECT 1 FROM performance_metrics_ts x WHERE x.tenant_id = {{t}});

-- Engagement pulses are weekly (every seventh day).
INSERT INTO engagement_metrics_ts (tenant_id, user_id, metric_name, value, recorded_at)
SELECT u.tenant_id, u.id, m.name,
       CASE WHEN m.name = 'enps' THEN (abs(hashtext(u.id::text || d::text)) % 121 - 40)::float8
            ELSE round((60 + 10 * sin(d / 20.0) + abs(hashtext(u.id::text || m.name || d::text)) % 30)::numeric, 1)::float8
       END,
       date_trunc('day', now()) - make_interval(days => d) + interval '10 hours'
FROM users u
CROSS JOIN generate_series(7, 90, 7) AS d
CROSS JOIN (VALUES ('engagement_score'), ('satisfaction'), ('enps'), ('wellbeing'), ('participation')) AS m(name)
WHERE u.tenant_id = {{t}}
  AND NOT EXISTS (SELECT 1 FROM engagement_metrics_ts x WHERE x.tenant_id = {{t}});

-- Goal progress climbs over the quarter; confidence wobbles around 70.
INSERT INTO goal_progress_ts (tenant_id, user_id, metric_name, value, recorded_at)
SELECT u.tenant_id, u.id, m.name,
       CASE WHEN m.name = 'goal_progress_pct' THEN round(least(100, (90 - d) * 0.9 + abs(hashtext(u.id::text || d::text)) % 8)::numeric, 1)::float8
            ELSE round((70 + 12 * sin(d / 11.0 + hashtext(u.id::text) % 5))::numeric, 1)::float8
       END,
       date_trunc('day', now()) - make_interval(days => d) + interval '18 hours'
FROM users u
CROSS JOIN generate_series(1, 90) AS d
CROSS JOIN (VALUES ('goal_progress_pct'), ('goal_confidence')) AS m(name)
WHERE u.tenant_id = {{t}}
  AND NOT EXISTS (SELECT 1 FROM goal_progress_ts x WHERE x.tenant_id = {{t}});

-- Feedback activity per working day: counts of items, and a sentiment in -1..1.
INSERT INTO feedback_activity_ts (tenant_id, user_id, metric_name, value, recorded_at)
SELECT u.tenant_id, u.id, m.name,
       CASE WHEN m.name = 'feedback_sentiment' THEN round((0.3 + 0.5 * sin(d / 6.0 + hashtext(u.id::text) % 3))::numeric, 2)::float8
            ELSE (abs(hashtext(u.id::text || m.name || d::text)) % 4)::float8
       END,
       date_trunc('day', now()) - make_interval(days => d) + interval '15 hours'
FROM users u
CROSS JOIN generate_series(1, 90) AS d
CROSS JOIN (VALUES ('feedback_given'), ('feedback_received'), ('feedback_requested'), ('feedback_sentiment')) AS m(name)
WHERE u.tenant_id = {{t}}
  AND extract(isodow FROM date_trunc('day', now()) - make_interval(days => d)) < 6
  AND NOT EXISTS (SELECT 1 FROM feedback_activity_ts x WHERE x.tenant_id = {{t}});

-- Suspicious-activity thresholds: the tenant works 09:00-18:00 and alerts after 5 failed logins.
INSERT INTO security_alert_settings (tenant_id, id, failed_logins, sensitive_reads, work_day_start, work_day_end)
VALUES ({{t}}, {{alert-settings}}, 5, 200, '09:00', '18:00')
ON CONFLICT DO NOTHING;

-- A few security events through the audit area's own function (it chains them, so they are not
-- inserted directly). The tenant is set only inside this block and cleared again after it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM security_events WHERE tenant_id = {{t}}) THEN
        PERFORM set_config('app.tenant_id', ({{t}})::text, true);
        PERFORM record_security_event('LOGIN_SUCCESS', {{user/jane}}, '192.0.2.10', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0');
        PERFORM record_security_event('LOGIN_FAILURE', NULL, '198.51.100.7', 'curl/8.5.0', p_account => 'jane@example.invalid');
        PERFORM record_security_event('DATA_EXPORT', {{user/admin}}, '192.0.2.20', 'Mozilla/5.0 (Macintosh) Safari/17.0',
                                      'users', NULL, '{"rows": 12, "format": "csv"}');
        PERFORM set_config('app.tenant_id', '', true);
    END IF;
END
$$;

-- A tenant keeps feedback longer than the default (within its legal bounds), and HR holds
-- Jane's records for a pending employment dispute.
INSERT INTO retention_policy_overrides (tenant_id, id, entity_type, hot_for, warm_for, cold_for, archive_for, reason)
VALUES ({{t}}, {{retention/feedback}}, 'Feedback', '1 year', '3 years', '5 years', '8 years',
        'Works council agreement: feedback is kept for eight years')
ON CONFLICT DO NOTHING;

INSERT INTO legal_holds (tenant_id, id, scope, person_id, reason, placed_by)
VALUES ({{t}}, {{legal-hold/jane}}, 'PERSON', {{user/jane}}, 'Pending employment dispute: keep all records of this person', {{user/admin}})
ON CONFLICT DO NOTHING;
