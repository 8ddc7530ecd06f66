-- Reports and visualisation (features 9-28): report definitions, schedules, generated reports,
-- report aggregations, trend analyses, dashboards and widgets, leaderboards and their entries.

CREATE TABLE report_definitions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    report_type text NOT NULL DEFAULT 'PERFORMANCE_SUMMARY' CHECK (report_type IN ('PERFORMANCE_SUMMARY', 'GOAL_PROGRESS', 'REVIEW_COMPLETION', 'FEEDBACK_ACTIVITY', 'ENGAGEMENT', 'COMPENSATION', 'CALIBRATION', 'CUSTOM')),
    owner_id uuid,
    definition jsonb NOT NULL DEFAULT '{}',
    is_shared boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (owner_id)
);
COMMENT ON TABLE report_definitions IS '[reports] Saved report definitions: type, filters, columns';
CREATE UNIQUE INDEX report_definitions_owner_name_key ON report_definitions (tenant_id, owner_id, name) NULLS NOT DISTINCT WHERE deleted_at IS NULL;
COMMENT ON INDEX report_definitions_owner_name_key IS 'a person''s saved reports by name; also FK owner_id -> users';
CREATE INDEX report_definitions_shared_type_idx ON report_definitions (tenant_id, report_type) WHERE is_shared AND deleted_at IS NULL;
COMMENT ON INDEX report_definitions_shared_type_idx IS 'the shared report catalogue by type';

CREATE TABLE report_schedules (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    report_id uuid NOT NULL,
    cron text NOT NULL CHECK (length(cron) BETWEEN 9 AND 100),
    format text NOT NULL DEFAULT 'PDF' CHECK (format IN ('PDF', 'CSV', 'XLSX', 'JSON')),
    recipients text[] NOT NULL DEFAULT '{}',
    is_active boolean NOT NULL DEFAULT true,
    next_run_at timestamptz,
    last_run_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, report_id) REFERENCES report_definitions (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE report_schedules IS '[reports] When a report runs and who receives it';
CREATE INDEX report_schedules_report_idx ON report_schedules (tenant_id, report_id);
COMMENT ON INDEX report_schedules_report_idx IS 'schedules of a report; also FK report_id -> report_definitions';
CREATE INDEX report_schedules_due_idx ON report_schedules (next_run_at) WHERE is_active;
COMMENT ON INDEX report_schedules_due_idx IS 'the scheduler: active schedules due to run, across tenants';

CREATE TABLE generated_reports (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    report_id uuid NOT NULL,
    schedule_id uuid,
    requested_by uuid,
    status text NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    format text NOT NULL DEFAULT 'PDF' CHECK (format IN ('PDF', 'CSV', 'XLSX', 'JSON')),
    storage_uri text,
    row_count integer CHECK (row_count >= 0),
    error text,
    started_at timestamptz,
    finished_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, report_id) REFERENCES report_definitions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, schedule_id) REFERENCES report_schedules (tenant_id, id) ON DELETE SET NULL (schedule_id),
    FOREIGN KEY (tenant_id, requested_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (requested_by)
);
COMMENT ON TABLE generated_reports IS '[reports] Report runs and their output location';
CREATE INDEX generated_reports_report_time_idx ON generated_reports (tenant_id, report_id, created_at DESC);
COMMENT ON INDEX generated_reports_report_time_idx IS 'run history of a report; also FK report_id -> report_definitions';
CREATE INDEX generated_reports_queued_idx ON generated_reports (created_at) WHERE status IN ('QUEUED', 'RUNNING');
COMMENT ON INDEX generated_reports_queued_idx IS 'the report worker: queued and running runs, oldest first';
CREATE INDEX generated_reports_schedule_fk_idx ON generated_reports (tenant_id, schedule_id) WHERE schedule_id IS NOT NULL;
COMMENT ON INDEX generated_reports_schedule_fk_idx IS 'FK schedule_id -> report_schedules: the generated reports of one report schedule, and the lookup behind ON DELETE of a report schedule row';
CREATE INDEX generated_reports_requested_by_fk_idx ON generated_reports (tenant_id, requested_by) WHERE requested_by IS NOT NULL;
COMMENT ON INDEX generated_reports_requested_by_fk_idx IS 'FK requested_by -> users: the generated reports of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE report_aggregations (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    report_id uuid,
    department_id uuid,
    metric text NOT NULL,
    dimension text NOT NULL,
    dimension_value text NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    value numeric(18, 4) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, report_id) REFERENCES report_definitions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE report_aggregations IS '[reports] Pre-computed report figures per dimension and period';
CREATE UNIQUE INDEX report_aggregations_metric_dimension_key ON report_aggregations (tenant_id, metric, dimension, dimension_value, period_start, period_end);
COMMENT ON INDEX report_aggregations_metric_dimension_key IS 'one figure per metric, dimension value and period: report rendering';
CREATE INDEX report_aggregations_report_fk_idx ON report_aggregations (tenant_id, report_id) WHERE report_id IS NOT NULL;
COMMENT ON INDEX report_aggregations_report_fk_idx IS 'FK report_id -> report_definitions: the report aggregations of one report definition, and the lookup behind ON DELETE of a report definition row';
CREATE INDEX report_aggregations_department_fk_idx ON report_aggregations (tenant_id, department_id) WHERE department_id IS NOT NULL;
COMMENT ON INDEX report_aggregations_department_fk_idx IS 'FK department_id -> departments: the report aggregations of one department, and the lookup behind ON DELETE of a department row';

