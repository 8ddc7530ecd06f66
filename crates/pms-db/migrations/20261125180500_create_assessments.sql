-- Assessment (features 35-40): skill categories and skills, technical skill assessments and
-- progress history, project evaluations and contribution scores, leadership and behavioural
-- competency scores, compliance policies, assessments and violations, innovation contributions
-- and evaluations, and the assessment cycles that group them.

CREATE TABLE assessment_cycles (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    cycle_type text NOT NULL DEFAULT 'SKILLS' CHECK (cycle_type IN ('SKILLS', 'LEADERSHIP', 'COMPLIANCE', 'INNOVATION', 'MIXED')),
    status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'OPEN', 'CLOSED')),
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (ends_on >= starts_on)
);
COMMENT ON TABLE assessment_cycles IS '[assessment] Periods that group skill, leadership, compliance and innovation assessments';
CREATE UNIQUE INDEX assessment_cycles_name_key ON assessment_cycles (tenant_id, name);
COMMENT ON INDEX assessment_cycles_name_key IS 'assessment cycle lookup by name';
CREATE INDEX assessment_cycles_open_idx ON assessment_cycles (tenant_id, ends_on) WHERE status = 'OPEN';
COMMENT ON INDEX assessment_cycles_open_idx IS 'open assessment cycles by end date';

CREATE TABLE skill_categories (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    parent_id uuid,
    name text NOT NULL,
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES skill_categories (tenant_id, id) ON DELETE SET NULL (parent_id)
);
COMMENT ON TABLE skill_categories IS '[assessment] Categories of skills (languages, cloud, data, ...), nested';
CREATE UNIQUE INDEX skill_categories_name_key ON skill_categories (tenant_id, parent_id, name) NULLS NOT DISTINCT;
COMMENT ON INDEX skill_categories_name_key IS 'one category per name under a parent; the category tree';
CREATE INDEX skill_categories_parent_fk_idx ON skill_categories (tenant_id, parent_id) WHERE parent_id IS NOT NULL;
COMMENT ON INDEX skill_categories_parent_fk_idx IS 'children of a category; FK parent_id -> skill_categories';

CREATE TABLE skills (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    category_id uuid NOT NULL,
    name text NOT NULL,
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, category_id) REFERENCES skill_categories (tenant_id, id)
);
COMMENT ON TABLE skills IS '[assessment] Skills that people are assessed on';
CREATE UNIQUE INDEX skills_category_name_key ON skills (tenant_id, category_id, name);
COMMENT ON INDEX skills_category_name_key IS 'skills of a category by name; also FK category_id -> skill_categories';

