-- Demo data: reports, dashboards and leaderboards; skills, project evaluations, leadership and
-- behavioural scores, compliance, innovation and assessment cycles.

INSERT INTO report_definitions (tenant_id, id, name, report_type, owner_id, definition, is_shared) VALUES
({{t}}, {{rep/goal-progress}}, 'Goal progress by department', 'GOAL_PROGRESS', {{user/admin}}, '{"group_by": "department", "period": "2026-H1"}', true),
({{t}}, {{rep/review-completion}}, 'Review completion', 'REVIEW_COMPLETION', {{user/admin}}, '{"cycle": "2026-H1"}', true)
ON CONFLICT DO NOTHING;
INSERT INTO report_schedules (tenant_id, id, report_id, cron, format, recipients, is_active, next_run_at) VALUES
({{t}}, {{repsch/weekly}}, {{rep/goal-progress}}, '0 8 * * MON', 'PDF', '{admin@demo.pms-platform.local}', true, '2026-07-06 08:00Z')
ON CONFLICT DO NOTHING;
INSERT INTO generated_reports (tenant_id, id, report_id, schedule_id, requested_by, status, format, storage_uri, row_count, started_at, finished_at) VALUES
({{t}}, {{repgen/1}}, {{rep/goal-progress}}, {{repsch/weekly}}, NULL, 'SUCCEEDED', 'PDF', 'file://.pms/reports/goal-progress-2026-06-29.pdf', 5, '2026-06-29 08:00Z', '2026-06-29 08:00:04Z')
ON CONFLICT DO NOTHING;
INSERT INTO report_aggregations (tenant_id, id, report_id, department_id, metric, dimension, dimension_value, period_start, period_end, value) VALUES
({{t}}, {{repagg/eng}}, {{rep/goal-progress}}, {{dept/ENG}}, 'avg_goal_progress', 'department', 'ENG', '2026-01-01', '2026-06-30', 60),
({{t}}, {{repagg/sales}}, {{rep/goal-progress}}, {{dept/SALES}}, 'avg_goal_progress', 'department', 'SALES', '2026-01-01', '2026-06-30', 45)
ON CONFLICT DO NOTHING;
INSERT INTO trend_analyses (tenant_id, id, subject_type, subject_id, metric, window_start, window_end, slope, direction, details) VALUES
({{t}}, {{trend/eng-engagement}}, 'DEPARTMENT', {{dept/ENG}}, 'engagement_score', '2026-01-01', '2026-06-30', 0.8, 'IMPROVING', '{"points": 6}')
ON CONFLICT DO NOTHING;
INSERT INTO dashboards (tenant_id, id, owner_id, name, layout, is_default, is_shared) VALUES
({{t}}, {{dash/manager}}, {{user/manager}}, 'My team', '{"columns": 2}', true, false),
({{t}}, {{dash/exec}}, {{user/ceo}}, 'Company health', '{"columns": 3}', false, true)
ON CONFLICT DO NOTHING;
INSERT INTO dashboard_widgets (tenant_id, id, dashboard_id, report_id, widget_type, title, position, config) VALUES
({{t}}, {{widget/goals}}, {{dash/manager}}, {{rep/goal-progress}}, 'BAR_CHART', 'Goal progress', 1, '{}'),
({{t}}, {{widget/enps}}, {{dash/exec}}, NULL, 'KPI_TILE', 'eNPS', 1, '{"metric": "enps"}'),
({{t}}, {{widget/leaders}}, {{dash/exec}}, NULL, 'LEADERBOARD', 'Recognition leaders', 2, '{"leaderboard": "recognition"}')
ON CONFLICT DO NOTHING;
INSERT INTO leaderboards (tenant_id, id, name, metric, scope, department_id, period_start, period_end, is_public) VALUES
({{t}}, {{lb/recognition}}, 'Most recognised, Q2 2026', 'recognitions_received', 'TENANT', NULL, '2026-04-01', '2026-06-30', true)
ON CONFLICT DO NOTHING;
INSERT INTO leaderboard_entries (tenant_id, id, leaderboard_id, user_id, rank, score) VALUES
({{t}}, {{lbe/jane}}, {{lb/recognition}}, {{user/jane}}, 1, 7),
({{t}}, {{lbe/sales}}, {{lb/recognition}}, {{user/sales.manager}}, 2, 5),
({{t}}, {{lbe/eli}}, {{lb/recognition}}, {{user/employee}}, 3, 2)
ON CONFLICT DO NOTHING;

