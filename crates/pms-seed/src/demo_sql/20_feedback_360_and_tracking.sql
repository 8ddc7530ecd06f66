-- Demo data: a 360 round (nominations, requests, responses, aggregation, gap analysis) and
-- real-time tracking (projects, activity, metrics, anomalies, alerts, KPIs).

INSERT INTO feedback_360_questionnaires (tenant_id, id, name, description, status, created_by) VALUES
({{t}}, {{q360/standard}}, 'Standard 360', 'Five questions on collaboration and impact.', 'PUBLISHED', {{user/admin}})
ON CONFLICT DO NOTHING;
INSERT INTO feedback_360_questions (tenant_id, id, questionnaire_id, competency_id, position, prompt, answer_type) VALUES
({{t}}, {{q360q/collab}}, {{q360/standard}}, {{comp/collab}}, 1, 'How well does this person collaborate across teams?', 'RATING'),
({{t}}, {{q360q/tech}}, {{q360/standard}}, {{comp/tech}}, 2, 'How strong is this person''s technical judgement?', 'RATING'),
({{t}}, {{q360q/open}}, {{q360/standard}}, NULL, 3, 'What should this person keep doing?', 'TEXT')
ON CONFLICT DO NOTHING;
INSERT INTO feedback_360_cycles (tenant_id, id, name, questionnaire_id, review_cycle_id, status, min_respondents, opens_on, closes_on) VALUES
({{t}}, {{c360/2026}}, '360 for mid-year 2026', {{q360/standard}}, {{cycle/2026-h1}}, 'COLLECTING', 3, '2026-06-01', '2026-07-01')
ON CONFLICT DO NOTHING;
INSERT INTO feedback_360_nominations (tenant_id, id, cycle_id, subject_id, nominee_id, nominated_by, relationship, status) VALUES
({{t}}, {{n360/jane-manager}}, {{c360/2026}}, {{user/jane}}, {{user/manager}}, {{user/jane}}, 'MANAGER', 'APPROVED'),
({{t}}, {{n360/jane-eli}}, {{c360/2026}}, {{user/jane}}, {{user/employee}}, {{user/jane}}, 'PEER', 'APPROVED'),
({{t}}, {{n360/jane-sales}}, {{c360/2026}}, {{user/jane}}, {{user/sales.manager}}, {{user/jane}}, 'PEER', 'APPROVED'),
({{t}}, {{n360/jane-self}}, {{c360/2026}}, {{user/jane}}, {{user/jane}}, {{user/jane}}, 'SELF', 'APPROVED')
ON CONFLICT DO NOTHING;
INSERT INTO feedback_360_requests (tenant_id, id, cycle_id, nomination_id, subject_id, rater_id, status, sent_at, due_at, submitted_at) VALUES
({{t}}, {{r360/manager}}, {{c360/2026}}, {{n360/jane-manager}}, {{user/jane}}, {{user/manager}}, 'SUBMITTED', '2026-06-01 09:00Z', '2026-06-25 17:00Z', '2026-06-10 12:00Z'),
({{t}}, {{r360/eli}}, {{c360/2026}}, {{n360/jane-eli}}, {{user/jane}}, {{user/employee}}, 'SUBMITTED', '2026-06-01 09:00Z', '2026-06-25 17:00Z', '2026-06-12 12:00Z'),
({{t}}, {{r360/sales}}, {{c360/2026}}, {{n360/jane-sales}}, {{user/jane}}, {{user/sales.manager}}, 'OPENED', '2026-06-01 09:00Z', '2026-06-25 17:00Z', NULL),
({{t}}, {{r360/self}}, {{c360/2026}}, {{n360/jane-self}}, {{user/jane}}, {{user/jane}}, 'SUBMITTED', '2026-06-01 09:00Z', '2026-06-25 17:00Z', '2026-06-02 08:00Z')
ON CONFLICT DO NOTHING;
INSERT INTO feedback_360_responses (tenant_id, id, request_id, question_id, rating, answer_text) VALUES
({{t}}, {{a360/manager-collab}}, {{r360/manager}}, {{q360q/collab}}, 4, NULL),
({{t}}, {{a360/manager-tech}}, {{r360/manager}}, {{q360q/tech}}, 5, NULL),
({{t}}, {{a360/eli-collab}}, {{r360/eli}}, {{q360q/collab}}, 5, NULL),
({{t}}, {{a360/eli-open}}, {{r360/eli}}, {{q360q/open}}, NULL, 'Keep pairing with newer engineers.'),
({{t}}, {{a360/self-collab}}, {{r360/self}}, {{q360q/collab}}, 3, NULL)
ON CONFLICT DO NOTHING;
INSERT INTO feedback_360_aggregations (tenant_id, id, cycle_id, subject_id, competency_id, relationship, respondent_count, average_rating, is_suppressed) VALUES
({{t}}, {{agg360/jane-collab-all}}, {{c360/2026}}, {{user/jane}}, {{comp/collab}}, 'ALL', 3, 4.00, false),
({{t}}, {{agg360/jane-collab-peer}}, {{c360/2026}}, {{user/jane}}, {{comp/collab}}, 'PEER', 1, NULL, true)
ON CONFLICT DO NOTHING;
INSERT INTO feedback_360_gap_analyses (tenant_id, id, cycle_id, subject_id, competency_id, self_rating, others_rating, classification) VALUES
({{t}}, {{gap360/jane-collab}}, {{c360/2026}}, {{user/jane}}, {{comp/collab}}, 3.0, 4.5, 'HIDDEN_STRENGTH')
ON CONFLICT DO NOTHING;

