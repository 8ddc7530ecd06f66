-- Demo data: ML models and predictions, engagement surveys and responses, sentiment, benchmarks,
-- the feature store; promotion recommendations, succession and development plans, career paths,
-- team optimisation, PIPs, organisational health; notifications, jobs and billing.

INSERT INTO ml_models (tenant_id, id, name, version, model_type, status, metrics, trained_at) VALUES
({{t}}, {{model/attrition}}, 'attrition_risk', '2026.1', 'ATTRITION_RISK', 'ACTIVE', '{"auc": 0.81}', '2026-01-05 00:00Z'),
({{t}}, {{model/readiness}}, 'promotion_readiness', '2026.1', 'PROMOTION_READINESS', 'ACTIVE', '{"auc": 0.77}', '2026-01-05 00:00Z'),
({{t}}, {{model/productivity}}, 'productivity_forecast', '2026.1', 'PRODUCTIVITY', 'ACTIVE', '{"mape": 0.12}', '2026-01-05 00:00Z')
ON CONFLICT DO NOTHING;
INSERT INTO ml_model_predictions (tenant_id, id, model_id, user_id, prediction_type, score, confidence, label, explanation, predicted_at, valid_until) VALUES
({{t}}, {{pred/eli-attrition}}, {{model/attrition}}, {{user/employee}}, 'ATTRITION_RISK', 0.62, 0.8, 'MEDIUM', '{"top_factors": ["on-call load", "no promotion in 2 years"]}', '2026-04-15 02:00Z', '2026-05-15 02:00Z'),
({{t}}, {{pred/jane-attrition}}, {{model/attrition}}, {{user/jane}}, 'ATTRITION_RISK', 0.18, 0.85, 'LOW', '{"top_factors": ["recent promotion"]}', '2026-04-15 02:00Z', '2026-05-15 02:00Z'),
({{t}}, {{pred/jane-readiness}}, {{model/readiness}}, {{user/jane}}, 'PROMOTION_READINESS', 0.88, 0.75, 'READY', '{"top_factors": ["ratings", "scope"]}', '2026-04-15 02:00Z', NULL)
ON CONFLICT DO NOTHING;
INSERT INTO engagement_surveys (tenant_id, id, title, survey_type, status, is_anonymous, min_respondents, opens_at, closes_at, created_by) VALUES
({{t}}, {{survey/2026-q2}}, 'Engagement survey Q2 2026', 'ENGAGEMENT', 'CLOSED', true, 3, '2026-05-01 00:00Z', '2026-05-15 00:00Z', {{user/admin}}),
({{t}}, {{survey/pulse-june}}, 'June pulse', 'PULSE', 'OPEN', true, 3, '2026-06-01 00:00Z', '2026-06-30 00:00Z', {{user/admin}})
ON CONFLICT DO NOTHING;
INSERT INTO survey_questions (tenant_id, id, survey_id, position, prompt, answer_type, driver) VALUES
({{t}}, {{sq/enps}}, {{survey/2026-q2}}, 1, 'How likely are you to recommend working here?', 'ENPS_10', 'advocacy'),
({{t}}, {{sq/growth}}, {{survey/2026-q2}}, 2, 'I see a path to grow my career here.', 'LIKERT_5', 'growth'),
({{t}}, {{sq/open}}, {{survey/2026-q2}}, 3, 'What one thing would you change?', 'TEXT', NULL)
ON CONFLICT DO NOTHING;
INSERT INTO survey_responses (tenant_id, id, survey_id, question_id, respondent_id, department_id, rating, answer_text, submitted_at) VALUES
({{t}}, {{sr/1}}, {{survey/2026-q2}}, {{sq/enps}}, NULL, {{dept/ENG}}, 9, NULL, '2026-05-03 10:00Z'),
({{t}}, {{sr/2}}, {{survey/2026-q2}}, {{sq/enps}}, NULL, {{dept/ENG}}, 6, NULL, '2026-05-04 11:00Z'),
({{t}}, {{sr/3}}, {{survey/2026-q2}}, {{sq/enps}}, NULL, {{dept/SALES}}, 10, NULL, '2026-05-05 12:00Z'),
({{t}}, {{sr/4}}, {{survey/2026-q2}}, {{sq/growth}}, NULL, {{dept/ENG}}, 4, NULL, '2026-05-03 10:00Z'),
({{t}}, {{sr/5}}, {{survey/2026-q2}}, {{sq/open}}, NULL, {{dept/ENG}}, NULL, 'Fewer pages at night.', '2026-05-04 11:00Z')
ON CONFLICT DO NOTHING;
INSERT INTO pulse_responses (tenant_id, id, user_id, survey_id, mood, comment, responded_at) VALUES
({{t}}, {{pulse/1}}, NULL, {{survey/pulse-june}}, 4, NULL, '2026-06-02 09:00Z'),
({{t}}, {{pulse/2}}, NULL, {{survey/pulse-june}}, 2, 'Tired after the incident week.', '2026-06-02 09:30Z')
ON CONFLICT DO NOTHING;
INSERT INTO engagement_scores (tenant_id, id, user_id, department_id, period_start, driver, score, enps) VALUES
({{t}}, {{escore/eng}}, NULL, {{dept/ENG}}, '2026-04-01', 'overall', 72, 33),
({{t}}, {{escore/sales}}, NULL, {{dept/SALES}}, '2026-04-01', 'overall', 81, 50),
({{t}}, {{escore/jane}}, {{user/jane}}, NULL, '2026-04-01', 'overall', 88, NULL)
ON CONFLICT DO NOTHING;
INSERT INTO engagement_events (tenant_id, id, user_id, event_type, impact, occurred_at, details) VALUES
({{t}}, {{eevent/jane-promo}}, {{user/jane}}, 'PROMOTION', 1.5, '2026-03-01 00:00Z', '{"to": "Staff Software Engineer"}'),
({{t}}, {{eevent/eli-recog}}, {{user/employee}}, 'RECOGNITION', 0.5, '2026-04-14 16:00Z', '{}')
ON CONFLICT DO NOTHING;
INSERT INTO sentiment_analyses (tenant_id, id, source_type, source_id, user_id, score, label, emotions) VALUES
({{t}}, {{sent/fb1}}, 'FEEDBACK', {{fb/1}}, {{user/jane}}, 0.9, 'POSITIVE', '{"joy": 0.8}'),
({{t}}, {{sent/fb2}}, 'FEEDBACK', {{fb/2}}, {{user/employee}}, 0.2, 'NEUTRAL', '{}'),
({{t}}, {{sent/sr5}}, 'SURVEY_RESPONSE', {{sr/5}}, NULL, -0.4, 'NEGATIVE', '{"fatigue": 0.6}')
ON CONFLICT DO NOTHING;
INSERT INTO sentiment_trends (tenant_id, id, department_id, team_id, period_start, average_score, sample_count, direction) VALUES
({{t}}, {{strend/eng}}, {{dept/ENG}}, NULL, '2026-04-01', 0.21, 42, 'STABLE'),
({{t}}, {{strend/platform}}, NULL, {{team/PLATFORM}}, '2026-04-01', 0.12, 18, 'DECLINING')
ON CONFLICT DO NOTHING;
INSERT INTO productivity_predictions (tenant_id, id, user_id, model_id, period_start, predicted_value, lower_bound, upper_bound, actual_value) VALUES
({{t}}, {{prod/jane-may}}, {{user/jane}}, {{model/productivity}}, '2026-05-01', 1.08, 0.95, 1.2, 1.1),
({{t}}, {{prod/eli-may}}, {{user/employee}}, {{model/productivity}}, '2026-05-01', 0.86, 0.7, 1.0, NULL)
ON CONFLICT DO NOTHING;
INSERT INTO anomaly_patterns (tenant_id, id, code, name, description, rule) VALUES
({{t}}, {{apat/overwork}}, 'sustained_overwork', 'Sustained overwork', 'More than 50 hours a week for three weeks.', '{"hours_per_week": 50, "weeks": 3}')
ON CONFLICT DO NOTHING;
INSERT INTO anomaly_detections (tenant_id, id, pattern_id, model_id, user_id, team_id, detected_at, score, status, details) VALUES
({{t}}, {{adet/eli}}, {{apat/overwork}}, NULL, {{user/employee}}, NULL, '2026-04-12 02:00Z', 0.91, 'CONFIRMED', '{"weeks": 3}'),
({{t}}, {{adet/platform}}, NULL, {{model/attrition}}, NULL, {{team/PLATFORM}}, '2026-04-15 02:00Z', 0.55, 'NEW', '{}')
ON CONFLICT DO NOTHING;
INSERT INTO benchmarks (tenant_id, id, metric, source, segment, period_start, p25, p50, p75) VALUES
({{t}}, {{bench/enps-saas}}, 'enps', 'INDUSTRY', 'saas-200-1000', '2026-01-01', 10, 25, 40)
ON CONFLICT DO NOTHING;
INSERT INTO benchmark_comparisons (tenant_id, id, benchmark_id, user_id, department_id, value, percentile) VALUES
({{t}}, {{bcmp/eng}}, {{bench/enps-saas}}, NULL, {{dept/ENG}}, 33, 62),
({{t}}, {{bcmp/sales}}, {{bench/enps-saas}}, NULL, {{dept/SALES}}, 50, 85)
ON CONFLICT DO NOTHING;
INSERT INTO feature_store_features (tenant_id, id, name, entity_type, value_type, description, ttl_days) VALUES
({{t}}, {{feat/pages}}, 'night_pages_28d', 'USER', 'NUMBER', 'Night pages in the last 28 days', 1),
({{t}}, {{feat/tenure}}, 'tenure_months', 'USER', 'NUMBER', 'Months since hire', 30)
ON CONFLICT DO NOTHING;
INSERT INTO feature_store_values (tenant_id, id, feature_id, entity_id, as_of, value) VALUES
({{t}}, {{featv/eli-pages}}, {{feat/pages}}, {{user/employee}}, '2026-04-15 00:00Z', '11'),
({{t}}, {{featv/jane-tenure}}, {{feat/tenure}}, {{user/jane}}, '2026-04-15 00:00Z', '64')
ON CONFLICT DO NOTHING;

