-- Performance management, part one: goals and OKR objectives, key results
-- and their alignments, progress and comments (reviews and the rest follow in 180150).
-- Rules (as in the foundation): PK (tenant_id, id), tenant-qualified FKs, forced RLS; status and
-- type columns are text with CHECK constraints. Every index says in its comment which access
-- path it serves (docs/SCHEMA.md is generated from those comments by `pms schema doc`).

CREATE TABLE goals (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    owner_id uuid NOT NULL,
    team_id uuid,
    department_id uuid,
    parent_id uuid,
    goal_type text NOT NULL DEFAULT 'INDIVIDUAL' CHECK (goal_type IN ('INDIVIDUAL', 'TEAM', 'DEPARTMENT', 'COMPANY', 'OKR_OBJECTIVE')),
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ACTIVE', 'AT_RISK', 'ON_HOLD', 'COMPLETED', 'CANCELLED')),
    visibility text NOT NULL DEFAULT 'PUBLIC' CHECK (visibility IN ('PUBLIC', 'TEAM', 'PRIVATE')),
    title text NOT NULL CHECK (length(trim(title)) > 0),
    description text,
    period_start date NOT NULL,
    period_end date NOT NULL,
    progress numeric(5, 2) NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    weight numeric(5, 2) NOT NULL DEFAULT 1 CHECK (weight > 0),
    tags text[] NOT NULL DEFAULT '{}',
    metadata jsonb NOT NULL DEFAULT '{}',
    completed_at timestamptz,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, ''))) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (period_end >= period_start),
    CHECK (parent_id IS DISTINCT FROM id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) ON DELETE SET NULL (team_id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE SET NULL (department_id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES goals (tenant_id, id) ON DELETE SET NULL (parent_id)
);
COMMENT ON TABLE goals IS '[performance] Goals at every level (individual, team, department, company) and OKR objectives';
CREATE INDEX goals_owner_period_idx ON goals (tenant_id, owner_id, period_start, period_end) INCLUDE (progress, status) WHERE deleted_at IS NULL;
COMMENT ON INDEX goals_owner_period_idx IS 'my goals for a period, with progress and status read from the index alone';
CREATE INDEX goals_team_status_idx ON goals (tenant_id, team_id, status) WHERE team_id IS NOT NULL AND deleted_at IS NULL;
COMMENT ON INDEX goals_team_status_idx IS 'a team page: the team goals by status; also FK team_id -> teams';
CREATE INDEX goals_department_status_idx ON goals (tenant_id, department_id, status) WHERE department_id IS NOT NULL AND deleted_at IS NULL;
COMMENT ON INDEX goals_department_status_idx IS 'a department page: its goals by status; also FK department_id -> departments';
CREATE INDEX goals_parent_idx ON goals (tenant_id, parent_id) WHERE parent_id IS NOT NULL;
COMMENT ON INDEX goals_parent_idx IS 'the goal tree: children of a goal (cascading OKRs); also FK parent_id -> goals';
CREATE INDEX goals_open_due_idx ON goals (tenant_id, period_end) WHERE status IN ('ACTIVE', 'AT_RISK') AND deleted_at IS NULL;
COMMENT ON INDEX goals_open_due_idx IS 'open goals by due date: deadline alerts and the at-risk report';
CREATE INDEX goals_company_period_idx ON goals (tenant_id, goal_type, period_start) WHERE goal_type IN ('COMPANY', 'OKR_OBJECTIVE') AND deleted_at IS NULL;
COMMENT ON INDEX goals_company_period_idx IS 'the company OKR board for a period';
CREATE INDEX goals_search_idx ON goals USING gin (search_vector);
COMMENT ON INDEX goals_search_idx IS 'full-text search over goal titles and descriptions';
CREATE INDEX goals_tags_idx ON goals USING gin (tags);
COMMENT ON INDEX goals_tags_idx IS 'goals carrying a tag (tags @> ARRAY[...])';
CREATE INDEX goals_metadata_idx ON goals USING gin (metadata jsonb_path_ops);
COMMENT ON INDEX goals_metadata_idx IS 'goals by metadata containment (metadata @> ...)';

CREATE TABLE key_results (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    goal_id uuid NOT NULL,
    owner_id uuid,
    title text NOT NULL CHECK (length(trim(title)) > 0),
    metric_type text NOT NULL DEFAULT 'NUMBER' CHECK (metric_type IN ('NUMBER', 'PERCENT', 'CURRENCY', 'BOOLEAN', 'MILESTONE')),
    start_value numeric(14, 2) NOT NULL DEFAULT 0,
    target_value numeric(14, 2) NOT NULL,
    current_value numeric(14, 2) NOT NULL DEFAULT 0,
    unit text,
    status text NOT NULL DEFAULT 'ON_TRACK' CHECK (status IN ('ON_TRACK', 'AT_RISK', 'OFF_TRACK', 'ACHIEVED', 'MISSED')),
    confidence smallint CHECK (confidence BETWEEN 0 AND 10),
    due_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (owner_id)
);
COMMENT ON TABLE key_results IS '[performance] Measurable key results of a goal or OKR objective';
CREATE INDEX key_results_goal_idx ON key_results (tenant_id, goal_id) INCLUDE (current_value, target_value, status);
COMMENT ON INDEX key_results_goal_idx IS 'the key results of a goal with their values, for progress roll-up; also FK goal_id -> goals';
CREATE INDEX key_results_owner_status_idx ON key_results (tenant_id, owner_id, status) WHERE owner_id IS NOT NULL;
COMMENT ON INDEX key_results_owner_status_idx IS 'key results a person owns, by status; also FK owner_id -> users';

CREATE TABLE goal_alignments (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    goal_id uuid NOT NULL,
    aligned_to_goal_id uuid NOT NULL,
    alignment_type text NOT NULL DEFAULT 'SUPPORTS' CHECK (alignment_type IN ('SUPPORTS', 'CONTRIBUTES_TO', 'DEPENDS_ON')),
    contribution_weight numeric(5, 2) NOT NULL DEFAULT 1 CHECK (contribution_weight > 0),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (goal_id <> aligned_to_goal_id),
    FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, aligned_to_goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by)
);
COMMENT ON TABLE goal_alignments IS '[performance] Links a goal to the higher goal it contributes to, with a contribution weight';
CREATE UNIQUE INDEX goal_alignments_pair_key ON goal_alignments (tenant_id, goal_id, aligned_to_goal_id);
COMMENT ON INDEX goal_alignments_pair_key IS 'one alignment per pair of goals; the upward walk from a goal; also FK goal_id -> goals';
CREATE INDEX goal_alignments_aligned_to_idx ON goal_alignments (tenant_id, aligned_to_goal_id) INCLUDE (goal_id, contribution_weight);
COMMENT ON INDEX goal_alignments_aligned_to_idx IS 'the downward walk: goals that support a goal; also FK aligned_to_goal_id -> goals';
CREATE INDEX goal_alignments_created_by_fk_idx ON goal_alignments (tenant_id, created_by) WHERE created_by IS NOT NULL;
COMMENT ON INDEX goal_alignments_created_by_fk_idx IS 'FK created_by -> users: the goal alignments of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE goal_progress_updates (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    goal_id uuid NOT NULL,
    key_result_id uuid,
    author_id uuid NOT NULL,
    previous_progress numeric(5, 2) CHECK (previous_progress BETWEEN 0 AND 100),
    new_progress numeric(5, 2) NOT NULL CHECK (new_progress BETWEEN 0 AND 100),
    confidence_label text CHECK (confidence_label IN ('ON_TRACK', 'AT_RISK', 'OFF_TRACK')),
    note text,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, key_result_id) REFERENCES key_results (tenant_id, id) ON DELETE SET NULL (key_result_id),
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id)
);
COMMENT ON TABLE goal_progress_updates IS '[performance] Check-ins on a goal: progress before and after, with a note';
CREATE INDEX goal_progress_updates_goal_time_idx ON goal_progress_updates (tenant_id, goal_id, recorded_at DESC);
COMMENT ON INDEX goal_progress_updates_goal_time_idx IS 'the progress history of a goal, newest first; also FK goal_id -> goals';
CREATE INDEX goal_progress_updates_author_time_idx ON goal_progress_updates (tenant_id, author_id, recorded_at DESC);
COMMENT ON INDEX goal_progress_updates_author_time_idx IS 'recent check-ins by a person (activity feed); also FK author_id -> users';
CREATE INDEX goal_progress_updates_key_result_fk_idx ON goal_progress_updates (tenant_id, key_result_id) WHERE key_result_id IS NOT NULL;
COMMENT ON INDEX goal_progress_updates_key_result_fk_idx IS 'FK key_result_id -> key_results: the goal progress updates of one key result, and the lookup behind ON DELETE of a key result row';

