-- Demo data: goals and OKRs, reviews, competencies, feedback, one-on-ones, calibration, evidence,
-- compensation and promotion decisions. {{t}} is the tenant, {{a/b}} the seed id of "<slug>/a/b".

INSERT INTO goals (tenant_id, id, owner_id, department_id, team_id, parent_id, goal_type, status, title, description, period_start, period_end, progress, tags, metadata) VALUES
({{t}}, {{goal/company-growth}}, {{user/ceo}}, NULL, NULL, NULL, 'OKR_OBJECTIVE', 'ACTIVE', 'Grow annual recurring revenue by 40%', 'Company objective for 2026: expand enterprise accounts and reduce churn.', '2026-01-01', '2026-12-31', 55, '{revenue,company}', '{"okr": true}'),
({{t}}, {{goal/eng-reliability}}, {{user/manager}}, {{dept/ENG}}, {{team/PLATFORM}}, {{goal/company-growth}}, 'DEPARTMENT', 'ACTIVE', 'Reach 99.95% platform availability', 'Reliability work that keeps enterprise customers.', '2026-01-01', '2026-06-30', 70, '{reliability}', '{"okr": false}'),
({{t}}, {{goal/jane-observability}}, {{user/jane}}, {{dept/ENG}}, {{team/PLATFORM}}, {{goal/eng-reliability}}, 'INDIVIDUAL', 'ACTIVE', 'Ship service-level dashboards for every team', 'Dashboards and alerts for the top ten services.', '2026-01-01', '2026-06-30', 80, '{observability,reliability}', '{}'),
({{t}}, {{goal/eli-oncall}}, {{user/employee}}, {{dept/ENG}}, {{team/PLATFORM}}, {{goal/eng-reliability}}, 'INDIVIDUAL', 'AT_RISK', 'Cut on-call pages by half', 'Remove the noisiest alerts and automate the top runbooks.', '2026-01-01', '2026-06-30', 30, '{oncall}', '{}'),
({{t}}, {{goal/sales-pipeline}}, {{user/sales.manager}}, {{dept/SALES}}, {{team/ENTERPRISE}}, {{goal/company-growth}}, 'TEAM', 'ACTIVE', 'Build a $5M enterprise pipeline', NULL, '2026-01-01', '2026-06-30', 45, '{sales}', '{}'),
({{t}}, {{goal/admin-review-process}}, {{user/admin}}, {{dept/HR}}, NULL, NULL, 'INDIVIDUAL', 'COMPLETED', 'Launch the 2026 review process', 'Templates, calendar and manager training.', '2025-10-01', '2026-01-31', 100, '{people}', '{}')
ON CONFLICT DO NOTHING;

INSERT INTO key_results (tenant_id, id, goal_id, owner_id, title, metric_type, start_value, target_value, current_value, unit, status, confidence, due_date) VALUES
({{t}}, {{kr/arr}}, {{goal/company-growth}}, {{user/ceo}}, 'ARR reaches $14M', 'CURRENCY', 10000000, 14000000, 12200000, 'USD', 'ON_TRACK', 7, '2026-12-31'),
({{t}}, {{kr/churn}}, {{goal/company-growth}}, {{user/sales.manager}}, 'Logo churn below 5%', 'PERCENT', 8, 5, 6.5, '%', 'AT_RISK', 5, '2026-12-31'),
({{t}}, {{kr/availability}}, {{goal/eng-reliability}}, {{user/manager}}, 'Availability 99.95%', 'PERCENT', 99.8, 99.95, 99.93, '%', 'ON_TRACK', 8, '2026-06-30'),
({{t}}, {{kr/dashboards}}, {{goal/jane-observability}}, {{user/jane}}, '10 services with SLO dashboards', 'NUMBER', 0, 10, 8, 'services', 'ON_TRACK', 9, '2026-06-30'),
({{t}}, {{kr/pages}}, {{goal/eli-oncall}}, {{user/employee}}, 'Pages per week down to 10', 'NUMBER', 20, 10, 17, 'pages', 'OFF_TRACK', 4, '2026-06-30')
ON CONFLICT DO NOTHING;