INSERT INTO promotion_recommendations (tenant_id, id, user_id, recommended_by, model_id, cycle_id, target_level, target_title, readiness_score, readiness, status, rationale, factors) VALUES
({{t}}, {{precs/jane}}, {{user/jane}}, {{user/manager}}, {{model/readiness}}, {{cycle/2026-h1}}, 7, 'Principal Engineer', 78, 'READY_1_YEAR', 'OPEN', 'Cross-team reliability leadership; needs a company-wide initiative.', '{"ratings": 4.5, "scope": "multi-team"}'),
({{t}}, {{precs/sales}}, {{user/sales.manager}}, {{user/ceo}}, NULL, {{cycle/2026-h1}}, 8, 'Director of Sales', 85, 'READY_NOW', 'OPEN', 'Built the enterprise pipeline.', '{}')
ON CONFLICT DO NOTHING;
INSERT INTO succession_plans (tenant_id, id, position_title, incumbent_id, department_id, owner_id, criticality, vacancy_risk, status, review_date) VALUES
({{t}}, {{succ/eng-manager}}, 'Engineering Manager, Platform', {{user/manager}}, {{dept/ENG}}, {{user/admin}}, 'HIGH', 'MEDIUM', 'ACTIVE', '2026-09-30'),
({{t}}, {{succ/ceo}}, 'Chief Executive Officer', {{user/ceo}}, {{dept/EXEC}}, {{user/admin}}, 'CRITICAL', 'LOW', 'ACTIVE', '2026-12-31')
ON CONFLICT DO NOTHING;
INSERT INTO succession_candidates (tenant_id, id, plan_id, candidate_id, readiness, rank, notes) VALUES
({{t}}, {{succc/jane}}, {{succ/eng-manager}}, {{user/jane}}, 'READY_1_YEAR', 1, 'Would need management training.'),
({{t}}, {{succc/sales}}, {{succ/ceo}}, {{user/sales.manager}}, 'READY_2_YEARS', 1, NULL)
ON CONFLICT DO NOTHING;
INSERT INTO career_paths (tenant_id, id, name, track, department_id, description) VALUES
({{t}}, {{cpath/eng-ic}}, 'Engineering IC track', 'INDIVIDUAL_CONTRIBUTOR', {{dept/ENG}}, 'From engineer to principal.'),
({{t}}, {{cpath/eng-mgmt}}, 'Engineering management track', 'MANAGEMENT', {{dept/ENG}}, 'From team lead to director.')
ON CONFLICT DO NOTHING;
INSERT INTO career_path_steps (tenant_id, id, path_id, position, title, level, requirements, typical_months) VALUES
({{t}}, {{cstep/ic-senior}}, {{cpath/eng-ic}}, 1, 'Senior Software Engineer', 5, '{"TECH_DEPTH": 4}', 24),
({{t}}, {{cstep/ic-staff}}, {{cpath/eng-ic}}, 2, 'Staff Software Engineer', 6, '{"TECH_DEPTH": 5}', 36),
({{t}}, {{cstep/mgmt-em}}, {{cpath/eng-mgmt}}, 1, 'Engineering Manager', 7, '{"COACHING": 4}', 36)
ON CONFLICT DO NOTHING;
INSERT INTO development_plans (tenant_id, id, employee_id, manager_id, career_path_id, target_step_id, title, status, starts_on, ends_on, progress) VALUES
({{t}}, {{dplan/jane}}, {{user/jane}}, {{user/manager}}, {{cpath/eng-mgmt}}, {{cstep/mgmt-em}}, 'Towards engineering management', 'ACTIVE', '2026-03-01', '2027-02-28', 25),
({{t}}, {{dplan/eli}}, {{user/employee}}, {{user/manager}}, {{cpath/eng-ic}}, {{cstep/ic-senior}}, 'Operational ownership', 'ACTIVE', '2026-04-01', '2026-12-31', 10)
ON CONFLICT DO NOTHING;
INSERT INTO development_activities (tenant_id, id, plan_id, skill_id, competency_id, activity_type, title, status, due_date) VALUES
({{t}}, {{dact/jane-course}}, {{dplan/jane}}, NULL, {{comp/coaching}}, 'COURSE', 'New manager foundations', 'IN_PROGRESS', '2026-06-30'),
({{t}}, {{dact/jane-mentor}}, {{dplan/jane}}, NULL, {{comp/coaching}}, 'MENTORING', 'Monthly mentoring with the CEO', 'PLANNED', '2026-12-31'),
({{t}}, {{dact/eli-k8s}}, {{dplan/eli}}, {{skill/k8s}}, NULL, 'CERTIFICATION', 'Kubernetes administrator certification', 'PLANNED', '2026-09-30')
ON CONFLICT DO NOTHING;
INSERT INTO development_checkpoints (tenant_id, id, plan_id, reviewer_id, scheduled_on, completed_at, notes, progress_snapshot) VALUES
({{t}}, {{dchk/jane-q2}}, {{dplan/jane}}, {{user/manager}}, '2026-06-30', NULL, NULL, NULL),
({{t}}, {{dchk/eli-q2}}, {{dplan/eli}}, {{user/manager}}, '2026-06-30', NULL, NULL, NULL)
ON CONFLICT DO NOTHING;
INSERT INTO team_optimizations (tenant_id, id, team_id, suggested_by_model_id, optimization_type, status, expected_impact, recommendation) VALUES
({{t}}, {{topt/platform}}, {{team/PLATFORM}}, {{model/productivity}}, 'REBALANCE_WORKLOAD', 'PROPOSED', 12.5, '{"move_oncall_shifts": 2, "from": "employee", "to": "jane"}')
ON CONFLICT DO NOTHING;
INSERT INTO team_composition_analyses (tenant_id, id, team_id, analyzed_on, headcount, seniority_mix, skill_coverage, health_score) VALUES
({{t}}, {{tcomp/platform}}, {{team/PLATFORM}}, '2026-04-15', 3, '{"senior": 1, "mid": 1, "manager": 1}', '{"observability": 1.0, "kubernetes": 0.5}', 74)
ON CONFLICT DO NOTHING;
INSERT INTO pip_templates (tenant_id, id, name, duration_days, sections) VALUES
({{t}}, {{piptpl/standard}}, 'Standard 60-day plan', 60, '[{"title": "Expectations"}, {"title": "Support"}, {"title": "Check-ins"}]')
ON CONFLICT DO NOTHING;
INSERT INTO performance_improvement_plans (tenant_id, id, employee_id, manager_id, hr_partner_id, template_id, review_id, status, reason, expectations, starts_on, ends_on) VALUES
({{t}}, {{pip/eli}}, {{user/employee}}, {{user/manager}}, {{user/admin}}, {{piptpl/standard}}, {{review/2025-eli-mgr}}, 'ACTIVE', 'Operational follow-ups missed after incidents.', 'Close every incident action item within five working days.', '2026-04-15', '2026-06-14')
ON CONFLICT DO NOTHING;
INSERT INTO pip_milestones (tenant_id, id, pip_id, description, due_date, status) VALUES
({{t}}, {{pipm/1}}, {{pip/eli}}, 'All open incident action items closed', '2026-05-01', 'MET'),
({{t}}, {{pipm/2}}, {{pip/eli}}, 'Runbook for the search service written', '2026-05-31', 'PENDING')
ON CONFLICT DO NOTHING;
INSERT INTO pip_check_ins (tenant_id, id, pip_id, conducted_by, check_in_date, progress_rating, notes) VALUES
({{t}}, {{pipc/1}}, {{pip/eli}}, {{user/manager}}, '2026-05-01', 'ON_TRACK', 'Backlog cleared; good momentum.')
ON CONFLICT DO NOTHING;
INSERT INTO organizational_health_metrics (tenant_id, id, metric, period_start, period_end, value, target_value, status) VALUES
({{t}}, {{ohm/attrition}}, 'voluntary_attrition_pct', '2026-01-01', '2026-03-31', 2.1, 3.0, 'HEALTHY'),
({{t}}, {{ohm/enps}}, 'enps', '2026-04-01', '2026-06-30', 38, 40, 'WATCH'),
({{t}}, {{ohm/span}}, 'span_of_control', '2026-04-01', '2026-06-30', 4.5, 6, 'WATCH')
ON CONFLICT DO NOTHING;
INSERT INTO department_health_metrics (tenant_id, id, department_id, metric, period_start, value, status) VALUES
({{t}}, {{dhm/eng-burnout}}, {{dept/ENG}}, 'burnout_risk_pct', '2026-04-01', 22, 'AT_RISK'),
({{t}}, {{dhm/sales-enps}}, {{dept/SALES}}, 'enps', '2026-04-01', 50, 'HEALTHY')
ON CONFLICT DO NOTHING;
INSERT INTO culture_diagnostics (tenant_id, id, survey_id, department_id, dimension, score, diagnosed_on, findings) VALUES
({{t}}, {{culture/psych-safety}}, {{survey/2026-q2}}, NULL, 'psychological_safety', 76, '2026-05-20', '{"strength": "candour in retros"}'),
({{t}}, {{culture/eng-recognition}}, {{survey/2026-q2}}, {{dept/ENG}}, 'recognition', 64, '2026-05-20', '{"gap": "operational work goes unseen"}')
ON CONFLICT DO NOTHING;
INSERT INTO scenario_analyses (tenant_id, id, name, created_by, scenario_type, status, inputs, results) VALUES
({{t}}, {{scen/merit}}, 'Merit budget 3% vs 4%', {{user/admin}}, 'PROMOTION_BUDGET', 'COMPUTED', '{"budgets": [0.03, 0.04]}', '{"cost_delta": 86000, "attrition_delta_pct": -0.4}')
ON CONFLICT DO NOTHING;

