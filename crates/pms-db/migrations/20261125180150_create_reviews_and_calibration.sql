-- Performance management, part two: review templates and cycles, performance reviews,
-- competencies and their assessments, feedback, one-on-ones, calibration, evidence,
-- compensation and promotion decisions.

CREATE TABLE review_templates (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(trim(name)) > 0),
    review_type text NOT NULL DEFAULT 'SELF' CHECK (review_type IN ('SELF', 'MANAGER', 'PEER', 'UPWARD', 'FULL_360')),
    rating_scale_min smallint NOT NULL DEFAULT 1,
    rating_scale_max smallint NOT NULL DEFAULT 5,
    sections jsonb NOT NULL DEFAULT '[]',
    is_default boolean NOT NULL DEFAULT false,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (rating_scale_max > rating_scale_min),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by)
);
COMMENT ON TABLE review_templates IS '[performance] Question sets and rating scales used by review cycles';
CREATE UNIQUE INDEX review_templates_name_key ON review_templates (tenant_id, name) WHERE deleted_at IS NULL;
COMMENT ON INDEX review_templates_name_key IS 'one live template per name; template picker by name';
CREATE INDEX review_templates_default_idx ON review_templates (tenant_id, review_type) WHERE is_default AND deleted_at IS NULL;
COMMENT ON INDEX review_templates_default_idx IS 'the default template for a review type when a cycle is created';
CREATE INDEX review_templates_created_by_fk_idx ON review_templates (tenant_id, created_by) WHERE created_by IS NOT NULL;
COMMENT ON INDEX review_templates_created_by_fk_idx IS 'FK created_by -> users: the review templates of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE review_cycles (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(trim(name)) > 0),
    cycle_type text NOT NULL DEFAULT 'ANNUAL' CHECK (cycle_type IN ('ANNUAL', 'SEMI_ANNUAL', 'QUARTERLY', 'PROBATION', 'PROJECT')),
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'SCHEDULED', 'SELF_ASSESSMENT', 'MANAGER_REVIEW', 'CALIBRATION', 'FINALIZATION', 'SHARING', 'COMPLETED', 'CANCELLED')),
    template_id uuid,
    period_start date NOT NULL,
    period_end date NOT NULL,
    self_assessment_due date,
    manager_review_due date,
    calibration_due date,
    closes_on date,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (period_end >= period_start),
    FOREIGN KEY (tenant_id, template_id) REFERENCES review_templates (tenant_id, id) ON DELETE SET NULL (template_id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by)
);
COMMENT ON TABLE review_cycles IS '[performance] Review cycles and their workflow: DRAFT to COMPLETED (or CANCELLED)';
CREATE UNIQUE INDEX review_cycles_name_key ON review_cycles (tenant_id, name) WHERE deleted_at IS NULL;
COMMENT ON INDEX review_cycles_name_key IS 'one live cycle per name';
CREATE INDEX review_cycles_status_period_idx ON review_cycles (tenant_id, status, period_end DESC) WHERE deleted_at IS NULL;
COMMENT ON INDEX review_cycles_status_period_idx IS 'open cycles by phase, latest period first (HR cycle board)';
CREATE INDEX review_cycles_template_fk_idx ON review_cycles (tenant_id, template_id) WHERE template_id IS NOT NULL;
COMMENT ON INDEX review_cycles_template_fk_idx IS 'FK template_id -> review_templates: the review cycles of one review template, and the lookup behind ON DELETE of a review template row';
CREATE INDEX review_cycles_created_by_fk_idx ON review_cycles (tenant_id, created_by) WHERE created_by IS NOT NULL;
COMMENT ON INDEX review_cycles_created_by_fk_idx IS 'FK created_by -> users: the review cycles of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE performance_reviews (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    cycle_id uuid NOT NULL,
    reviewee_id uuid NOT NULL,
    reviewer_id uuid,
    template_id uuid,
    review_type text NOT NULL DEFAULT 'SELF' CHECK (review_type IN ('SELF', 'MANAGER', 'PEER', 'UPWARD', 'FULL_360')),
    status text NOT NULL DEFAULT 'NOT_STARTED' CHECK (status IN ('NOT_STARTED', 'IN_PROGRESS', 'SUBMITTED', 'CALIBRATED', 'FINALIZED', 'SHARED', 'ACKNOWLEDGED')),
    overall_rating numeric(3, 2) CHECK (overall_rating BETWEEN 0 AND 5),
    summary text,
    strengths text,
    improvements text,
    answers jsonb NOT NULL DEFAULT '{}',
    submitted_at timestamptz,
    shared_at timestamptz,
    acknowledged_at timestamptz,
    due_date date,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(summary, '') || ' ' || coalesce(strengths, '') || ' ' || coalesce(improvements, ''))) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES review_cycles (tenant_id, id),
    FOREIGN KEY (tenant_id, reviewee_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, reviewer_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (reviewer_id),
    FOREIGN KEY (tenant_id, template_id) REFERENCES review_templates (tenant_id, id) ON DELETE SET NULL (template_id)
);
COMMENT ON TABLE performance_reviews IS '[performance] One review of one person in a cycle: self, manager, peer, upward or 360';
CREATE UNIQUE INDEX performance_reviews_cycle_reviewee_key ON performance_reviews (tenant_id, cycle_id, reviewee_id, review_type, reviewer_id) NULLS NOT DISTINCT;
COMMENT ON INDEX performance_reviews_cycle_reviewee_key IS 'one review per cycle, reviewee, type and reviewer; reviews of a cycle by reviewee; also FK cycle_id -> review_cycles';
CREATE INDEX performance_reviews_reviewee_idx ON performance_reviews (tenant_id, reviewee_id, created_at DESC) INCLUDE (cycle_id, status, overall_rating);
COMMENT ON INDEX performance_reviews_reviewee_idx IS 'a person''s review history, newest first; also FK reviewee_id -> users';
CREATE INDEX performance_reviews_reviewer_open_idx ON performance_reviews (tenant_id, reviewer_id, due_date) WHERE status IN ('NOT_STARTED', 'IN_PROGRESS') AND deleted_at IS NULL;
COMMENT ON INDEX performance_reviews_reviewer_open_idx IS 'my pending reviews to write, by due date; also FK reviewer_id -> users';
CREATE INDEX performance_reviews_cycle_status_idx ON performance_reviews (tenant_id, cycle_id, status);
COMMENT ON INDEX performance_reviews_cycle_status_idx IS 'cycle completion dashboard: counts per status';
CREATE INDEX performance_reviews_search_idx ON performance_reviews USING gin (search_vector);
COMMENT ON INDEX performance_reviews_search_idx IS 'full-text search over review summaries, strengths and improvements';
CREATE INDEX performance_reviews_template_fk_idx ON performance_reviews (tenant_id, template_id) WHERE template_id IS NOT NULL;
COMMENT ON INDEX performance_reviews_template_fk_idx IS 'FK template_id -> review_templates: the performance reviews of one review template, and the lookup behind ON DELETE of a review template row';