CREATE TABLE trend_analyses (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    subject_type text NOT NULL CHECK (subject_type IN ('USER', 'TEAM', 'DEPARTMENT', 'TENANT')),
    subject_id uuid,
    metric text NOT NULL,
    window_start date NOT NULL,
    window_end date NOT NULL,
    slope double precision,
    direction text NOT NULL DEFAULT 'IMPROVING' CHECK (direction IN ('IMPROVING', 'STABLE', 'DECLINING')),
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE trend_analyses IS '[reports] Computed trends of a metric for a subject over a window';
CREATE INDEX trend_analyses_subject_metric_idx ON trend_analyses (tenant_id, subject_type, subject_id, metric, window_end DESC);
COMMENT ON INDEX trend_analyses_subject_metric_idx IS 'the latest trend of a metric for a subject';

CREATE TABLE dashboards (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    owner_id uuid,
    name text NOT NULL,
    layout jsonb NOT NULL DEFAULT '{}',
    is_default boolean NOT NULL DEFAULT false,
    is_shared boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (owner_id)
);
COMMENT ON TABLE dashboards IS '[reports] Dashboards owned by a person or shared';
CREATE INDEX dashboards_owner_idx ON dashboards (tenant_id, owner_id) WHERE deleted_at IS NULL;
COMMENT ON INDEX dashboards_owner_idx IS 'my dashboards; also FK owner_id -> users';
CREATE INDEX dashboards_shared_idx ON dashboards (tenant_id, name) WHERE is_shared AND deleted_at IS NULL;
COMMENT ON INDEX dashboards_shared_idx IS 'the shared dashboard list by name';

CREATE TABLE dashboard_widgets (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    dashboard_id uuid NOT NULL,
    report_id uuid,
    widget_type text NOT NULL DEFAULT 'LINE_CHART' CHECK (widget_type IN ('LINE_CHART', 'BAR_CHART', 'PIE_CHART', 'TABLE', 'KPI_TILE', 'HEATMAP', 'LEADERBOARD')),
    title text NOT NULL,
    position smallint NOT NULL DEFAULT 0,
    config jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, dashboard_id) REFERENCES dashboards (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, report_id) REFERENCES report_definitions (tenant_id, id) ON DELETE SET NULL (report_id)
);
COMMENT ON TABLE dashboard_widgets IS '[reports] Widgets on a dashboard: chart type, data source, position';
CREATE INDEX dashboard_widgets_dashboard_position_idx ON dashboard_widgets (tenant_id, dashboard_id, position);
COMMENT ON INDEX dashboard_widgets_dashboard_position_idx IS 'widgets of a dashboard in order; also FK dashboard_id -> dashboards';
CREATE INDEX dashboard_widgets_report_fk_idx ON dashboard_widgets (tenant_id, report_id) WHERE report_id IS NOT NULL;
COMMENT ON INDEX dashboard_widgets_report_fk_idx IS 'FK report_id -> report_definitions: the dashboard widgets of one report definition, and the lookup behind ON DELETE of a report definition row';

CREATE TABLE leaderboards (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    metric text NOT NULL,
    scope text NOT NULL DEFAULT 'TENANT' CHECK (scope IN ('TENANT', 'DEPARTMENT', 'TEAM')),
    department_id uuid,
    period_start date NOT NULL,
    period_end date NOT NULL,
    is_public boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE leaderboards IS '[reports] Leaderboards: a metric ranked over a period and scope';
CREATE INDEX leaderboards_metric_period_idx ON leaderboards (tenant_id, metric, period_start DESC);
COMMENT ON INDEX leaderboards_metric_period_idx IS 'leaderboards of a metric, latest period first';
CREATE INDEX leaderboards_department_fk_idx ON leaderboards (tenant_id, department_id) WHERE department_id IS NOT NULL;
COMMENT ON INDEX leaderboards_department_fk_idx IS 'FK department_id -> departments: the leaderboards of one department, and the lookup behind ON DELETE of a department row';

CREATE TABLE leaderboard_entries (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    leaderboard_id uuid NOT NULL,
    user_id uuid NOT NULL,
    rank integer NOT NULL CHECK (rank > 0),
    score numeric(14, 4) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, leaderboard_id) REFERENCES leaderboards (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE leaderboard_entries IS '[reports] A ranked person on a leaderboard';
CREATE UNIQUE INDEX leaderboard_entries_board_user_key ON leaderboard_entries (tenant_id, leaderboard_id, user_id);
COMMENT ON INDEX leaderboard_entries_board_user_key IS 'one entry per person per board; also FK leaderboard_id -> leaderboards';
CREATE INDEX leaderboard_entries_board_rank_idx ON leaderboard_entries (tenant_id, leaderboard_id, rank) INCLUDE (user_id, score);
COMMENT ON INDEX leaderboard_entries_board_rank_idx IS 'the top N of a leaderboard from the index alone';
CREATE INDEX leaderboard_entries_user_idx ON leaderboard_entries (tenant_id, user_id);
COMMENT ON INDEX leaderboard_entries_user_idx IS 'boards a person appears on; also FK user_id -> users';

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['report_definitions',
                  'report_schedules',
                  'generated_reports',
                  'report_aggregations',
                  'trend_analyses',
                  'dashboards',
                  'dashboard_widgets',
                  'leaderboards',
                  'leaderboard_entries']::regclass[]) AS t;
