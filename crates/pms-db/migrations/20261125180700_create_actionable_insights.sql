-- Actionable insights (features 46-50): promotion recommendations, succession plans and
-- candidates, development plans with activities and checkpoints, career paths and their steps,
-- team optimisations and composition analyses, performance improvement plans with templates,
-- milestones and check-ins, organisational and department health, culture diagnostics and
-- scenario analyses.

CREATE TABLE promotion_recommendations (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    recommended_by uuid,
    model_id uuid,
    cycle_id uuid,
    target_level smallint CHECK (target_level BETWEEN 1 AND 20),
    target_title text,
    readiness_score numeric(5, 2) NOT NULL CHECK (readiness_score BETWEEN 0 AND 100),
    readiness text NOT NULL DEFAULT 'READY_NOW' CHECK (readiness IN ('READY_NOW', 'READY_1_YEAR', 'READY_2_YEARS', 'NOT_READY')),
    status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACCEPTED', 'DECLINED', 'CONVERTED')),
    rationale text,
    factors jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, recommended_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (recommended_by),
    FOREIGN KEY (tenant_id, model_id) REFERENCES ml_models (tenant_id, id) ON DELETE SET NULL (model_id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES review_cycles (tenant_id, id) ON DELETE SET NULL (cycle_id)
);
COMMENT ON TABLE promotion_recommendations IS '[insights] Recommendations to promote a person, from a model or a manager';
CREATE INDEX promotion_recommendations_user_idx ON promotion_recommendations (tenant_id, user_id, created_at DESC);
COMMENT ON INDEX promotion_recommendations_user_idx IS 'recommendations about a person; also FK user_id -> users';
CREATE INDEX promotion_recommendations_open_score_idx ON promotion_recommendations (tenant_id, readiness_score DESC) WHERE status = 'OPEN';
COMMENT ON INDEX promotion_recommendations_open_score_idx IS 'the promotion pipeline: open recommendations, most ready first';
CREATE INDEX promotion_recommendations_recommended_by_fk_idx ON promotion_recommendations (tenant_id, recommended_by) WHERE recommended_by IS NOT NULL;
COMMENT ON INDEX promotion_recommendations_recommended_by_fk_idx IS 'FK recommended_by -> users: the promotion recommendations of one user, and the lookup behind ON DELETE of a user row';
CREATE INDEX promotion_recommendations_model_fk_idx ON promotion_recommendations (tenant_id, model_id) WHERE model_id IS NOT NULL;
COMMENT ON INDEX promotion_recommendations_model_fk_idx IS 'FK model_id -> ml_models: the promotion recommendations of one ml model, and the lookup behind ON DELETE of a ml model row';
CREATE INDEX promotion_recommendations_cycle_fk_idx ON promotion_recommendations (tenant_id, cycle_id) WHERE cycle_id IS NOT NULL;
COMMENT ON INDEX promotion_recommendations_cycle_fk_idx IS 'FK cycle_id -> review_cycles: the promotion recommendations of one review cycle, and the lookup behind ON DELETE of a review cycle row';

CREATE TABLE succession_plans (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    position_title text NOT NULL,
    incumbent_id uuid,
    department_id uuid,
    owner_id uuid,
    criticality text NOT NULL DEFAULT 'LOW' CHECK (criticality IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    vacancy_risk text NOT NULL DEFAULT 'LOW' CHECK (vacancy_risk IN ('LOW', 'MEDIUM', 'HIGH')),
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ACTIVE', 'ARCHIVED')),
    review_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, incumbent_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (incumbent_id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE SET NULL (department_id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (owner_id)
);
COMMENT ON TABLE succession_plans IS '[insights] Succession plans for key positions';
CREATE INDEX succession_plans_incumbent_idx ON succession_plans (tenant_id, incumbent_id) WHERE incumbent_id IS NOT NULL;
COMMENT ON INDEX succession_plans_incumbent_idx IS 'succession plans covering a person''s role; also FK incumbent_id -> users';
CREATE INDEX succession_plans_critical_idx ON succession_plans (tenant_id, criticality, vacancy_risk) WHERE status = 'ACTIVE' AND deleted_at IS NULL;
COMMENT ON INDEX succession_plans_critical_idx IS 'critical positions at risk (succession heat map)';
CREATE INDEX succession_plans_department_fk_idx ON succession_plans (tenant_id, department_id) WHERE department_id IS NOT NULL;
COMMENT ON INDEX succession_plans_department_fk_idx IS 'FK department_id -> departments: the succession plans of one department, and the lookup behind ON DELETE of a department row';
CREATE INDEX succession_plans_owner_fk_idx ON succession_plans (tenant_id, owner_id) WHERE owner_id IS NOT NULL;
COMMENT ON INDEX succession_plans_owner_fk_idx IS 'FK owner_id -> users: the succession plans of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE succession_candidates (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    plan_id uuid NOT NULL,
    candidate_id uuid NOT NULL,
    readiness text NOT NULL DEFAULT 'READY_NOW' CHECK (readiness IN ('READY_NOW', 'READY_1_YEAR', 'READY_2_YEARS')),
    rank smallint NOT NULL DEFAULT 1 CHECK (rank > 0),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, plan_id) REFERENCES succession_plans (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, candidate_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE succession_candidates IS '[insights] Candidates on a succession plan with their readiness';
CREATE UNIQUE INDEX succession_candidates_plan_candidate_key ON succession_candidates (tenant_id, plan_id, candidate_id);
COMMENT ON INDEX succession_candidates_plan_candidate_key IS 'the bench of a plan; also FK plan_id -> succession_plans';
CREATE INDEX succession_candidates_candidate_idx ON succession_candidates (tenant_id, candidate_id);
COMMENT ON INDEX succession_candidates_candidate_idx IS 'plans a person is a successor on; also FK candidate_id -> users';

CREATE TABLE career_paths (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    track text NOT NULL DEFAULT 'INDIVIDUAL_CONTRIBUTOR' CHECK (track IN ('INDIVIDUAL_CONTRIBUTOR', 'MANAGEMENT', 'SPECIALIST')),
    department_id uuid,
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE SET NULL (department_id)
);
COMMENT ON TABLE career_paths IS '[insights] Career paths: tracks of roles and levels';
CREATE UNIQUE INDEX career_paths_name_key ON career_paths (tenant_id, name) WHERE deleted_at IS NULL;
COMMENT ON INDEX career_paths_name_key IS 'career path lookup by name';
CREATE INDEX career_paths_department_fk_idx ON career_paths (tenant_id, department_id) WHERE department_id IS NOT NULL;
COMMENT ON INDEX career_paths_department_fk_idx IS 'FK department_id -> departments: the career paths of one department, and the lookup behind ON DELETE of a department row';

CREATE TABLE career_path_steps (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    path_id uuid NOT NULL,
    position smallint NOT NULL CHECK (position > 0),
    title text NOT NULL,
    level smallint NOT NULL CHECK (level BETWEEN 1 AND 20),
    requirements jsonb NOT NULL DEFAULT '{}',
    typical_months smallint CHECK (typical_months > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, path_id) REFERENCES career_paths (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE career_path_steps IS '[insights] Ordered steps of a career path with required competencies';
CREATE UNIQUE INDEX career_path_steps_path_position_key ON career_path_steps (tenant_id, path_id, position);
COMMENT ON INDEX career_path_steps_path_position_key IS 'the steps of a path in order; also FK path_id -> career_paths';

CREATE TABLE development_plans (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    employee_id uuid NOT NULL,
    manager_id uuid,
    career_path_id uuid,
    target_step_id uuid,
    title text NOT NULL,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ACTIVE', 'COMPLETED', 'CANCELLED')),
    starts_on date NOT NULL,
    ends_on date,
    progress numeric(5, 2) NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (ends_on IS NULL OR ends_on >= starts_on),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (manager_id),
    FOREIGN KEY (tenant_id, career_path_id) REFERENCES career_paths (tenant_id, id) ON DELETE SET NULL (career_path_id),
    FOREIGN KEY (tenant_id, target_step_id) REFERENCES career_path_steps (tenant_id, id) ON DELETE SET NULL (target_step_id)
);
COMMENT ON TABLE development_plans IS '[insights] Individual development plans';
CREATE INDEX development_plans_employee_status_idx ON development_plans (tenant_id, employee_id, status) WHERE deleted_at IS NULL;
COMMENT ON INDEX development_plans_employee_status_idx IS 'a person''s development plans by status; also FK employee_id -> users';
CREATE INDEX development_plans_manager_active_idx ON development_plans (tenant_id, manager_id) WHERE status = 'ACTIVE' AND deleted_at IS NULL;
COMMENT ON INDEX development_plans_manager_active_idx IS 'active plans a manager sponsors; also FK manager_id -> users';
CREATE INDEX development_plans_career_path_fk_idx ON development_plans (tenant_id, career_path_id) WHERE career_path_id IS NOT NULL;
COMMENT ON INDEX development_plans_career_path_fk_idx IS 'FK career_path_id -> career_paths: the development plans of one career path, and the lookup behind ON DELETE of a career path row';
CREATE INDEX development_plans_target_step_fk_idx ON development_plans (tenant_id, target_step_id) WHERE target_step_id IS NOT NULL;
COMMENT ON INDEX development_plans_target_step_fk_idx IS 'FK target_step_id -> career_path_steps: the development plans of one career path step, and the lookup behind ON DELETE of a career path step row';

CREATE TABLE development_activities (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    plan_id uuid NOT NULL,
    skill_id uuid,
    competency_id uuid,
    activity_type text NOT NULL DEFAULT 'COURSE' CHECK (activity_type IN ('COURSE', 'MENTORING', 'STRETCH_ASSIGNMENT', 'READING', 'CERTIFICATION', 'SHADOWING', 'CONFERENCE')),
    title text NOT NULL,
    status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'IN_PROGRESS', 'DONE', 'DROPPED')),
    due_date date,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, plan_id) REFERENCES development_plans (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE SET NULL (skill_id),
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id) ON DELETE SET NULL (competency_id)
);
COMMENT ON TABLE development_activities IS '[insights] Activities of a development plan: courses, mentoring, stretch work';
CREATE INDEX development_activities_plan_status_idx ON development_activities (tenant_id, plan_id, status);
COMMENT ON INDEX development_activities_plan_status_idx IS 'activities of a plan by status; also FK plan_id -> development_plans';
CREATE INDEX development_activities_skill_fk_idx ON development_activities (tenant_id, skill_id) WHERE skill_id IS NOT NULL;
COMMENT ON INDEX development_activities_skill_fk_idx IS 'FK skill_id -> skills: the development activities of one skill, and the lookup behind ON DELETE of a skill row';
CREATE INDEX development_activities_competency_fk_idx ON development_activities (tenant_id, competency_id) WHERE competency_id IS NOT NULL;
COMMENT ON INDEX development_activities_competency_fk_idx IS 'FK competency_id -> competencies: the development activities of one competency, and the lookup behind ON DELETE of a competency row';

CREATE TABLE development_checkpoints (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    plan_id uuid NOT NULL,
    reviewer_id uuid,
    scheduled_on date NOT NULL,
    completed_at timestamptz,
    notes text,
    progress_snapshot numeric(5, 2) CHECK (progress_snapshot BETWEEN 0 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, plan_id) REFERENCES development_plans (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, reviewer_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (reviewer_id)
);
COMMENT ON TABLE development_checkpoints IS '[insights] Scheduled checkpoints of a development plan';
CREATE INDEX development_checkpoints_plan_date_idx ON development_checkpoints (tenant_id, plan_id, scheduled_on);
COMMENT ON INDEX development_checkpoints_plan_date_idx IS 'checkpoints of a plan in order; also FK plan_id -> development_plans';
CREATE INDEX development_checkpoints_upcoming_idx ON development_checkpoints (tenant_id, scheduled_on) WHERE completed_at IS NULL;
COMMENT ON INDEX development_checkpoints_upcoming_idx IS 'upcoming checkpoints (reminders)';
CREATE INDEX development_checkpoints_reviewer_fk_idx ON development_checkpoints (tenant_id, reviewer_id) WHERE reviewer_id IS NOT NULL;
COMMENT ON INDEX development_checkpoints_reviewer_fk_idx IS 'FK reviewer_id -> users: the development checkpoints of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE team_optimizations (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    team_id uuid NOT NULL,
    suggested_by_model_id uuid,
    optimization_type text NOT NULL DEFAULT 'REBALANCE_WORKLOAD' CHECK (optimization_type IN ('REBALANCE_WORKLOAD', 'HIRE', 'MOVE_MEMBER', 'SPLIT_TEAM', 'MERGE_TEAM', 'SKILL_GAP')),
    status text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN ('PROPOSED', 'ACCEPTED', 'REJECTED', 'IMPLEMENTED')),
    expected_impact numeric(6, 2),
    recommendation jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, suggested_by_model_id) REFERENCES ml_models (tenant_id, id) ON DELETE SET NULL (suggested_by_model_id)
);
COMMENT ON TABLE team_optimizations IS '[insights] Suggested team changes (rebalancing, hiring, moves) and their expected effect';
CREATE INDEX team_optimizations_team_status_idx ON team_optimizations (tenant_id, team_id, status);
COMMENT ON INDEX team_optimizations_team_status_idx IS 'optimisations proposed for a team; also FK team_id -> teams';
CREATE INDEX team_optimizations_suggested_by_model_fk_idx ON team_optimizations (tenant_id, suggested_by_model_id) WHERE suggested_by_model_id IS NOT NULL;
COMMENT ON INDEX team_optimizations_suggested_by_model_fk_idx IS 'FK suggested_by_model_id -> ml_models: the team optimizations of one ml model, and the lookup behind ON DELETE of a ml model row';

CREATE TABLE team_composition_analyses (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    team_id uuid NOT NULL,
    analyzed_on date NOT NULL,
    headcount smallint NOT NULL CHECK (headcount >= 0),
    seniority_mix jsonb NOT NULL DEFAULT '{}',
    skill_coverage jsonb NOT NULL DEFAULT '{}',
    health_score numeric(5, 2) CHECK (health_score BETWEEN 0 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE team_composition_analyses IS '[insights] Composition of a team: skills coverage, seniority mix, diversity of tenure';
CREATE UNIQUE INDEX team_composition_analyses_team_day_key ON team_composition_analyses (tenant_id, team_id, analyzed_on);
COMMENT ON INDEX team_composition_analyses_team_day_key IS 'composition history of a team; also FK team_id -> teams';

CREATE TABLE pip_templates (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    duration_days smallint NOT NULL DEFAULT 60 CHECK (duration_days BETWEEN 14 AND 365),
    sections jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE pip_templates IS '[insights] Templates for performance improvement plans';
CREATE UNIQUE INDEX pip_templates_name_key ON pip_templates (tenant_id, name) WHERE deleted_at IS NULL;
COMMENT ON INDEX pip_templates_name_key IS 'PIP template lookup by name';

CREATE TABLE performance_improvement_plans (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    employee_id uuid NOT NULL,
    manager_id uuid NOT NULL,
    hr_partner_id uuid,
    template_id uuid,
    review_id uuid,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ACTIVE', 'EXTENDED', 'SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED')),
    reason text NOT NULL,
    expectations text,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    outcome_notes text,
    closed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (ends_on > starts_on),
    CHECK (employee_id <> manager_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, hr_partner_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (hr_partner_id),
    FOREIGN KEY (tenant_id, template_id) REFERENCES pip_templates (tenant_id, id) ON DELETE SET NULL (template_id),
    FOREIGN KEY (tenant_id, review_id) REFERENCES performance_reviews (tenant_id, id) ON DELETE SET NULL (review_id)
);
COMMENT ON TABLE performance_improvement_plans IS '[insights] Performance improvement plans (PIPs)';
CREATE INDEX performance_improvement_plans_employee_idx ON performance_improvement_plans (tenant_id, employee_id, starts_on DESC);
COMMENT ON INDEX performance_improvement_plans_employee_idx IS 'a person''s PIP history; also FK employee_id -> users';
CREATE INDEX performance_improvement_plans_manager_active_idx ON performance_improvement_plans (tenant_id, manager_id) WHERE status IN ('ACTIVE', 'EXTENDED') AND deleted_at IS NULL;
COMMENT ON INDEX performance_improvement_plans_manager_active_idx IS 'active PIPs a manager runs; also FK manager_id -> users';
CREATE INDEX performance_improvement_plans_ending_idx ON performance_improvement_plans (tenant_id, ends_on) WHERE status IN ('ACTIVE', 'EXTENDED') AND deleted_at IS NULL;
COMMENT ON INDEX performance_improvement_plans_ending_idx IS 'PIPs ending soon (HR follow-up)';
CREATE INDEX performance_improvement_plans_hr_partner_fk_idx ON performance_improvement_plans (tenant_id, hr_partner_id) WHERE hr_partner_id IS NOT NULL;
COMMENT ON INDEX performance_improvement_plans_hr_partner_fk_idx IS 'FK hr_partner_id -> users: the performance improvement plans of one user, and the lookup behind ON DELETE of a user row';
CREATE INDEX performance_improvement_plans_template_fk_idx ON performance_improvement_plans (tenant_id, template_id) WHERE template_id IS NOT NULL;
COMMENT ON INDEX performance_improvement_plans_template_fk_idx IS 'FK template_id -> pip_templates: the performance improvement plans of one pip template, and the lookup behind ON DELETE of a pip template row';
CREATE INDEX performance_improvement_plans_review_fk_idx ON performance_improvement_plans (tenant_id, review_id) WHERE review_id IS NOT NULL;
COMMENT ON INDEX performance_improvement_plans_review_fk_idx IS 'FK review_id -> performance_reviews: the performance improvement plans of one performance review, and the lookup behind ON DELETE of a performance review row';

CREATE TABLE pip_milestones (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    pip_id uuid NOT NULL,
    description text NOT NULL,
    due_date date NOT NULL,
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'MET', 'NOT_MET', 'WAIVED')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pip_id) REFERENCES performance_improvement_plans (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE pip_milestones IS '[insights] Milestones a PIP requires, with due date and outcome';
CREATE INDEX pip_milestones_pip_due_idx ON pip_milestones (tenant_id, pip_id, due_date);
COMMENT ON INDEX pip_milestones_pip_due_idx IS 'milestones of a PIP in order; also FK pip_id -> performance_improvement_plans';

CREATE TABLE pip_check_ins (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    pip_id uuid NOT NULL,
    conducted_by uuid,
    check_in_date date NOT NULL,
    progress_rating text NOT NULL DEFAULT 'ON_TRACK' CHECK (progress_rating IN ('ON_TRACK', 'SOME_PROGRESS', 'NO_PROGRESS')),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pip_id) REFERENCES performance_improvement_plans (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, conducted_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (conducted_by)
);
COMMENT ON TABLE pip_check_ins IS '[insights] Check-ins during a PIP';
CREATE INDEX pip_check_ins_pip_date_idx ON pip_check_ins (tenant_id, pip_id, check_in_date);
COMMENT ON INDEX pip_check_ins_pip_date_idx IS 'check-ins of a PIP in order; also FK pip_id -> performance_improvement_plans';
CREATE INDEX pip_check_ins_conducted_by_fk_idx ON pip_check_ins (tenant_id, conducted_by) WHERE conducted_by IS NOT NULL;
COMMENT ON INDEX pip_check_ins_conducted_by_fk_idx IS 'FK conducted_by -> users: the pip check ins of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE organizational_health_metrics (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    metric text NOT NULL CHECK (metric ~ '^[a-z0-9_]+$'),
    period_start date NOT NULL,
    period_end date NOT NULL,
    value numeric(14, 4) NOT NULL,
    target_value numeric(14, 4),
    status text NOT NULL DEFAULT 'HEALTHY' CHECK (status IN ('HEALTHY', 'WATCH', 'AT_RISK')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (period_end >= period_start)
);
COMMENT ON TABLE organizational_health_metrics IS '[insights] Tenant-wide health metrics per period (attrition, engagement, span of control, ...)';
CREATE UNIQUE INDEX organizational_health_metrics_metric_period_key ON organizational_health_metrics (tenant_id, metric, period_start);
COMMENT ON INDEX organizational_health_metrics_metric_period_key IS 'the org health dashboard: one value per metric and period';

CREATE TABLE department_health_metrics (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    department_id uuid NOT NULL,
    metric text NOT NULL CHECK (metric ~ '^[a-z0-9_]+$'),
    period_start date NOT NULL,
    value numeric(14, 4) NOT NULL,
    status text NOT NULL DEFAULT 'HEALTHY' CHECK (status IN ('HEALTHY', 'WATCH', 'AT_RISK')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE department_health_metrics IS '[insights] Health metrics per department and period';
CREATE UNIQUE INDEX department_health_metrics_department_metric_key ON department_health_metrics (tenant_id, department_id, metric, period_start);
COMMENT ON INDEX department_health_metrics_department_metric_key IS 'health of one department over time; also FK department_id -> departments';
CREATE INDEX department_health_metrics_at_risk_idx ON department_health_metrics (tenant_id, period_start DESC) WHERE status = 'AT_RISK';
COMMENT ON INDEX department_health_metrics_at_risk_idx IS 'departments at risk in the latest periods';

CREATE TABLE culture_diagnostics (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    survey_id uuid,
    department_id uuid,
    dimension text NOT NULL,
    score numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
    diagnosed_on date NOT NULL,
    findings jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, survey_id) REFERENCES engagement_surveys (tenant_id, id) ON DELETE SET NULL (survey_id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE culture_diagnostics IS '[insights] Culture diagnostics: dimension scores from surveys and behaviour';
CREATE INDEX culture_diagnostics_dimension_date_idx ON culture_diagnostics (tenant_id, dimension, diagnosed_on DESC);
COMMENT ON INDEX culture_diagnostics_dimension_date_idx IS 'a culture dimension over time';
CREATE INDEX culture_diagnostics_survey_fk_idx ON culture_diagnostics (tenant_id, survey_id) WHERE survey_id IS NOT NULL;
COMMENT ON INDEX culture_diagnostics_survey_fk_idx IS 'FK survey_id -> engagement_surveys: the culture diagnostics of one engagement survey, and the lookup behind ON DELETE of a engagement survey row';
CREATE INDEX culture_diagnostics_department_fk_idx ON culture_diagnostics (tenant_id, department_id) WHERE department_id IS NOT NULL;
COMMENT ON INDEX culture_diagnostics_department_fk_idx IS 'FK department_id -> departments: the culture diagnostics of one department, and the lookup behind ON DELETE of a department row';

CREATE TABLE scenario_analyses (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    created_by uuid,
    scenario_type text NOT NULL DEFAULT 'REORG' CHECK (scenario_type IN ('REORG', 'BUDGET', 'ATTRITION', 'HIRING', 'PROMOTION_BUDGET')),
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'COMPUTED', 'ARCHIVED')),
    inputs jsonb NOT NULL DEFAULT '{}',
    results jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by)
);
COMMENT ON TABLE scenario_analyses IS '[insights] What-if scenarios (reorg, budget, attrition) with inputs and projected outcomes';
CREATE INDEX scenario_analyses_creator_idx ON scenario_analyses (tenant_id, created_by, created_at DESC) WHERE created_by IS NOT NULL;
COMMENT ON INDEX scenario_analyses_creator_idx IS 'my scenarios, newest first; also FK created_by -> users';

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['promotion_recommendations',
                  'succession_plans',
                  'succession_candidates',
                  'career_paths',
                  'career_path_steps',
                  'development_plans',
                  'development_activities',
                  'development_checkpoints',
                  'team_optimizations',
                  'team_composition_analyses',
                  'pip_templates',
                  'performance_improvement_plans',
                  'pip_milestones',
                  'pip_check_ins',
                  'organizational_health_metrics',
                  'department_health_metrics',
                  'culture_diagnostics',
                  'scenario_analyses']::regclass[]) AS t;