INSERT INTO goal_alignments (tenant_id, id, goal_id, aligned_to_goal_id, alignment_type, contribution_weight, created_by) VALUES
({{t}}, {{align/eng}}, {{goal/eng-reliability}}, {{goal/company-growth}}, 'SUPPORTS', 0.3, {{user/manager}}),
({{t}}, {{align/jane}}, {{goal/jane-observability}}, {{goal/eng-reliability}}, 'CONTRIBUTES_TO', 0.5, {{user/jane}}),
({{t}}, {{align/sales}}, {{goal/sales-pipeline}}, {{goal/company-growth}}, 'SUPPORTS', 0.7, {{user/sales.manager}})
ON CONFLICT DO NOTHING;

INSERT INTO goal_progress_updates (tenant_id, id, goal_id, key_result_id, author_id, previous_progress, new_progress, confidence_label, note, recorded_at) VALUES
({{t}}, {{gpu/jane-1}}, {{goal/jane-observability}}, {{kr/dashboards}}, {{user/jane}}, 50, 80, 'ON_TRACK', 'Payments and search dashboards live.', '2026-04-10 09:00Z'),
({{t}}, {{gpu/eli-1}}, {{goal/eli-oncall}}, {{kr/pages}}, {{user/employee}}, 20, 30, 'AT_RISK', 'Two noisy alerts removed; the rest need owners.', '2026-04-12 16:30Z')
ON CONFLICT DO NOTHING;

INSERT INTO goal_comments (tenant_id, id, goal_id, author_id, parent_comment_id, body) VALUES
({{t}}, {{gc/1}}, {{goal/eli-oncall}}, {{user/manager}}, NULL, 'Let us pair on the runbook automation next week.'),
({{t}}, {{gc/2}}, {{goal/eli-oncall}}, {{user/employee}}, {{gc/1}}, 'Thanks, booked Tuesday.')
ON CONFLICT DO NOTHING;

INSERT INTO review_templates (tenant_id, id, name, review_type, sections, is_default, created_by) VALUES
({{t}}, {{tpl/manager}}, 'Manager review 2026', 'MANAGER', '[{"title": "Results"}, {"title": "Behaviours"}, {"title": "Growth"}]', true, {{user/admin}}),
({{t}}, {{tpl/self}}, 'Self assessment 2026', 'SELF', '[{"title": "Highlights"}, {"title": "Challenges"}]', true, {{user/admin}}),
({{t}}, {{tpl/peer}}, 'Peer review 2026', 'PEER', '[{"title": "Collaboration"}]', true, {{user/admin}})
ON CONFLICT DO NOTHING;

INSERT INTO review_cycles (tenant_id, id, name, cycle_type, status, template_id, period_start, period_end, self_assessment_due, manager_review_due, calibration_due, closes_on, created_by) VALUES
({{t}}, {{cycle/2025}}, 'Annual review 2025', 'ANNUAL', 'COMPLETED', {{tpl/manager}}, '2025-01-01', '2025-12-31', '2026-01-10', '2026-01-20', '2026-01-31', '2026-02-15', {{user/admin}}),
({{t}}, {{cycle/2026-h1}}, 'Mid-year review 2026', 'SEMI_ANNUAL', 'MANAGER_REVIEW', {{tpl/manager}}, '2026-01-01', '2026-06-30', '2026-07-05', '2026-07-15', '2026-07-25', '2026-08-10', {{user/admin}})
ON CONFLICT DO NOTHING;

