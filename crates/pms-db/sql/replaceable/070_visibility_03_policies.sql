-- The visibility rule of every person-sensitive table (issue 15), on top of each table's tenant
-- policy: restrictive policies made by pms_meta.enable_visibility (070_visibility_02_helpers.sql,
-- which explains the placeholders $me, $hr and $managed(DOMAIN)). "Managed" means below the
-- acting user in the reporting chain, or below someone who delegated the domain to them, in the
-- delegation's window. The roles that RLS does not confine (pms_maintenance, the owner's own
-- functions) are not subject to these policies. A new table that holds person-sensitive data
-- needs a line here and in the catalog test's list (crates/pms-db/tests/visibility_catalog.rs).
--
-- Re-applied as a whole whenever its text changes: the registry is emptied and refilled.

DELETE FROM pms_meta.visibility_rules;

-- Reviews and what they contain.
SELECT pms_meta.enable_visibility('performance_reviews', 'REVIEWS',
    $r$ $hr OR reviewee_id IN $managed(REVIEWS) OR reviewer_id = $me
        OR (reviewee_id = $me AND (review_type = 'SELF' OR status IN ('SHARED', 'ACKNOWLEDGED'))) $r$,
    $w$ $hr OR reviewee_id IN $managed(REVIEWS) OR (reviewer_id = $me AND (reviewee_id <> $me OR review_type = 'SELF')) $w$,
    'HR; the reviewee''s chain and its REVIEWS delegates; the reviewer; the reviewee: their self-review, and other reviews of them once shared',
    'HR; the reviewee''s chain and its REVIEWS delegates; the reviewer (of someone else, or their own self-review)');
SELECT pms_meta.enable_visibility('review_goals', 'REVIEWS',
    $r$ EXISTS (SELECT 1 FROM public.performance_reviews r WHERE r.tenant_id = review_goals.tenant_id AND r.id = review_goals.review_id) $r$,
    $w$ EXISTS (SELECT 1 FROM public.performance_reviews r WHERE r.tenant_id = review_goals.tenant_id AND r.id = review_goals.review_id
                  AND ($hr OR r.reviewee_id IN $managed(REVIEWS) OR r.reviewer_id = $me)) $w$,
    'whoever may read the review', 'whoever may write the review');
SELECT pms_meta.enable_visibility('competency_assessments', 'REVIEWS',
    $r$ $hr OR user_id = $me OR assessor_id = $me OR user_id IN $managed(REVIEWS) $r$,
    $w$ $hr OR assessor_id = $me OR user_id IN $managed(REVIEWS) $w$,
    'HR; the person; the assessor; the person''s chain and its REVIEWS delegates',
    'HR; the assessor; the person''s chain and its REVIEWS delegates');
SELECT pms_meta.enable_visibility('calibration_ratings', 'REVIEWS',
    $r$ $hr OR employee_id IN $managed(REVIEWS) $r$,
    $w$ $hr OR employee_id IN $managed(REVIEWS) $w$,
    'HR; the person''s chain and its REVIEWS delegates (not the person: they see the final review)',
    'HR; the person''s chain and its REVIEWS delegates');

-- Performance improvement plans.
SELECT pms_meta.enable_visibility('performance_improvement_plans', 'REVIEWS',
    $r$ $hr OR employee_id IN $managed(REVIEWS) OR manager_id = $me OR hr_partner_id = $me
        OR (employee_id = $me AND status <> 'DRAFT') $r$,
    $w$ $hr OR employee_id IN $managed(REVIEWS) $w$,
    'HR; the person''s chain and its REVIEWS delegates; the plan''s manager and HR partner; the person once it is no longer a draft',
    'HR; the person''s chain and its REVIEWS delegates');
SELECT pms_meta.enable_visibility('pip_milestones', 'REVIEWS',
    $r$ EXISTS (SELECT 1 FROM public.performance_improvement_plans p WHERE p.tenant_id = pip_milestones.tenant_id AND p.id = pip_milestones.pip_id) $r$,
    $w$ EXISTS (SELECT 1 FROM public.performance_improvement_plans p WHERE p.tenant_id = pip_milestones.tenant_id AND p.id = pip_milestones.pip_id
                  AND ($hr OR p.employee_id IN $managed(REVIEWS))) $w$,
    'whoever may read the plan', 'whoever may write the plan');