INSERT INTO notification_templates (tenant_id, id, code, channel, locale, subject, body) VALUES
({{t}}, {{ntpl/review-due}}, 'review.due', 'EMAIL', 'en', 'Your review is due soon', 'Please complete your review by the due date.'),
({{t}}, {{ntpl/feedback}}, 'feedback.received', 'IN_APP', 'en', NULL, 'You received new feedback.')
ON CONFLICT DO NOTHING;
INSERT INTO notifications (tenant_id, id, recipient_id, template_id, channel, status, title, body, entity_type, entity_id, sent_at, read_at) VALUES
({{t}}, {{notif/jane-fb}}, {{user/jane}}, {{ntpl/feedback}}, 'IN_APP', 'READ', 'Morgan praised your work', NULL, 'feedback', {{fb/1}}, '2026-03-20 15:00Z', '2026-03-20 15:30Z'),
({{t}}, {{notif/manager-review}}, {{user/manager}}, {{ntpl/review-due}}, 'EMAIL', 'SENT', 'Jane''s mid-year review is due on 15 July', NULL, 'performance_review', {{review/2026-jane-mgr}}, '2026-07-08 08:00Z', NULL)
ON CONFLICT DO NOTHING;
-- Who answered the closed Q2 survey (never what: the answers are anonymous), and one metric
-- upload through the API with two refused lines.
INSERT INTO survey_participations (tenant_id, id, survey_id, user_id, participated_on, created_at, updated_at) VALUES
({{t}}, {{participation/q2-jane}}, {{survey/2026-q2}}, {{user/jane}}, '2026-05-04', '2026-05-04 00:00Z', '2026-05-04 00:00Z'),
({{t}}, {{participation/q2-manager}}, {{survey/2026-q2}}, {{user/manager}}, '2026-05-05', '2026-05-05 00:00Z', '2026-05-05 00:00Z'),
({{t}}, {{participation/q2-admin}}, {{survey/2026-q2}}, {{user/admin}}, '2026-05-06', '2026-05-06 00:00Z', '2026-05-06 00:00Z')
ON CONFLICT DO NOTHING;
INSERT INTO metric_ingestions (tenant_id, id, ingested_by, lines_total, lines_accepted, lines_rejected, created_at) VALUES
({{t}}, {{ingestion/june}}, {{user/admin}}, 120, 118, 2, '2026-06-30 18:00Z')
ON CONFLICT DO NOTHING;
-- How the CEO wants two workflow notifications: reviews due also by email, cancelled 1:1s
-- by email only.
INSERT INTO notification_preferences (tenant_id, id, user_id, event, in_app, email) VALUES
({{t}}, {{npref/ceo-review}}, {{user/ceo}}, 'review.due', true, true),
({{t}}, {{npref/ceo-1on1}}, {{user/ceo}}, 'one_on_one.cancelled', false, true)
ON CONFLICT DO NOTHING;
INSERT INTO background_jobs (tenant_id, id, job_type, status, priority, payload, attempts, run_after, finished_at, created_by) VALUES
({{t}}, {{bjob/export}}, 'report.export', 'SUCCEEDED', 0, '{"report": "goal-progress"}', 1, '2026-06-29 08:00Z', '2026-06-29 08:00:04Z', {{user/admin}}),
({{t}}, {{bjob/recompute}}, 'engagement.recompute', 'QUEUED', 5, '{"period": "2026-Q2"}', 0, '2026-07-01 00:00Z', NULL, NULL)
ON CONFLICT DO NOTHING;
INSERT INTO subscriptions (tenant_id, id, plan, status, seats, billing_period, current_period_start, current_period_end) VALUES
({{t}}, {{sub/2026}}, 'ENTERPRISE', 'ACTIVE', 250, 'ANNUAL', '2026-01-01', '2027-01-01')
ON CONFLICT DO NOTHING;
INSERT INTO invoices (tenant_id, id, subscription_id, number, status, currency, amount, issued_on, due_on, paid_at) VALUES
({{t}}, {{inv/2026}}, {{sub/2026}}, 'INV-2026-0001', 'PAID', 'USD', 90000, '2026-01-01', '2026-01-31', '2026-01-20 10:00Z')
ON CONFLICT DO NOTHING;
INSERT INTO seed_batches (tenant_id, id, batch, row_count, parameters) VALUES
({{t}}, {{seed-batch/demo}}, 'demo', 0, '{"kind": "demo"}')
ON CONFLICT DO NOTHING;
-- A live session for Jane whose token nobody knows (random), so the sessions table has data.
INSERT INTO sessions (tenant_id, id, user_id, token_hash, ip_address, user_agent, expires_at) VALUES
({{t}}, {{session/jane}}, {{user/jane}}, sha256(convert_to(gen_random_uuid()::text, 'UTF8')), '127.0.0.1', 'pms demo seed', now() + interval '30 days')
ON CONFLICT DO NOTHING;
-- Jane's retried goal creation: the first answer kept under her Idempotency-Key.
INSERT INTO api_idempotency_keys (tenant_id, user_id, key, request_hash, status, response) VALUES
({{t}}, {{user/jane}}, 'demo-create-goal-1', sha256(convert_to('demo', 'UTF8')), 201, '{"demo": true}')
ON CONFLICT DO NOTHING;