INSERT INTO performance_reviews (tenant_id, id, cycle_id, reviewee_id, reviewer_id, template_id, review_type, status, overall_rating, summary, strengths, improvements, submitted_at, shared_at, due_date) VALUES
({{t}}, {{review/2025-jane-mgr}}, {{cycle/2025}}, {{user/jane}}, {{user/manager}}, {{tpl/manager}}, 'MANAGER', 'SHARED', 4.5, 'Jane raised the bar for reliability across the platform team.', 'Technical depth, mentoring, calm incident leadership', 'Delegate more of the dashboard work', '2026-01-18 10:00Z', '2026-02-10 10:00Z', '2026-01-20'),
({{t}}, {{review/2025-eli-mgr}}, {{cycle/2025}}, {{user/employee}}, {{user/manager}}, {{tpl/manager}}, 'MANAGER', 'SHARED', 3.0, 'Eli delivered solid features but on-call load slipped.', 'Feature delivery, curiosity', 'Ownership of operational follow-ups', '2026-01-19 10:00Z', '2026-02-10 10:00Z', '2026-01-20'),
({{t}}, {{review/2026-jane-self}}, {{cycle/2026-h1}}, {{user/jane}}, {{user/jane}}, {{tpl/self}}, 'SELF', 'SUBMITTED', 4.0, 'Dashboards for eight services shipped; paging is down.', 'Observability, coaching', 'Public speaking', '2026-07-03 12:00Z', NULL, '2026-07-05'),
({{t}}, {{review/2026-jane-mgr}}, {{cycle/2026-h1}}, {{user/jane}}, {{user/manager}}, {{tpl/manager}}, 'MANAGER', 'IN_PROGRESS', NULL, NULL, NULL, NULL, NULL, NULL, '2026-07-15'),
({{t}}, {{review/2026-eli-peer}}, {{cycle/2026-h1}}, {{user/employee}}, {{user/jane}}, {{tpl/peer}}, 'PEER', 'NOT_STARTED', NULL, NULL, NULL, NULL, NULL, NULL, '2026-07-15')
ON CONFLICT DO NOTHING;

INSERT INTO review_goals (tenant_id, id, review_id, goal_id, rating, comment) VALUES
({{t}}, {{rg/1}}, {{review/2026-jane-self}}, {{goal/jane-observability}}, 4.0, 'Eight of ten dashboards live.'),
({{t}}, {{rg/2}}, {{review/2025-eli-mgr}}, {{goal/eli-oncall}}, 2.5, 'Started late; now has a plan.')
ON CONFLICT DO NOTHING;

INSERT INTO competency_frameworks (tenant_id, id, name, version, description, status) VALUES
({{t}}, {{fw/eng}}, 'Engineering ladder', 1, 'Expectations for engineers from level 3 to 8.', 'ACTIVE'),
({{t}}, {{fw/leadership}}, 'Leadership', 1, 'Expectations for people managers.', 'ACTIVE')
ON CONFLICT DO NOTHING;

INSERT INTO competencies (tenant_id, id, framework_id, code, name, category, description, level_expectations) VALUES
({{t}}, {{comp/tech}}, {{fw/eng}}, 'TECH_DEPTH', 'Technical depth', 'TECHNICAL', 'Designs and builds robust systems.', '{"4": "owns a service", "5": "owns a system"}'),
({{t}}, {{comp/collab}}, {{fw/eng}}, 'COLLABORATION', 'Collaboration', 'BEHAVIORAL', 'Works well across teams.', '{}'),
({{t}}, {{comp/coaching}}, {{fw/leadership}}, 'COACHING', 'Coaching', 'LEADERSHIP', 'Grows the people around them.', '{}'),
({{t}}, {{comp/vision}}, {{fw/leadership}}, 'VISION', 'Vision', 'LEADERSHIP', 'Sets direction others follow.', '{}')
ON CONFLICT DO NOTHING;

INSERT INTO competency_assessments (tenant_id, id, user_id, competency_id, assessor_id, review_id, assessment_type, rating, target_level, comment, assessed_at) VALUES
({{t}}, {{ca/jane-tech}}, {{user/jane}}, {{comp/tech}}, {{user/manager}}, {{review/2025-jane-mgr}}, 'MANAGER', 5, 5, 'Designed the new alerting pipeline.', '2026-01-18 10:00Z'),
({{t}}, {{ca/jane-collab}}, {{user/jane}}, {{comp/collab}}, {{user/manager}}, {{review/2025-jane-mgr}}, 'MANAGER', 4, 5, NULL, '2026-01-18 10:00Z'),
({{t}}, {{ca/eli-tech}}, {{user/employee}}, {{comp/tech}}, {{user/manager}}, {{review/2025-eli-mgr}}, 'MANAGER', 3, 4, NULL, '2026-01-19 10:00Z'),
({{t}}, {{ca/manager-coaching}}, {{user/manager}}, {{comp/coaching}}, {{user/ceo}}, NULL, 'MANAGER', 4, 4, NULL, '2026-02-01 10:00Z')
ON CONFLICT DO NOTHING;