SELECT pms_meta.enable_visibility('pip_check_ins', 'REVIEWS',
    $r$ EXISTS (SELECT 1 FROM public.performance_improvement_plans p WHERE p.tenant_id = pip_check_ins.tenant_id AND p.id = pip_check_ins.pip_id) $r$,
    $w$ EXISTS (SELECT 1 FROM public.performance_improvement_plans p WHERE p.tenant_id = pip_check_ins.tenant_id AND p.id = pip_check_ins.pip_id
                  AND ($hr OR p.employee_id IN $managed(REVIEWS))) $w$,
    'whoever may read the plan', 'whoever may write the plan');

-- Pay, promotion and talent decisions.
SELECT pms_meta.enable_visibility('compensation_decisions', 'APPROVALS',
    $r$ $hr OR employee_id IN $managed(APPROVALS) OR (employee_id = $me AND status IN ('APPROVED', 'APPLIED')) $r$,
    $w$ $hr OR employee_id IN $managed(APPROVALS) $w$,
    'HR; the person''s chain and its APPROVALS delegates; the person once approved',
    'HR; the person''s chain and its APPROVALS delegates');
SELECT pms_meta.enable_visibility('promotion_decisions', 'APPROVALS',
    $r$ $hr OR employee_id IN $managed(APPROVALS) OR (employee_id = $me AND status IN ('APPROVED', 'EFFECTIVE')) $r$,
    $w$ $hr OR employee_id IN $managed(APPROVALS) $w$,
    'HR; the person''s chain and its APPROVALS delegates; the person once approved',
    'HR; the person''s chain and its APPROVALS delegates');
SELECT pms_meta.enable_visibility('promotion_recommendations', 'APPROVALS',
    $r$ $hr OR user_id IN $managed(APPROVALS) $r$,
    $w$ $hr OR user_id IN $managed(APPROVALS) $w$,
    'HR; the person''s chain and its APPROVALS delegates (not the person)',
    'HR; the person''s chain and its APPROVALS delegates');
SELECT pms_meta.enable_visibility('succession_candidates', 'APPROVALS',
    $r$ $hr OR candidate_id IN $managed(APPROVALS) $r$,
    $w$ $hr OR candidate_id IN $managed(APPROVALS) $w$,
    'HR; the candidate''s chain and its APPROVALS delegates (not the candidate)',
    'HR; the candidate''s chain and its APPROVALS delegates');

-- Development plans.
SELECT pms_meta.enable_visibility('development_plans', 'GOALS',
    $r$ $hr OR employee_id = $me OR employee_id IN $managed(GOALS) $r$,
    $w$ $hr OR employee_id = $me OR employee_id IN $managed(GOALS) $w$,
    'HR; the person; the person''s chain and its GOALS delegates',
    'HR; the person; the person''s chain and its GOALS delegates');
SELECT pms_meta.enable_visibility('development_activities', 'GOALS',
    $r$ EXISTS (SELECT 1 FROM public.development_plans p WHERE p.tenant_id = development_activities.tenant_id AND p.id = development_activities.plan_id) $r$,
    $w$ EXISTS (SELECT 1 FROM public.development_plans p WHERE p.tenant_id = development_activities.tenant_id AND p.id = development_activities.plan_id) $w$,
    'whoever may read the plan', 'whoever may write the plan (the same people)');
SELECT pms_meta.enable_visibility('development_checkpoints', 'GOALS',
    $r$ EXISTS (SELECT 1 FROM public.development_plans p WHERE p.tenant_id = development_checkpoints.tenant_id AND p.id = development_checkpoints.plan_id) $r$,
    $w$ EXISTS (SELECT 1 FROM public.development_plans p WHERE p.tenant_id = development_checkpoints.tenant_id AND p.id = development_checkpoints.plan_id) $w$,
    'whoever may read the plan', 'whoever may write the plan (the same people)');

-- Feedback.
SELECT pms_meta.enable_visibility('feedback', 'FEEDBACK',
    $r$ $hr OR giver_id = $me OR recipient_id = $me OR visibility = 'PUBLIC'
        OR (visibility = 'MANAGER' AND recipient_id IN $managed(FEEDBACK)) $r$,
    $w$ $hr OR giver_id = $me OR recipient_id = $me $w$,
    'PUBLIC: everyone in the tenant; MANAGER: also the recipient''s chain and its FEEDBACK delegates; PRIVATE: the giver, the recipient and HR only',
    'HR; the giver; the recipient (to mark it read); a new row: its giver, its requester, or anyone for anonymous feedback (no giver recorded)',
    $i$ $hr OR giver_id = $me OR requested_by = $me OR (is_anonymous AND giver_id IS NULL) $i$);