CREATE TABLE technical_skill_assessments (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    skill_id uuid NOT NULL,
    assessor_id uuid,
    cycle_id uuid,
    method text NOT NULL DEFAULT 'SELF' CHECK (method IN ('SELF', 'MANAGER', 'TEST', 'CERTIFICATION', 'PEER')),
    level smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    target_level smallint CHECK (target_level BETWEEN 1 AND 5),
    assessed_on date NOT NULL DEFAULT current_date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id),
    FOREIGN KEY (tenant_id, assessor_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (assessor_id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES assessment_cycles (tenant_id, id) ON DELETE SET NULL (cycle_id)
);
COMMENT ON TABLE technical_skill_assessments IS '[assessment] A person''s assessed level in a skill';
CREATE INDEX technical_skill_assessments_user_skill_idx ON technical_skill_assessments (tenant_id, user_id, skill_id, assessed_on DESC) INCLUDE (level);
COMMENT ON INDEX technical_skill_assessments_user_skill_idx IS 'a person''s current level per skill; also FK user_id -> users';
CREATE INDEX technical_skill_assessments_skill_level_idx ON technical_skill_assessments (tenant_id, skill_id, level DESC);
COMMENT ON INDEX technical_skill_assessments_skill_level_idx IS 'who is strongest in a skill (staffing search); also FK skill_id -> skills';
CREATE INDEX technical_skill_assessments_assessor_fk_idx ON technical_skill_assessments (tenant_id, assessor_id) WHERE assessor_id IS NOT NULL;
COMMENT ON INDEX technical_skill_assessments_assessor_fk_idx IS 'FK assessor_id -> users: the technical skill assessments of one user, and the lookup behind ON DELETE of a user row';
CREATE INDEX technical_skill_assessments_cycle_fk_idx ON technical_skill_assessments (tenant_id, cycle_id) WHERE cycle_id IS NOT NULL;
COMMENT ON INDEX technical_skill_assessments_cycle_fk_idx IS 'FK cycle_id -> assessment_cycles: the technical skill assessments of one assessment cycle, and the lookup behind ON DELETE of a assessment cycle row';

CREATE TABLE skill_progress_history (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    skill_id uuid NOT NULL,
    assessment_id uuid,
    from_level smallint CHECK (from_level BETWEEN 0 AND 5),
    to_level smallint NOT NULL CHECK (to_level BETWEEN 1 AND 5),
    changed_on date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, skill_id) REFERENCES skills (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, assessment_id) REFERENCES technical_skill_assessments (tenant_id, id) ON DELETE SET NULL (assessment_id)
);
COMMENT ON TABLE skill_progress_history IS '[assessment] Level changes of a person in a skill over time';
CREATE INDEX skill_progress_history_user_skill_time_idx ON skill_progress_history (tenant_id, user_id, skill_id, changed_on);
COMMENT ON INDEX skill_progress_history_user_skill_time_idx IS 'the progression chart of a person in a skill; also FK user_id -> users';
CREATE INDEX skill_progress_history_skill_fk_idx ON skill_progress_history (tenant_id, skill_id);
COMMENT ON INDEX skill_progress_history_skill_fk_idx IS 'FK skill_id -> skills: the skill progress history of one skill, and the lookup behind ON DELETE of a skill row';
CREATE INDEX skill_progress_history_assessment_fk_idx ON skill_progress_history (tenant_id, assessment_id) WHERE assessment_id IS NOT NULL;
COMMENT ON INDEX skill_progress_history_assessment_fk_idx IS 'FK assessment_id -> technical_skill_assessments: the skill progress history of one technical skill assessment, and the lookup behind ON DELETE of a technical skill assessment row';