INSERT INTO projects (tenant_id, id, code, name, owner_id, department_id, status, starts_on, ends_on) VALUES
({{t}}, {{project/slo}}, 'SLO-2026', 'Service-level objectives', {{user/jane}}, {{dept/ENG}}, 'ACTIVE', '2026-01-15', '2026-06-30'),
({{t}}, {{project/northwind}}, 'NW-ROLLOUT', 'Northwind rollout', {{user/sales.manager}}, {{dept/SALES}}, 'ACTIVE', '2026-04-20', '2026-09-30')
ON CONFLICT DO NOTHING;
INSERT INTO activity_events (tenant_id, id, user_id, project_id, source, event_type, occurred_at, payload) VALUES
({{t}}, {{act/1}}, {{user/jane}}, {{project/slo}}, 'github', 'pull_request.merged', '2026-04-10 14:02Z', '{"repo": "platform", "lines": 240}'),
({{t}}, {{act/2}}, {{user/employee}}, {{project/slo}}, 'pagerduty', 'incident.acknowledged', '2026-04-11 03:17Z', '{"service": "search"}'),
({{t}}, {{act/3}}, {{user/sales.manager}}, {{project/northwind}}, 'crm', 'deal.won', '2026-04-14 18:00Z', '{"amount": 1200000}')
ON CONFLICT DO NOTHING;
INSERT INTO metric_anomalies (tenant_id, id, user_id, metric, observed_at, observed_value, expected_value, z_score, severity, status) VALUES
({{t}}, {{anom/eli-pages}}, {{user/employee}}, 'night_pages', '2026-04-11 03:17Z', 6, 1.5, 3.4, 'HIGH', 'OPEN')
ON CONFLICT DO NOTHING;
INSERT INTO deadline_alerts (tenant_id, id, user_id, goal_id, review_id, alert_type, due_at) VALUES
({{t}}, {{dl/eli-goal}}, {{user/employee}}, {{goal/eli-oncall}}, NULL, 'APPROACHING', '2026-06-30 23:59Z'),
({{t}}, {{dl/manager-review}}, {{user/manager}}, NULL, {{review/2026-jane-mgr}}, 'APPROACHING', '2026-07-15 23:59Z')
ON CONFLICT DO NOTHING;
INSERT INTO workload_snapshots (tenant_id, id, user_id, captured_on, open_tasks, meeting_hours, focus_hours, utilization_pct, burnout_risk) VALUES
({{t}}, {{wl/eli}}, {{user/employee}}, '2026-04-10', 23, 14, 12, 118, 'HIGH'),
({{t}}, {{wl/jane}}, {{user/jane}}, '2026-04-10', 11, 9, 24, 92, 'LOW')
ON CONFLICT DO NOTHING;
INSERT INTO communication_sentiments (tenant_id, id, user_id, channel, day, sentiment_score, message_count) VALUES
({{t}}, {{cs/eli}}, {{user/employee}}, 'CHAT', '2026-04-10', -0.25, 58),
({{t}}, {{cs/jane}}, {{user/jane}}, 'CODE_REVIEW', '2026-04-10', 0.4, 17)
ON CONFLICT DO NOTHING;
INSERT INTO project_milestones (tenant_id, id, project_id, owner_id, name, due_date, status, progress) VALUES
({{t}}, {{ms/slo-top10}}, {{project/slo}}, {{user/jane}}, 'Top ten services have SLOs', '2026-05-31', 'IN_PROGRESS', 80),
({{t}}, {{ms/nw-kickoff}}, {{project/northwind}}, {{user/sales.manager}}, 'Northwind kickoff', '2026-04-30', 'DONE', 100)
ON CONFLICT DO NOTHING;
INSERT INTO milestone_progress_events (tenant_id, id, milestone_id, reported_by, progress, note, reported_at) VALUES
({{t}}, {{mpe/1}}, {{ms/slo-top10}}, {{user/jane}}, 80, 'Eight services done.', '2026-04-10 17:00Z')
ON CONFLICT DO NOTHING;
INSERT INTO kpi_definitions (tenant_id, id, code, name, unit, direction, scope, target_value, warning_threshold, critical_threshold, owner_id) VALUES
({{t}}, {{kpi/availability}}, 'availability', 'Platform availability', '%', 'HIGHER_IS_BETTER', 'TEAM', 99.95, 99.9, 99.5, {{user/manager}}),
({{t}}, {{kpi/review-completion}}, 'review_completion', 'Review completion rate', '%', 'HIGHER_IS_BETTER', 'TENANT', 100, 90, 75, {{user/admin}})
ON CONFLICT DO NOTHING;
INSERT INTO kpi_values (tenant_id, id, kpi_id, user_id, team_id, department_id, period_start, period_end, value) VALUES
({{t}}, {{kpiv/avail-apr}}, {{kpi/availability}}, NULL, {{team/PLATFORM}}, NULL, '2026-04-01', '2026-04-30', 99.93),
({{t}}, {{kpiv/reviews-2025}}, {{kpi/review-completion}}, NULL, NULL, {{dept/ENG}}, '2025-01-01', '2025-12-31', 96)
ON CONFLICT DO NOTHING;
INSERT INTO alerts (tenant_id, id, recipient_id, kpi_id, anomaly_id, alert_type, severity, title, details) VALUES
({{t}}, {{alert/eli-pages}}, {{user/manager}}, NULL, {{anom/eli-pages}}, 'ANOMALY', 'WARNING', 'Night pages for Eli are 4x the usual', '{"metric": "night_pages"}'),
({{t}}, {{alert/availability}}, {{user/manager}}, {{kpi/availability}}, NULL, 'KPI_THRESHOLD', 'INFO', 'Availability below target in April', '{"value": 99.93}')
ON CONFLICT DO NOTHING;