SELECT pms_meta.enable_visibility('feedback_360_responses', 'FEEDBACK',
    $r$ EXISTS (SELECT 1 FROM public.feedback_360_requests q WHERE q.tenant_id = feedback_360_responses.tenant_id AND q.id = feedback_360_responses.request_id
                  AND ($hr OR q.rater_id = $me OR q.subject_id IN $managed(FEEDBACK))) $r$,
    $w$ EXISTS (SELECT 1 FROM public.feedback_360_requests q WHERE q.tenant_id = feedback_360_responses.tenant_id AND q.id = feedback_360_responses.request_id
                  AND ($hr OR q.rater_id = $me)) $w$,
    'HR; the rater; the subject''s chain and its FEEDBACK delegates (the subject sees the aggregations above the anonymity threshold)',
    'HR; the rater');

SELECT pms_meta.enable_visibility('feedback_360_aggregations', 'FEEDBACK',
    $r$ $hr OR subject_id IN $managed(FEEDBACK) OR (subject_id = $me AND NOT is_suppressed) $r$,
    $w$ $hr $w$,
    'HR; the subject''s chain and its FEEDBACK delegates; the subject, where not suppressed below the anonymity threshold',
    'HR (the aggregation job runs as pms_maintenance)');
SELECT pms_meta.enable_visibility('feedback_360_gap_analyses', 'FEEDBACK',
    $r$ $hr OR subject_id = $me OR subject_id IN $managed(FEEDBACK) $r$,
    $w$ $hr $w$,
    'HR; the subject; the subject''s chain and its FEEDBACK delegates',
    'HR (computed by jobs as pms_maintenance)');
-- Engagement survey answers: the respondent's own (none when anonymous), and HR.
SELECT pms_meta.enable_visibility('survey_responses', 'FEEDBACK',
    $r$ $hr OR respondent_id = $me $r$,
    $w$ $hr OR respondent_id = $me $w$,
    'HR; the respondent (an anonymous answer names nobody: HR only, in aggregate)',
    'HR; the respondent; a new answer: its respondent, or anyone when anonymous (no respondent recorded)',
    $i$ $hr OR respondent_id = $me OR respondent_id IS NULL $i$);

-- One-on-ones and their private notes.
SELECT pms_meta.enable_visibility('one_on_ones', 'REVIEWS',
    $r$ $hr OR manager_id = $me OR employee_id = $me OR employee_id IN $managed(REVIEWS) $r$,
    $w$ $hr OR manager_id = $me OR employee_id = $me OR employee_id IN $managed(REVIEWS) $w$,
    'HR; the two people meeting; the employee''s chain and its REVIEWS delegates (private notes are elsewhere)',
    'the same people');
SELECT pms_meta.enable_visibility('one_on_one_private_notes', 'PRIVATE',
    $r$ author_id = $me $r$,
    $w$ author_id = $me AND EXISTS (SELECT 1 FROM public.one_on_ones o WHERE o.tenant_id = one_on_one_private_notes.tenant_id
                                      AND o.id = one_on_one_private_notes.one_on_one_id AND $me IN (o.manager_id, o.employee_id)) $w$,
    'the author only (not HR, not the other person, not the chain)',
    'the author, who must be one of the two people meeting');

-- Who holds which rights: every member of the tenant may read them (the API shows roles and
-- acting managers); only HR may grant roles, and only the delegator or HR may delegate.
SELECT pms_meta.enable_visibility('roles', 'ACCESS', NULL,
    $w$ $hr $w$,
    'everyone in the tenant', 'HR');
SELECT pms_meta.enable_visibility('user_roles', 'ACCESS', NULL,
    $w$ $hr $w$,
    'everyone in the tenant', 'HR');
SELECT pms_meta.enable_visibility('delegations', 'ACCESS',
    $r$ $hr OR delegator_id = $me OR delegate_id = $me $r$,
    $w$ $hr OR delegator_id = $me $w$,
    'HR; the delegator; the delegate', 'HR; the delegator');