INSERT INTO assessment_cycles (tenant_id, id, name, cycle_type, status, starts_on, ends_on) VALUES
({{t}}, {{acyc/2026}}, 'Skills and compliance 2026', 'MIXED', 'OPEN', '2026-01-01', '2026-12-31')
ON CONFLICT DO NOTHING;
INSERT INTO skill_categories (tenant_id, id, parent_id, name, description) VALUES
({{t}}, {{skcat/eng}}, NULL, 'Engineering', 'Software engineering skills'),
({{t}}, {{skcat/cloud}}, {{skcat/eng}}, 'Cloud', 'Cloud platforms and operations')
ON CONFLICT DO NOTHING;
INSERT INTO skills (tenant_id, id, category_id, name, description) VALUES
({{t}}, {{skill/rust}}, {{skcat/eng}}, 'Rust', NULL),
({{t}}, {{skill/k8s}}, {{skcat/cloud}}, 'Kubernetes', NULL),
({{t}}, {{skill/observability}}, {{skcat/cloud}}, 'Observability', 'Metrics, logs, traces, SLOs')
ON CONFLICT DO NOTHING;
INSERT INTO technical_skill_assessments (tenant_id, id, user_id, skill_id, assessor_id, cycle_id, method, level, target_level, assessed_on) VALUES
({{t}}, {{tsa/jane-obs}}, {{user/jane}}, {{skill/observability}}, {{user/manager}}, {{acyc/2026}}, 'MANAGER', 5, 5, '2026-03-01'),
({{t}}, {{tsa/jane-rust}}, {{user/jane}}, {{skill/rust}}, {{user/jane}}, {{acyc/2026}}, 'SELF', 4, 5, '2026-03-01'),
({{t}}, {{tsa/eli-k8s}}, {{user/employee}}, {{skill/k8s}}, {{user/manager}}, {{acyc/2026}}, 'MANAGER', 3, 4, '2026-03-01')
ON CONFLICT DO NOTHING;
INSERT INTO skill_progress_history (tenant_id, id, user_id, skill_id, assessment_id, from_level, to_level, changed_on) VALUES
({{t}}, {{sph/jane-obs}}, {{user/jane}}, {{skill/observability}}, {{tsa/jane-obs}}, 4, 5, '2026-03-01'),
({{t}}, {{sph/eli-k8s}}, {{user/employee}}, {{skill/k8s}}, {{tsa/eli-k8s}}, 2, 3, '2026-03-01')
ON CONFLICT DO NOTHING;
INSERT INTO project_evaluations (tenant_id, id, project_id, user_id, evaluator_id, cycle_id, quality_score, delivery_score, collaboration_score, comment) VALUES
({{t}}, {{peval/jane-slo}}, {{project/slo}}, {{user/jane}}, {{user/manager}}, {{acyc/2026}}, 5, 4, 5, 'Set the standard for the other teams.'),
({{t}}, {{peval/eli-slo}}, {{project/slo}}, {{user/employee}}, {{user/jane}}, {{acyc/2026}}, 3, 3, 4, NULL)
ON CONFLICT DO NOTHING;
INSERT INTO contribution_scores (tenant_id, id, project_id, user_id, period_start, period_end, score, share_pct) VALUES
({{t}}, {{cscore/jane}}, {{project/slo}}, {{user/jane}}, '2026-01-01', '2026-03-31', 62, 60),
({{t}}, {{cscore/eli}}, {{project/slo}}, {{user/employee}}, '2026-01-01', '2026-03-31', 41, 40)
ON CONFLICT DO NOTHING;
INSERT INTO leadership_competency_scores (tenant_id, id, user_id, competency_id, cycle_id, dimension, score, source) VALUES
({{t}}, {{lcs/manager-coaching}}, {{user/manager}}, {{comp/coaching}}, {{acyc/2026}}, 'coaching', 4.2, 'FEEDBACK_360'),
({{t}}, {{lcs/manager-vision}}, {{user/manager}}, {{comp/vision}}, {{acyc/2026}}, 'vision', 3.6, 'MANAGER')
ON CONFLICT DO NOTHING;
INSERT INTO behavioral_competency_scores (tenant_id, id, user_id, competency_id, cycle_id, dimension, score, evidence_count) VALUES
({{t}}, {{bcs/jane-collab}}, {{user/jane}}, {{comp/collab}}, {{acyc/2026}}, 'collaboration', 4.6, 5),
({{t}}, {{bcs/eli-ownership}}, {{user/employee}}, NULL, {{acyc/2026}}, 'ownership', 3.1, 2)
ON CONFLICT DO NOTHING;
INSERT INTO compliance_policies (tenant_id, id, code, name, category, is_mandatory, renewal_months) VALUES
({{t}}, {{pol/security}}, 'SEC-101', 'Security awareness training', 'SECURITY', true, 12),
({{t}}, {{pol/conduct}}, 'COC-2026', 'Code of conduct acknowledgement', 'CONDUCT', true, 12)
ON CONFLICT DO NOTHING;
INSERT INTO compliance_assessments (tenant_id, id, policy_id, user_id, cycle_id, status, assessed_on, expires_on) VALUES
({{t}}, {{cass/jane-sec}}, {{pol/security}}, {{user/jane}}, {{acyc/2026}}, 'COMPLIANT', '2026-02-01', '2027-02-01'),
({{t}}, {{cass/eli-sec}}, {{pol/security}}, {{user/employee}}, {{acyc/2026}}, 'PENDING', NULL, NULL),
({{t}}, {{cass/eli-coc}}, {{pol/conduct}}, {{user/employee}}, {{acyc/2026}}, 'COMPLIANT', '2026-01-10', '2027-01-10')
ON CONFLICT DO NOTHING;
INSERT INTO compliance_violations (tenant_id, id, policy_id, user_id, reported_by, severity, description, occurred_on, resolved_at) VALUES
({{t}}, {{cviol/eli-laptop}}, {{pol/security}}, {{user/employee}}, {{user/admin}}, 'LOW', 'Laptop left unlocked in the office.', '2026-03-03', '2026-03-04 09:00Z')
ON CONFLICT DO NOTHING;
INSERT INTO innovation_contributions (tenant_id, id, user_id, project_id, title, description, contribution_type, status, submitted_on) VALUES
({{t}}, {{innov/runbook-bot}}, {{user/employee}}, {{project/slo}}, 'Runbook bot', 'Chat bot that runs the top five runbooks.', 'PROTOTYPE', 'UNDER_REVIEW', '2026-04-20'),
({{t}}, {{innov/slo-templates}}, {{user/jane}}, {{project/slo}}, 'SLO templates', 'Reusable SLO definitions per service type.', 'PROCESS_IMPROVEMENT', 'IMPLEMENTED', '2026-02-10')
ON CONFLICT DO NOTHING;
INSERT INTO innovation_evaluations (tenant_id, id, contribution_id, evaluator_id, cycle_id, novelty_score, impact_score, feasibility_score, comment) VALUES
({{t}}, {{ieval/slo-templates}}, {{innov/slo-templates}}, {{user/manager}}, {{acyc/2026}}, 3, 5, 5, 'Adopted by every team.')
ON CONFLICT DO NOTHING;