CREATE TABLE review_goals (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    review_id uuid NOT NULL,
    goal_id uuid NOT NULL,
    rating numeric(3, 2) CHECK (rating BETWEEN 0 AND 5),
    comment text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, review_id) REFERENCES performance_reviews (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE review_goals IS '[performance] Goals assessed within a review, with their rating';
CREATE UNIQUE INDEX review_goals_pair_key ON review_goals (tenant_id, review_id, goal_id);
COMMENT ON INDEX review_goals_pair_key IS 'each goal once per review; the goals of a review; also FK review_id -> performance_reviews';
CREATE INDEX review_goals_goal_idx ON review_goals (tenant_id, goal_id);
COMMENT ON INDEX review_goals_goal_idx IS 'reviews in which a goal was assessed; also FK goal_id -> goals';

CREATE TABLE competency_frameworks (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(trim(name)) > 0),
    version integer NOT NULL DEFAULT 1 CHECK (version > 0),
    description text,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ACTIVE', 'RETIRED')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE competency_frameworks IS '[performance] Named, versioned sets of competencies (engineering ladder, leadership, ...)';
CREATE UNIQUE INDEX competency_frameworks_name_version_key ON competency_frameworks (tenant_id, name, version);
COMMENT ON INDEX competency_frameworks_name_version_key IS 'one framework per name and version; lookup by name';

CREATE TABLE competencies (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    framework_id uuid NOT NULL,
    code text NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
    name text NOT NULL,
    category text NOT NULL DEFAULT 'TECHNICAL' CHECK (category IN ('TECHNICAL', 'LEADERSHIP', 'BEHAVIORAL', 'FUNCTIONAL', 'CORE')),
    description text,
    level_expectations jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, framework_id) REFERENCES competency_frameworks (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE competencies IS '[performance] A competency with expectations per level';
CREATE UNIQUE INDEX competencies_framework_code_key ON competencies (tenant_id, framework_id, code);
COMMENT ON INDEX competencies_framework_code_key IS 'competencies of a framework by code; also FK framework_id -> competency_frameworks';
CREATE INDEX competencies_category_idx ON competencies (tenant_id, category) WHERE deleted_at IS NULL;
COMMENT ON INDEX competencies_category_idx IS 'competency library filtered by category';

CREATE TABLE competency_assessments (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    competency_id uuid NOT NULL,
    assessor_id uuid,
    review_id uuid,
    assessment_type text NOT NULL DEFAULT 'SELF' CHECK (assessment_type IN ('SELF', 'MANAGER', 'PEER')),
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    target_level smallint CHECK (target_level BETWEEN 1 AND 5),
    comment text,
    assessed_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, competency_id) REFERENCES competencies (tenant_id, id),
    FOREIGN KEY (tenant_id, assessor_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (assessor_id),
    FOREIGN KEY (tenant_id, review_id) REFERENCES performance_reviews (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE competency_assessments IS '[performance] A rating of one competency of one person, in a review or standalone';
CREATE INDEX competency_assessments_user_competency_idx ON competency_assessments (tenant_id, user_id, competency_id, assessed_at DESC) INCLUDE (rating);
COMMENT ON INDEX competency_assessments_user_competency_idx IS 'a person''s latest rating per competency (skills profile); also FK user_id -> users';
CREATE INDEX competency_assessments_competency_idx ON competency_assessments (tenant_id, competency_id, rating);
COMMENT ON INDEX competency_assessments_competency_idx IS 'rating distribution of a competency across people; also FK competency_id -> competencies';
CREATE INDEX competency_assessments_review_idx ON competency_assessments (tenant_id, review_id) WHERE review_id IS NOT NULL;
COMMENT ON INDEX competency_assessments_review_idx IS 'competency ratings given in a review; also FK review_id -> performance_reviews';
CREATE INDEX competency_assessments_assessor_fk_idx ON competency_assessments (tenant_id, assessor_id) WHERE assessor_id IS NOT NULL;
COMMENT ON INDEX competency_assessments_assessor_fk_idx IS 'FK assessor_id -> users: the competency assessments of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE feedback (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    giver_id uuid,
    recipient_id uuid NOT NULL,
    requested_by uuid,
    goal_id uuid,
    feedback_type text NOT NULL DEFAULT 'PRAISE' CHECK (feedback_type IN ('PRAISE', 'CONSTRUCTIVE', 'SUGGESTION', 'REQUEST', 'RECOGNITION')),
    visibility text NOT NULL DEFAULT 'PRIVATE' CHECK (visibility IN ('PRIVATE', 'MANAGER', 'PUBLIC')),
    is_anonymous boolean NOT NULL DEFAULT false,
    body text NOT NULL CHECK (length(trim(body)) > 0),
    tags text[] NOT NULL DEFAULT '{}',
    sentiment_score numeric(4, 3) CHECK (sentiment_score BETWEEN -1 AND 1),
    read_at timestamptz,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (giver_id IS DISTINCT FROM recipient_id),
    CHECK (NOT is_anonymous OR visibility <> 'PUBLIC'),
    FOREIGN KEY (tenant_id, giver_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (giver_id),
    FOREIGN KEY (tenant_id, recipient_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, requested_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (requested_by),
    FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE SET NULL (goal_id)
);
COMMENT ON TABLE feedback IS '[performance] Continuous feedback: praise, constructive, suggestion, request, recognition';
CREATE INDEX feedback_recipient_time_idx ON feedback (tenant_id, recipient_id, created_at DESC) WHERE deleted_at IS NULL;
COMMENT ON INDEX feedback_recipient_time_idx IS 'feedback I received, newest first; also FK recipient_id -> users';
CREATE INDEX feedback_giver_time_idx ON feedback (tenant_id, giver_id, created_at DESC) WHERE giver_id IS NOT NULL;
COMMENT ON INDEX feedback_giver_time_idx IS 'feedback I gave, newest first; also FK giver_id -> users';
CREATE INDEX feedback_unread_idx ON feedback (tenant_id, recipient_id) WHERE read_at IS NULL AND deleted_at IS NULL;
COMMENT ON INDEX feedback_unread_idx IS 'unread-feedback badge';
CREATE INDEX feedback_public_time_idx ON feedback (tenant_id, created_at DESC) WHERE visibility = 'PUBLIC' AND deleted_at IS NULL;
COMMENT ON INDEX feedback_public_time_idx IS 'the public recognition wall';
CREATE INDEX feedback_search_idx ON feedback USING gin (search_vector);
COMMENT ON INDEX feedback_search_idx IS 'full-text search over feedback text';
CREATE INDEX feedback_tags_idx ON feedback USING gin (tags);
COMMENT ON INDEX feedback_tags_idx IS 'feedback carrying a tag (value, skill)';
CREATE INDEX feedback_requested_by_fk_idx ON feedback (tenant_id, requested_by) WHERE requested_by IS NOT NULL;
COMMENT ON INDEX feedback_requested_by_fk_idx IS 'FK requested_by -> users: the feedback of one user, and the lookup behind ON DELETE of a user row';
CREATE INDEX feedback_goal_fk_idx ON feedback (tenant_id, goal_id) WHERE goal_id IS NOT NULL;
COMMENT ON INDEX feedback_goal_fk_idx IS 'FK goal_id -> goals: the feedback of one goal, and the lookup behind ON DELETE of a goal row';

CREATE TABLE one_on_ones (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    manager_id uuid NOT NULL,
    employee_id uuid NOT NULL,
    scheduled_at timestamptz NOT NULL,
    duration_minutes smallint NOT NULL DEFAULT 30 CHECK (duration_minutes BETWEEN 5 AND 480),
    status text NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED', 'COMPLETED', 'CANCELLED', 'RESCHEDULED')),
    recurrence text NOT NULL DEFAULT 'NONE' CHECK (recurrence IN ('NONE', 'WEEKLY', 'BIWEEKLY', 'MONTHLY')),
    shared_notes text,
    private_notes text,
    mood smallint CHECK (mood BETWEEN 1 AND 5),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (manager_id <> employee_id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES users (tenant_id, id)
);
COMMENT ON TABLE one_on_ones IS '[performance] Scheduled one-on-one meetings between a manager and a report';
CREATE INDEX one_on_ones_manager_time_idx ON one_on_ones (tenant_id, manager_id, scheduled_at DESC);
COMMENT ON INDEX one_on_ones_manager_time_idx IS 'a manager''s one-on-one calendar; also FK manager_id -> users';
CREATE INDEX one_on_ones_employee_time_idx ON one_on_ones (tenant_id, employee_id, scheduled_at DESC);
COMMENT ON INDEX one_on_ones_employee_time_idx IS 'an employee''s one-on-one history; also FK employee_id -> users';
CREATE INDEX one_on_ones_upcoming_idx ON one_on_ones (tenant_id, scheduled_at) WHERE status = 'SCHEDULED' AND deleted_at IS NULL;
COMMENT ON INDEX one_on_ones_upcoming_idx IS 'upcoming meetings for reminders';

CREATE TABLE one_on_one_agenda_items (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    one_on_one_id uuid NOT NULL,
    added_by uuid,
    position smallint NOT NULL DEFAULT 0,
    topic text NOT NULL CHECK (length(trim(topic)) > 0),
    is_discussed boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, one_on_one_id) REFERENCES one_on_ones (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, added_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (added_by)
);
COMMENT ON TABLE one_on_one_agenda_items IS '[performance] Agenda topics of a one-on-one, ordered';
CREATE INDEX one_on_one_agenda_items_meeting_position_idx ON one_on_one_agenda_items (tenant_id, one_on_one_id, position);
COMMENT ON INDEX one_on_one_agenda_items_meeting_position_idx IS 'the agenda of a meeting in order; also FK one_on_one_id -> one_on_ones';
CREATE INDEX one_on_one_agenda_items_added_by_fk_idx ON one_on_one_agenda_items (tenant_id, added_by) WHERE added_by IS NOT NULL;
COMMENT ON INDEX one_on_one_agenda_items_added_by_fk_idx IS 'FK added_by -> users: the one on one agenda items of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE one_on_one_action_items (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    one_on_one_id uuid NOT NULL,
    assignee_id uuid NOT NULL,
    description text NOT NULL CHECK (length(trim(description)) > 0),
    due_date date,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, one_on_one_id) REFERENCES one_on_ones (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, id)
);
COMMENT ON TABLE one_on_one_action_items IS '[performance] Follow-ups agreed in a one-on-one';
CREATE INDEX one_on_one_action_items_meeting_idx ON one_on_one_action_items (tenant_id, one_on_one_id);
COMMENT ON INDEX one_on_one_action_items_meeting_idx IS 'action items of a meeting; also FK one_on_one_id -> one_on_ones';
CREATE INDEX one_on_one_action_items_assignee_open_idx ON one_on_one_action_items (tenant_id, assignee_id, due_date) WHERE completed_at IS NULL;
COMMENT ON INDEX one_on_one_action_items_assignee_open_idx IS 'my open action items by due date; also FK assignee_id -> users';

CREATE TABLE calibration_sessions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    cycle_id uuid NOT NULL,
    facilitator_id uuid,
    department_id uuid,
    name text NOT NULL,
    status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED')),
    scheduled_at timestamptz,
    target_distribution jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES review_cycles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, facilitator_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (facilitator_id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE SET NULL (department_id)
);
COMMENT ON TABLE calibration_sessions IS '[performance] Calibration meetings within a review cycle';
CREATE INDEX calibration_sessions_cycle_status_idx ON calibration_sessions (tenant_id, cycle_id, status);
COMMENT ON INDEX calibration_sessions_cycle_status_idx IS 'calibration sessions of a cycle by status; also FK cycle_id -> review_cycles';
CREATE INDEX calibration_sessions_facilitator_fk_idx ON calibration_sessions (tenant_id, facilitator_id) WHERE facilitator_id IS NOT NULL;
COMMENT ON INDEX calibration_sessions_facilitator_fk_idx IS 'FK facilitator_id -> users: the calibration sessions of one user, and the lookup behind ON DELETE of a user row';
CREATE INDEX calibration_sessions_department_fk_idx ON calibration_sessions (tenant_id, department_id) WHERE department_id IS NOT NULL;
COMMENT ON INDEX calibration_sessions_department_fk_idx IS 'FK department_id -> departments: the calibration sessions of one department, and the lookup behind ON DELETE of a department row';

CREATE TABLE calibration_participants (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id uuid NOT NULL,
    user_id uuid NOT NULL,
    participant_role text NOT NULL DEFAULT 'CALIBRATOR' CHECK (participant_role IN ('CALIBRATOR', 'FACILITATOR', 'OBSERVER', 'HR_PARTNER')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES calibration_sessions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
COMMENT ON TABLE calibration_participants IS '[performance] People taking part in a calibration session (facilitator, calibrators, observers)';
CREATE UNIQUE INDEX calibration_participants_session_user_key ON calibration_participants (tenant_id, session_id, user_id);
COMMENT ON INDEX calibration_participants_session_user_key IS 'one seat per person per session; the roster of a session; also FK session_id -> calibration_sessions';
CREATE INDEX calibration_participants_user_idx ON calibration_participants (tenant_id, user_id);
COMMENT ON INDEX calibration_participants_user_idx IS 'sessions a person calibrates in; also FK user_id -> users';

CREATE TABLE calibration_ratings (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id uuid NOT NULL,
    review_id uuid NOT NULL,
    employee_id uuid NOT NULL,
    adjusted_by uuid,
    original_rating numeric(3, 2) NOT NULL CHECK (original_rating BETWEEN 0 AND 5),
    adjusted_rating numeric(3, 2) CHECK (adjusted_rating BETWEEN 0 AND 5),
    rationale text,
    status text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN ('PROPOSED', 'ACCEPTED', 'REJECTED')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (adjusted_rating IS NULL OR adjusted_rating = original_rating OR rationale IS NOT NULL),
    FOREIGN KEY (tenant_id, session_id) REFERENCES calibration_sessions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, review_id) REFERENCES performance_reviews (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, employee_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, adjusted_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (adjusted_by)
);
COMMENT ON TABLE calibration_ratings IS '[performance] A rating moved in calibration: original to adjusted, with rationale';
CREATE UNIQUE INDEX calibration_ratings_session_review_key ON calibration_ratings (tenant_id, session_id, review_id);
COMMENT ON INDEX calibration_ratings_session_review_key IS 'one rating per review per session; the grid of a session; also FK session_id -> calibration_sessions';
CREATE INDEX calibration_ratings_review_idx ON calibration_ratings (tenant_id, review_id);
COMMENT ON INDEX calibration_ratings_review_idx IS 'calibration history of a review; also FK review_id -> performance_reviews';
CREATE INDEX calibration_ratings_employee_idx ON calibration_ratings (tenant_id, employee_id, created_at DESC);
COMMENT ON INDEX calibration_ratings_employee_idx IS 'calibration outcomes of a person over time; also FK employee_id -> users';
CREATE INDEX calibration_ratings_adjusted_by_fk_idx ON calibration_ratings (tenant_id, adjusted_by) WHERE adjusted_by IS NOT NULL;
COMMENT ON INDEX calibration_ratings_adjusted_by_fk_idx IS 'FK adjusted_by -> users: the calibration ratings of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE evidence (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    owner_id uuid NOT NULL,
    title text NOT NULL,
    evidence_type text NOT NULL DEFAULT 'DOCUMENT' CHECK (evidence_type IN ('DOCUMENT', 'LINK', 'ACHIEVEMENT', 'METRIC', 'CERTIFICATE')),
    url text,
    description text,
    occurred_on date,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id)
);
COMMENT ON TABLE evidence IS '[performance] Evidence of work (documents, links, achievements) that backs goals and reviews';
CREATE INDEX evidence_owner_time_idx ON evidence (tenant_id, owner_id, occurred_on DESC) WHERE deleted_at IS NULL;
COMMENT ON INDEX evidence_owner_time_idx IS 'a person''s evidence locker, newest first; also FK owner_id -> users';

CREATE TABLE evidence_links (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    evidence_id uuid NOT NULL,
    goal_id uuid,
    review_id uuid,
    feedback_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (num_nonnulls(goal_id, review_id, feedback_id) = 1),
    FOREIGN KEY (tenant_id, evidence_id) REFERENCES evidence (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, review_id) REFERENCES performance_reviews (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, feedback_id) REFERENCES feedback (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE evidence_links IS '[performance] Attaches evidence to a goal, review or feedback item';
CREATE INDEX evidence_links_evidence_idx ON evidence_links (tenant_id, evidence_id);
COMMENT ON INDEX evidence_links_evidence_idx IS 'where a piece of evidence is used; also FK evidence_id -> evidence';
CREATE INDEX evidence_links_goal_idx ON evidence_links (tenant_id, goal_id) WHERE goal_id IS NOT NULL;
COMMENT ON INDEX evidence_links_goal_idx IS 'evidence attached to a goal; also FK goal_id -> goals';
CREATE INDEX evidence_links_review_idx ON evidence_links (tenant_id, review_id) WHERE review_id IS NOT NULL;
COMMENT ON INDEX evidence_links_review_idx IS 'evidence attached to a review; also FK review_id -> performance_reviews';
CREATE INDEX evidence_links_feedback_idx ON evidence_links (tenant_id, feedback_id) WHERE feedback_id IS NOT NULL;
COMMENT ON INDEX evidence_links_feedback_idx IS 'evidence attached to feedback; also FK feedback_id -> feedback';

CREATE TABLE compensation_decisions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    employee_id uuid NOT NULL,
    cycle_id uuid,
    decided_by uuid,
    approved_by uuid,
    decision_type text NOT NULL DEFAULT 'MERIT_INCREASE' CHECK (decision_type IN ('MERIT_INCREASE', 'BONUS', 'EQUITY', 'MARKET_ADJUSTMENT', 'PROMOTION_INCREASE')),
    status text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN ('PROPOSED', 'APPROVED', 'REJECTED', 'APPLIED')),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    current_amount numeric(14, 2) CHECK (current_amount >= 0),
    proposed_amount numeric(14, 2) NOT NULL CHECK (proposed_amount >= 0),
    effective_date date NOT NULL,
    rationale text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES review_cycles (tenant_id, id) ON DELETE SET NULL (cycle_id),
    FOREIGN KEY (tenant_id, decided_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (decided_by),
    FOREIGN KEY (tenant_id, approved_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (approved_by)
);
COMMENT ON TABLE compensation_decisions IS '[performance] Pay changes decided after a cycle: merit, bonus, equity, adjustment';
CREATE INDEX compensation_decisions_employee_time_idx ON compensation_decisions (tenant_id, employee_id, effective_date DESC);
COMMENT ON INDEX compensation_decisions_employee_time_idx IS 'a person''s pay history; also FK employee_id -> users';
CREATE INDEX compensation_decisions_cycle_status_idx ON compensation_decisions (tenant_id, cycle_id, status) WHERE cycle_id IS NOT NULL;
COMMENT ON INDEX compensation_decisions_cycle_status_idx IS 'the compensation worksheet of a cycle by status; also FK cycle_id -> review_cycles';
CREATE INDEX compensation_decisions_pending_approval_idx ON compensation_decisions (tenant_id, approved_by) WHERE status = 'PROPOSED';
COMMENT ON INDEX compensation_decisions_pending_approval_idx IS 'decisions waiting for an approver; also FK approved_by -> users';
CREATE INDEX compensation_decisions_decided_by_fk_idx ON compensation_decisions (tenant_id, decided_by) WHERE decided_by IS NOT NULL;
COMMENT ON INDEX compensation_decisions_decided_by_fk_idx IS 'FK decided_by -> users: the compensation decisions of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE promotion_decisions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    employee_id uuid NOT NULL,
    cycle_id uuid,
    decided_by uuid,
    from_level smallint CHECK (from_level BETWEEN 1 AND 20),
    to_level smallint NOT NULL CHECK (to_level BETWEEN 1 AND 20),
    from_title text,
    to_title text NOT NULL,
    status text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN ('PROPOSED', 'APPROVED', 'REJECTED', 'EFFECTIVE')),
    effective_date date NOT NULL,
    rationale text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (from_level IS NULL OR to_level > from_level),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, cycle_id) REFERENCES review_cycles (tenant_id, id) ON DELETE SET NULL (cycle_id),
    FOREIGN KEY (tenant_id, decided_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (decided_by)
);
COMMENT ON TABLE promotion_decisions IS '[performance] Promotions decided: from level to level, with approval';
CREATE INDEX promotion_decisions_employee_time_idx ON promotion_decisions (tenant_id, employee_id, effective_date DESC);
COMMENT ON INDEX promotion_decisions_employee_time_idx IS 'a person''s promotion history; also FK employee_id -> users';
CREATE INDEX promotion_decisions_cycle_status_idx ON promotion_decisions (tenant_id, cycle_id, status) WHERE cycle_id IS NOT NULL;
COMMENT ON INDEX promotion_decisions_cycle_status_idx IS 'promotion slate of a cycle by status; also FK cycle_id -> review_cycles';
CREATE INDEX promotion_decisions_decided_by_fk_idx ON promotion_decisions (tenant_id, decided_by) WHERE decided_by IS NOT NULL;
COMMENT ON INDEX promotion_decisions_decided_by_fk_idx IS 'FK decided_by -> users: the promotion decisions of one user, and the lookup behind ON DELETE of a user row';

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['review_templates',
                  'review_cycles',
                  'performance_reviews',
                  'review_goals',
                  'competency_frameworks',
                  'competencies',
                  'competency_assessments',
                  'feedback',
                  'one_on_ones',
                  'one_on_one_agenda_items',
                  'one_on_one_action_items',
                  'calibration_sessions',
                  'calibration_participants',
                  'calibration_ratings',
                  'evidence',
                  'evidence_links',
                  'compensation_decisions',
                  'promotion_decisions']::regclass[]) AS t;