CREATE TABLE goal_comments (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    goal_id uuid NOT NULL,
    author_id uuid NOT NULL,
    parent_comment_id uuid,
    body text NOT NULL CHECK (length(trim(body)) > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_comment_id) REFERENCES goal_comments (tenant_id, id) ON DELETE SET NULL (parent_comment_id)
);
COMMENT ON TABLE goal_comments IS '[performance] Discussion on a goal, threaded';
CREATE INDEX goal_comments_goal_time_idx ON goal_comments (tenant_id, goal_id, created_at) WHERE deleted_at IS NULL;
COMMENT ON INDEX goal_comments_goal_time_idx IS 'the comment thread of a goal in order; also FK goal_id -> goals';
CREATE INDEX goal_comments_author_fk_idx ON goal_comments (tenant_id, author_id);
COMMENT ON INDEX goal_comments_author_fk_idx IS 'FK author_id -> users: the goal comments of one user, and the lookup behind ON DELETE of a user row';
CREATE INDEX goal_comments_parent_comment_fk_idx ON goal_comments (tenant_id, parent_comment_id) WHERE parent_comment_id IS NOT NULL;
COMMENT ON INDEX goal_comments_parent_comment_fk_idx IS 'FK parent_comment_id -> goal_comments: the goal comments of one goal comment, and the lookup behind ON DELETE of a goal comment row';

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['goals',
                  'key_results',
                  'goal_alignments',
                  'goal_progress_updates',
                  'goal_comments']::regclass[]) AS t;