CREATE TABLE project_evaluations (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL,
    user_id uuid NOT NULL,
    evaluator_id uuid,
    cycle_id uuid,
    quality_score smallint CHECK (quality_score BETWEEN 1 AND 5),
    delivery_score smallint CHECK (delivery_score BETWEEN 1 AND 5),
    collaboration_score smallint CHECK (collaboration_score BETWEEN 1 AND 5),
    comment text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, evaluator_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (evaluator_id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES assessment_cycles (tenant_id, id) ON DELETE SET NULL (cycle_id)
);
COMMENT ON TABLE project_evaluations IS '[assessment] Evaluation of a person''s work on a project';
CREATE UNIQUE INDEX project_evaluations_project_user_key ON project_evaluations (tenant_id, project_id, user_id, cycle_id) NULLS NOT DISTINCT;
COMMENT ON INDEX project_evaluations_project_user_key IS 'evaluations on a project per person; also FK project_id -> projects';
CREATE INDEX project_evaluations_user_idx ON project_evaluations (tenant_id, user_id, created_at DESC);
COMMENT ON INDEX project_evaluations_user_idx IS 'a person''s project evaluations; also FK user_id -> users';
CREATE INDEX project_evaluations_evaluator_fk_idx ON project_evaluations (tenant_id, evaluator_id) WHERE evaluator_id IS NOT NULL;
COMMENT ON INDEX project_evaluations_evaluator_fk_idx IS 'FK evaluator_id -> users: the project evaluations of one user, and the lookup behind ON DELETE of a user row';
CREATE INDEX project_evaluations_cycle_fk_idx ON project_evaluations (tenant_id, cycle_id) WHERE cycle_id IS NOT NULL;
COMMENT ON INDEX project_evaluations_cycle_fk_idx IS 'FK cycle_id -> assessment_cycles: the project evaluations of one assessment cycle, and the lookup behind ON DELETE of a assessment cycle row';

CREATE TABLE contribution_scores (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL,
    user_id uuid NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    score numeric(6, 2) NOT NULL CHECK (score >= 0),
    share_pct numeric(5, 2) CHECK (share_pct BETWEEN 0 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE contribution_scores IS '[assessment] A person''s contribution share on a project for a period';
CREATE UNIQUE INDEX contribution_scores_project_user_period_key ON contribution_scores (tenant_id, project_id, user_id, period_start);
COMMENT ON INDEX contribution_scores_project_user_period_key IS 'contributions on a project by person and period; also FK project_id -> projects';
CREATE INDEX contribution_scores_user_period_idx ON contribution_scores (tenant_id, user_id, period_start DESC);
COMMENT ON INDEX contribution_scores_user_period_idx IS 'a person''s contributions over time; also FK user_id -> users';

CREATE TABLE leadership_competency_scores (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    competency_id uuid,
    cycle_id uuid,
    dimension text NOT NULL,
    score numeric(4, 2) NOT NULL CHECK (score BETWEEN 0 AND 5),
    source text NOT NULL DEFAULT 'ASSESSMENT' CHECK (source IN ('ASSESSMENT', 'FEEDBACK_360', 'MANAGER')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id) ON DELETE SET NULL (competency_id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES assessment_cycles (tenant_id, id) ON DELETE SET NULL (cycle_id)
);
COMMENT ON TABLE leadership_competency_scores IS '[assessment] Leadership competency scores (vision, coaching, decision-making, ...)';
CREATE INDEX leadership_competency_scores_user_dimension_idx ON leadership_competency_scores (tenant_id, user_id, dimension, created_at DESC);
COMMENT ON INDEX leadership_competency_scores_user_dimension_idx IS 'a leader''s latest score per dimension; also FK user_id -> users';
CREATE INDEX leadership_competency_scores_competency_fk_idx ON leadership_competency_scores (tenant_id, competency_id) WHERE competency_id IS NOT NULL;
COMMENT ON INDEX leadership_competency_scores_competency_fk_idx IS 'FK competency_id -> competencies: the leadership competency scores of one competency, and the lookup behind ON DELETE of a competency row';
CREATE INDEX leadership_competency_scores_cycle_fk_idx ON leadership_competency_scores (tenant_id, cycle_id) WHERE cycle_id IS NOT NULL;
COMMENT ON INDEX leadership_competency_scores_cycle_fk_idx IS 'FK cycle_id -> assessment_cycles: the leadership competency scores of one assessment cycle, and the lookup behind ON DELETE of a assessment cycle row';

CREATE TABLE behavioral_competency_scores (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    competency_id uuid,
    cycle_id uuid,
    dimension text NOT NULL,
    score numeric(4, 2) NOT NULL CHECK (score BETWEEN 0 AND 5),
    evidence_count smallint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id) ON DELETE SET NULL (competency_id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES assessment_cycles (tenant_id, id) ON DELETE SET NULL (cycle_id)
);
COMMENT ON TABLE behavioral_competency_scores IS '[assessment] Behavioural competency scores (communication, teamwork, ownership, ...)';
CREATE INDEX behavioral_competency_scores_user_dimension_idx ON behavioral_competency_scores (tenant_id, user_id, dimension, created_at DESC);
COMMENT ON INDEX behavioral_competency_scores_user_dimension_idx IS 'a person''s latest behavioural score per dimension; also FK user_id -> users';
CREATE INDEX behavioral_competency_scores_competency_fk_idx ON behavioral_competency_scores (tenant_id, competency_id) WHERE competency_id IS NOT NULL;
COMMENT ON INDEX behavioral_competency_scores_competency_fk_idx IS 'FK competency_id -> competencies: the behavioral competency scores of one competency, and the lookup behind ON DELETE of a competency row';
CREATE INDEX behavioral_competency_scores_cycle_fk_idx ON behavioral_competency_scores (tenant_id, cycle_id) WHERE cycle_id IS NOT NULL;
COMMENT ON INDEX behavioral_competency_scores_cycle_fk_idx IS 'FK cycle_id -> assessment_cycles: the behavioral competency scores of one assessment cycle, and the lookup behind ON DELETE of a assessment cycle row';

CREATE TABLE compliance_policies (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
    name text NOT NULL,
    category text NOT NULL DEFAULT 'TRAINING' CHECK (category IN ('TRAINING', 'CONDUCT', 'SECURITY', 'PRIVACY', 'SAFETY', 'REGULATORY')),
    is_mandatory boolean NOT NULL DEFAULT true,
    renewal_months smallint CHECK (renewal_months > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE compliance_policies IS '[assessment] Policies people must comply with (training, code of conduct, security)';
CREATE UNIQUE INDEX compliance_policies_code_key ON compliance_policies (tenant_id, code);
COMMENT ON INDEX compliance_policies_code_key IS 'policy lookup by code';

CREATE TABLE compliance_assessments (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    policy_id uuid NOT NULL,
    user_id uuid NOT NULL,
    cycle_id uuid,
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLIANT', 'NON_COMPLIANT', 'EXEMPT')),
    assessed_on date,
    expires_on date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, policy_id) REFERENCES compliance_policies (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES assessment_cycles (tenant_id, id) ON DELETE SET NULL (cycle_id)
);
COMMENT ON TABLE compliance_assessments IS '[assessment] Whether a person complies with a policy, and until when';
CREATE UNIQUE INDEX compliance_assessments_policy_user_cycle_key ON compliance_assessments (tenant_id, policy_id, user_id, cycle_id) NULLS NOT DISTINCT;
COMMENT ON INDEX compliance_assessments_policy_user_cycle_key IS 'compliance of a policy per person; also FK policy_id -> compliance_policies';
CREATE INDEX compliance_assessments_user_idx ON compliance_assessments (tenant_id, user_id, status);
COMMENT ON INDEX compliance_assessments_user_idx IS 'a person''s compliance status; also FK user_id -> users';
CREATE INDEX compliance_assessments_expiring_idx ON compliance_assessments (tenant_id, expires_on) WHERE status = 'COMPLIANT';
COMMENT ON INDEX compliance_assessments_expiring_idx IS 'certifications expiring soon (renewal reminders)';
CREATE INDEX compliance_assessments_cycle_fk_idx ON compliance_assessments (tenant_id, cycle_id) WHERE cycle_id IS NOT NULL;
COMMENT ON INDEX compliance_assessments_cycle_fk_idx IS 'FK cycle_id -> assessment_cycles: the compliance assessments of one assessment cycle, and the lookup behind ON DELETE of a assessment cycle row';

CREATE TABLE compliance_violations (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    policy_id uuid NOT NULL,
    user_id uuid NOT NULL,
    reported_by uuid,
    severity text NOT NULL DEFAULT 'LOW' CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    description text NOT NULL,
    occurred_on date NOT NULL,
    resolved_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, policy_id) REFERENCES compliance_policies (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, reported_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (reported_by)
);
COMMENT ON TABLE compliance_violations IS '[assessment] Recorded violations of a policy';
CREATE INDEX compliance_violations_user_idx ON compliance_violations (tenant_id, user_id, occurred_on DESC);
COMMENT ON INDEX compliance_violations_user_idx IS 'a person''s violations; also FK user_id -> users';
CREATE INDEX compliance_violations_policy_open_idx ON compliance_violations (tenant_id, policy_id, severity) WHERE resolved_at IS NULL;
COMMENT ON INDEX compliance_violations_policy_open_idx IS 'open violations of a policy by severity; also FK policy_id -> compliance_policies';
CREATE INDEX compliance_violations_reported_by_fk_idx ON compliance_violations (tenant_id, reported_by) WHERE reported_by IS NOT NULL;
COMMENT ON INDEX compliance_violations_reported_by_fk_idx IS 'FK reported_by -> users: the compliance violations of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE innovation_contributions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    project_id uuid,
    title text NOT NULL,
    description text,
    contribution_type text NOT NULL DEFAULT 'IDEA' CHECK (contribution_type IN ('IDEA', 'PATENT', 'PROCESS_IMPROVEMENT', 'PUBLICATION', 'PROTOTYPE')),
    status text NOT NULL DEFAULT 'SUBMITTED' CHECK (status IN ('SUBMITTED', 'UNDER_REVIEW', 'ACCEPTED', 'IMPLEMENTED', 'REJECTED')),
    submitted_on date NOT NULL DEFAULT current_date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE SET NULL (project_id)
);
COMMENT ON TABLE innovation_contributions IS '[assessment] Ideas, patents, process improvements submitted by people';
CREATE INDEX innovation_contributions_user_idx ON innovation_contributions (tenant_id, user_id, submitted_on DESC);
COMMENT ON INDEX innovation_contributions_user_idx IS 'a person''s innovation record; also FK user_id -> users';
CREATE INDEX innovation_contributions_review_queue_idx ON innovation_contributions (tenant_id, submitted_on) WHERE status IN ('SUBMITTED', 'UNDER_REVIEW') AND deleted_at IS NULL;
COMMENT ON INDEX innovation_contributions_review_queue_idx IS 'the innovation review queue, oldest first';
CREATE INDEX innovation_contributions_project_fk_idx ON innovation_contributions (tenant_id, project_id) WHERE project_id IS NOT NULL;
COMMENT ON INDEX innovation_contributions_project_fk_idx IS 'FK project_id -> projects: the innovation contributions of one project, and the lookup behind ON DELETE of a project row';

CREATE TABLE innovation_evaluations (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    contribution_id uuid NOT NULL,
    evaluator_id uuid,
    cycle_id uuid,
    novelty_score smallint CHECK (novelty_score BETWEEN 1 AND 5),
    impact_score smallint CHECK (impact_score BETWEEN 1 AND 5),
    feasibility_score smallint CHECK (feasibility_score BETWEEN 1 AND 5),
    comment text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, contribution_id) REFERENCES innovation_contributions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, evaluator_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (evaluator_id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES assessment_cycles (tenant_id, id) ON DELETE SET NULL (cycle_id)
);
COMMENT ON TABLE innovation_evaluations IS '[assessment] Scored evaluation of an innovation contribution';
CREATE UNIQUE INDEX innovation_evaluations_contribution_evaluator_key ON innovation_evaluations (tenant_id, contribution_id, evaluator_id);
COMMENT ON INDEX innovation_evaluations_contribution_evaluator_key IS 'one evaluation per evaluator per contribution; also FK contribution_id -> innovation_contributions';
CREATE INDEX innovation_evaluations_evaluator_fk_idx ON innovation_evaluations (tenant_id, evaluator_id) WHERE evaluator_id IS NOT NULL;
COMMENT ON INDEX innovation_evaluations_evaluator_fk_idx IS 'FK evaluator_id -> users: the innovation evaluations of one user, and the lookup behind ON DELETE of a user row';
CREATE INDEX innovation_evaluations_cycle_fk_idx ON innovation_evaluations (tenant_id, cycle_id) WHERE cycle_id IS NOT NULL;
COMMENT ON INDEX innovation_evaluations_cycle_fk_idx IS 'FK cycle_id -> assessment_cycles: the innovation evaluations of one assessment cycle, and the lookup behind ON DELETE of a assessment cycle row';

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['assessment_cycles',
                  'skill_categories',
                  'skills',
                  'technical_skill_assessments',
                  'skill_progress_history',
                  'project_evaluations',
                  'contribution_scores',
                  'leadership_competency_scores',
                  'behavioral_competency_scores',
                  'compliance_policies',
                  'compliance_assessments',
                  'compliance_violations',
                  'innovation_contributions',
                  'innovation_evaluations']::regclass[]) AS t;