INSERT INTO feedback (tenant_id, id, giver_id, recipient_id, requested_by, goal_id, feedback_type, visibility, is_anonymous, body, tags, sentiment_score, created_at) VALUES
({{t}}, {{fb/1}}, {{user/manager}}, {{user/jane}}, NULL, {{goal/jane-observability}}, 'PRAISE', 'PUBLIC', false, 'The payments dashboard caught the March incident within minutes. Great work!', '{reliability,ownership}', 0.9, '2026-03-20 15:00Z'),
({{t}}, {{fb/2}}, {{user/jane}}, {{user/employee}}, NULL, NULL, 'CONSTRUCTIVE', 'PRIVATE', false, 'Your incident notes were thorough; next time page the owner before digging in alone.', '{incidents}', 0.2, '2026-03-22 11:00Z'),
({{t}}, {{fb/3}}, NULL, {{user/manager}}, NULL, NULL, 'SUGGESTION', 'MANAGER', true, 'Team meetings would benefit from a written agenda.', '{meetings}', 0.1, '2026-04-02 08:00Z'),
({{t}}, {{fb/4}}, {{user/employee}}, {{user/jane}}, {{user/jane}}, NULL, 'REQUEST', 'PRIVATE', false, 'Could you review my design for the runbook bot?', '{design}', 0.0, '2026-04-05 09:30Z'),
({{t}}, {{fb/5}}, {{user/ceo}}, {{user/sales.manager}}, NULL, {{goal/sales-pipeline}}, 'RECOGNITION', 'PUBLIC', false, 'Closing the Northwind deal made our quarter. Thank you!', '{sales,impact}', 0.95, '2026-04-15 17:00Z')
ON CONFLICT DO NOTHING;

INSERT INTO one_on_ones (tenant_id, id, manager_id, employee_id, scheduled_at, duration_minutes, status, recurrence, shared_notes, mood) VALUES
({{t}}, {{o3/jane-1}}, {{user/manager}}, {{user/jane}}, '2026-04-07 10:00Z', 30, 'COMPLETED', 'BIWEEKLY', 'Talked about the staff engineer path.', 5),
({{t}}, {{o3/eli-1}}, {{user/manager}}, {{user/employee}}, '2026-04-08 10:00Z', 30, 'COMPLETED', 'WEEKLY', 'On-call plan agreed.', 3),
({{t}}, {{o3/eli-2}}, {{user/manager}}, {{user/employee}}, '2026-07-15 10:00Z', 30, 'SCHEDULED', 'WEEKLY', NULL, NULL)
ON CONFLICT DO NOTHING;

-- Private notes: each seen by its author only.
INSERT INTO one_on_one_private_notes (tenant_id, id, one_on_one_id, author_id, body) VALUES
({{t}}, {{o3n/jane-1-manager}}, {{o3/jane-1}}, {{user/manager}}, 'Jane is ready for more scope.'),
({{t}}, {{o3n/eli-1-employee}}, {{o3/eli-1}}, {{user/employee}}, 'Ask about the on-call rota before the next cycle.')
ON CONFLICT DO NOTHING;

INSERT INTO one_on_one_agenda_items (tenant_id, id, one_on_one_id, added_by, position, topic, is_discussed) VALUES
({{t}}, {{o3a/1}}, {{o3/jane-1}}, {{user/jane}}, 1, 'Staff engineer expectations', true),
({{t}}, {{o3a/2}}, {{o3/eli-1}}, {{user/manager}}, 1, 'On-call load', true),
({{t}}, {{o3a/3}}, {{o3/eli-2}}, {{user/employee}}, 1, 'Runbook bot demo', false)
ON CONFLICT DO NOTHING;

INSERT INTO one_on_one_action_items (tenant_id, id, one_on_one_id, assignee_id, description, due_date, completed_at) VALUES
({{t}}, {{o3x/1}}, {{o3/jane-1}}, {{user/jane}}, 'Draft a staff-level project proposal', '2026-05-01', NULL),
({{t}}, {{o3x/2}}, {{o3/eli-1}}, {{user/employee}}, 'List the ten noisiest alerts with owners', '2026-04-15', '2026-04-14 16:00Z')
ON CONFLICT DO NOTHING;

INSERT INTO calibration_sessions (tenant_id, id, cycle_id, facilitator_id, department_id, name, status, scheduled_at, target_distribution) VALUES
({{t}}, {{cal/2025-eng}}, {{cycle/2025}}, {{user/admin}}, {{dept/ENG}}, 'Engineering calibration 2025', 'COMPLETED', '2026-01-28 14:00Z', '{"exceeds": 0.2, "meets": 0.7, "below": 0.1}')
ON CONFLICT DO NOTHING;

INSERT INTO calibration_participants (tenant_id, id, session_id, user_id, participant_role) VALUES
({{t}}, {{calp/admin}}, {{cal/2025-eng}}, {{user/admin}}, 'FACILITATOR'),
({{t}}, {{calp/manager}}, {{cal/2025-eng}}, {{user/manager}}, 'CALIBRATOR'),
({{t}}, {{calp/ceo}}, {{cal/2025-eng}}, {{user/ceo}}, 'OBSERVER')
ON CONFLICT DO NOTHING;

INSERT INTO calibration_ratings (tenant_id, id, session_id, review_id, employee_id, adjusted_by, original_rating, adjusted_rating, rationale, status) VALUES
({{t}}, {{calr/jane}}, {{cal/2025-eng}}, {{review/2025-jane-mgr}}, {{user/jane}}, {{user/admin}}, 4.5, 4.5, NULL, 'ACCEPTED'),
({{t}}, {{calr/eli}}, {{cal/2025-eng}}, {{review/2025-eli-mgr}}, {{user/employee}}, {{user/admin}}, 3.5, 3.0, 'Operational follow-ups missed twice; aligned with peers at 3.0.', 'ACCEPTED')
ON CONFLICT DO NOTHING;

INSERT INTO evidence (tenant_id, id, owner_id, title, evidence_type, url, description, occurred_on, metadata) VALUES
({{t}}, {{ev/dashboards}}, {{user/jane}}, 'Payments SLO dashboard', 'LINK', 'https://grafana.example.com/d/payments', 'Dashboard that caught the March incident.', '2026-03-01', '{"service": "payments"}'),
({{t}}, {{ev/deal}}, {{user/sales.manager}}, 'Northwind contract', 'ACHIEVEMENT', NULL, '$1.2M ARR, three years.', '2026-04-14', '{}')
ON CONFLICT DO NOTHING;

INSERT INTO evidence_links (tenant_id, id, evidence_id, goal_id, review_id, feedback_id) VALUES
({{t}}, {{evl/1}}, {{ev/dashboards}}, {{goal/jane-observability}}, NULL, NULL),
({{t}}, {{evl/2}}, {{ev/dashboards}}, NULL, {{review/2026-jane-self}}, NULL),
({{t}}, {{evl/3}}, {{ev/deal}}, NULL, NULL, {{fb/5}})
ON CONFLICT DO NOTHING;

INSERT INTO compensation_decisions (tenant_id, id, employee_id, cycle_id, decided_by, approved_by, decision_type, status, current_amount, proposed_amount, effective_date, rationale) VALUES
({{t}}, {{comp-dec/jane}}, {{user/jane}}, {{cycle/2025}}, {{user/manager}}, {{user/admin}}, 'MERIT_INCREASE', 'APPLIED', 150000, 162000, '2026-03-01', 'Rated 4.5; top of the band for level 5.'),
({{t}}, {{comp-dec/eli}}, {{user/employee}}, {{cycle/2025}}, {{user/manager}}, {{user/admin}}, 'MERIT_INCREASE', 'PROPOSED', 120000, 123600, '2026-09-01', 'Meets expectations.')
ON CONFLICT DO NOTHING;

INSERT INTO promotion_decisions (tenant_id, id, employee_id, cycle_id, decided_by, from_level, to_level, from_title, to_title, status, effective_date, rationale) VALUES
({{t}}, {{promo/jane}}, {{user/jane}}, {{cycle/2025}}, {{user/manager}}, 5, 6, 'Senior Software Engineer', 'Staff Software Engineer', 'APPROVED', '2026-03-01', 'Leads reliability across teams.')
ON CONFLICT DO NOTHING;
