-- Real-time tracking (features 1-8): activity events, hourly and daily metric tables, anomalies,
-- deadline alerts, workload snapshots, communication sentiment, projects with milestones and
-- progress events, alerts, KPI definitions and values. The raw time-series (`*_ts`) and their
-- rollups belong to the time-series engine; hourly_metrics and daily_metrics here are plain
-- tables that hold named, application-computed aggregates.

CREATE TABLE projects (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
    name text NOT NULL,
    owner_id uuid,
    department_id uuid,
    status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CANCELLED')),
    starts_on date,
    ends_on date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (owner_id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE SET NULL (department_id)
);
COMMENT ON TABLE projects IS '[tracking] Projects that milestones, evaluations and contributions refer to';
CREATE UNIQUE INDEX projects_code_key ON projects (tenant_id, code);
COMMENT ON INDEX projects_code_key IS 'project lookup by code';
CREATE INDEX projects_active_idx ON projects (tenant_id, status, ends_on) WHERE deleted_at IS NULL;
COMMENT ON INDEX projects_active_idx IS 'active projects by end date (portfolio view)';
CREATE INDEX projects_owner_fk_idx ON projects (tenant_id, owner_id) WHERE owner_id IS NOT NULL;
COMMENT ON INDEX projects_owner_fk_idx IS 'FK owner_id -> users: the projects of one user, and the lookup behind ON DELETE of a user row';
CREATE INDEX projects_department_fk_idx ON projects (tenant_id, department_id) WHERE department_id IS NOT NULL;
COMMENT ON INDEX projects_department_fk_idx IS 'FK department_id -> departments: the projects of one department, and the lookup behind ON DELETE of a department row';

CREATE TABLE activity_events (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    project_id uuid,
    source text NOT NULL CHECK (source ~ '^[a-z0-9_]+$'),
    event_type text NOT NULL CHECK (event_type ~ '^[a-z0-9_.]+$'),
    occurred_at timestamptz NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE SET NULL (project_id)
);
COMMENT ON TABLE activity_events IS '[tracking] Work activity captured from tools (commits, tickets, meetings, messages)';
CREATE INDEX activity_events_user_time_idx ON activity_events (tenant_id, user_id, occurred_at DESC);
COMMENT ON INDEX activity_events_user_time_idx IS 'a person''s activity stream, newest first; also FK user_id -> users';
CREATE INDEX activity_events_type_time_idx ON activity_events (tenant_id, event_type, occurred_at DESC);
COMMENT ON INDEX activity_events_type_time_idx IS 'recent events of one type across the tenant';
CREATE INDEX activity_events_occurred_brin_idx ON activity_events USING brin (occurred_at);
COMMENT ON INDEX activity_events_occurred_brin_idx IS 'time-range scans of the append-only event log (cheap BRIN)';
CREATE INDEX activity_events_payload_idx ON activity_events USING gin (payload jsonb_path_ops);
COMMENT ON INDEX activity_events_payload_idx IS 'events by payload containment (payload @> ...)';
CREATE INDEX activity_events_project_fk_idx ON activity_events (tenant_id, project_id) WHERE project_id IS NOT NULL;
COMMENT ON INDEX activity_events_project_fk_idx IS 'FK project_id -> projects: the activity events of one project, and the lookup behind ON DELETE of a project row';

CREATE TABLE hourly_metrics (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    metric text NOT NULL CHECK (metric ~ '^[a-z0-9_]+$'),
    bucket timestamptz NOT NULL CHECK (date_trunc('hour', bucket) = bucket),
    value double precision NOT NULL,
    sample_count integer NOT NULL DEFAULT 1 CHECK (sample_count > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE hourly_metrics IS '[tracking] Hourly aggregates per person and metric (a plain table; raw series live in the time-series engine)';
CREATE UNIQUE INDEX hourly_metrics_bucket_key ON hourly_metrics (tenant_id, user_id, metric, bucket);
COMMENT ON INDEX hourly_metrics_bucket_key IS 'one row per person, metric and hour: the hourly chart of a metric; also FK user_id -> users';
CREATE INDEX hourly_metrics_metric_bucket_idx ON hourly_metrics (tenant_id, metric, bucket DESC);
COMMENT ON INDEX hourly_metrics_metric_bucket_idx IS 'tenant-wide hourly values of a metric (heat maps)';

CREATE TABLE daily_metrics (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    metric text NOT NULL CHECK (metric ~ '^[a-z0-9_]+$'),
    day date NOT NULL,
    value double precision NOT NULL,
    min_value double precision,
    max_value double precision,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE daily_metrics IS '[tracking] Daily aggregates per person and metric (a plain table; raw series live in the time-series engine)';
CREATE UNIQUE INDEX daily_metrics_day_key ON daily_metrics (tenant_id, user_id, metric, day);
COMMENT ON INDEX daily_metrics_day_key IS 'one row per person, metric and day: the daily chart of a metric; also FK user_id -> users';
CREATE INDEX daily_metrics_metric_day_idx ON daily_metrics (tenant_id, metric, day DESC) INCLUDE (value);
COMMENT ON INDEX daily_metrics_metric_day_idx IS 'tenant-wide daily values of a metric (trends, leaderboards)';

CREATE TABLE metric_anomalies (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid,
    metric text NOT NULL,
    observed_at timestamptz NOT NULL,
    observed_value double precision NOT NULL,
    expected_value double precision,
    z_score double precision,
    severity text NOT NULL DEFAULT 'LOW' CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'DISMISSED', 'RESOLVED')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE metric_anomalies IS '[tracking] Unusual metric values flagged for review';
CREATE INDEX metric_anomalies_open_idx ON metric_anomalies (tenant_id, severity, observed_at DESC) WHERE status = 'OPEN';
COMMENT ON INDEX metric_anomalies_open_idx IS 'the open anomaly queue by severity';
CREATE INDEX metric_anomalies_user_time_idx ON metric_anomalies (tenant_id, user_id, observed_at DESC);
COMMENT ON INDEX metric_anomalies_user_time_idx IS 'anomalies of one person over time; also FK user_id -> users';

CREATE TABLE deadline_alerts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    goal_id uuid,
    review_id uuid,
    alert_type text NOT NULL DEFAULT 'APPROACHING' CHECK (alert_type IN ('APPROACHING', 'DUE_TODAY', 'OVERDUE')),
    due_at timestamptz NOT NULL,
    acknowledged_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (num_nonnulls(goal_id, review_id) <= 1),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, goal_id) REFERENCES goals (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, review_id) REFERENCES performance_reviews (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE deadline_alerts IS '[tracking] Alerts for goals, reviews and milestones nearing or missing their deadline';
CREATE INDEX deadline_alerts_user_open_idx ON deadline_alerts (tenant_id, user_id, due_at) WHERE acknowledged_at IS NULL;
COMMENT ON INDEX deadline_alerts_user_open_idx IS 'my unacknowledged deadline alerts; also FK user_id -> users';
CREATE INDEX deadline_alerts_goal_fk_idx ON deadline_alerts (tenant_id, goal_id) WHERE goal_id IS NOT NULL;
COMMENT ON INDEX deadline_alerts_goal_fk_idx IS 'FK goal_id -> goals: the deadline alerts of one goal, and the lookup behind ON DELETE of a goal row';
CREATE INDEX deadline_alerts_review_fk_idx ON deadline_alerts (tenant_id, review_id) WHERE review_id IS NOT NULL;
COMMENT ON INDEX deadline_alerts_review_fk_idx IS 'FK review_id -> performance_reviews: the deadline alerts of one performance review, and the lookup behind ON DELETE of a performance review row';

CREATE TABLE workload_snapshots (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    captured_on date NOT NULL,
    open_tasks integer NOT NULL DEFAULT 0 CHECK (open_tasks >= 0),
    meeting_hours numeric(5, 2) NOT NULL DEFAULT 0,
    focus_hours numeric(5, 2) NOT NULL DEFAULT 0,
    utilization_pct numeric(5, 2) CHECK (utilization_pct >= 0),
    burnout_risk text NOT NULL DEFAULT 'LOW' CHECK (burnout_risk IN ('LOW', 'MEDIUM', 'HIGH')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE workload_snapshots IS '[tracking] Point-in-time workload of a person: open items, hours, utilisation';
CREATE UNIQUE INDEX workload_snapshots_user_day_key ON workload_snapshots (tenant_id, user_id, captured_on);
COMMENT ON INDEX workload_snapshots_user_day_key IS 'one snapshot per person per day; workload history; also FK user_id -> users';
CREATE INDEX workload_snapshots_high_risk_idx ON workload_snapshots (tenant_id, captured_on DESC) WHERE burnout_risk = 'HIGH';
COMMENT ON INDEX workload_snapshots_high_risk_idx IS 'people at high burnout risk, latest first';

CREATE TABLE communication_sentiments (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    channel text NOT NULL CHECK (channel IN ('EMAIL', 'CHAT', 'MEETING', 'CODE_REVIEW', 'OTHER')),
    day date NOT NULL,
    sentiment_score numeric(4, 3) NOT NULL CHECK (sentiment_score BETWEEN -1 AND 1),
    message_count integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE communication_sentiments IS '[tracking] Sentiment of communication per person and channel, per day';
CREATE UNIQUE INDEX communication_sentiments_user_channel_day_key ON communication_sentiments (tenant_id, user_id, channel, day);
COMMENT ON INDEX communication_sentiments_user_channel_day_key IS 'a person''s sentiment by channel over time; also FK user_id -> users';
CREATE INDEX communication_sentiments_day_idx ON communication_sentiments (tenant_id, day DESC, sentiment_score);
COMMENT ON INDEX communication_sentiments_day_idx IS 'tenant-wide sentiment for a day range (lowest first)';

CREATE TABLE project_milestones (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL,
    owner_id uuid,
    name text NOT NULL,
    due_date date NOT NULL,
    status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'IN_PROGRESS', 'DONE', 'MISSED', 'CANCELLED')),
    progress numeric(5, 2) NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (owner_id)
);
COMMENT ON TABLE project_milestones IS '[tracking] Milestones of a project, with owner and due date';
CREATE INDEX project_milestones_project_due_idx ON project_milestones (tenant_id, project_id, due_date);
COMMENT ON INDEX project_milestones_project_due_idx IS 'a project''s timeline; also FK project_id -> projects';
CREATE INDEX project_milestones_open_due_idx ON project_milestones (tenant_id, due_date) WHERE status IN ('PLANNED', 'IN_PROGRESS');
COMMENT ON INDEX project_milestones_open_due_idx IS 'milestones due soon across projects (deadline alerts)';
CREATE INDEX project_milestones_owner_fk_idx ON project_milestones (tenant_id, owner_id) WHERE owner_id IS NOT NULL;
COMMENT ON INDEX project_milestones_owner_fk_idx IS 'FK owner_id -> users: the project milestones of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE milestone_progress_events (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    milestone_id uuid NOT NULL,
    reported_by uuid,
    progress numeric(5, 2) NOT NULL CHECK (progress BETWEEN 0 AND 100),
    note text,
    reported_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, milestone_id) REFERENCES project_milestones (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, reported_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (reported_by)
);
COMMENT ON TABLE milestone_progress_events IS '[tracking] Progress reported on a milestone over time';
CREATE INDEX milestone_progress_events_milestone_time_idx ON milestone_progress_events (tenant_id, milestone_id, reported_at DESC);
COMMENT ON INDEX milestone_progress_events_milestone_time_idx IS 'progress history of a milestone; also FK milestone_id -> project_milestones';
CREATE INDEX milestone_progress_events_reported_by_fk_idx ON milestone_progress_events (tenant_id, reported_by) WHERE reported_by IS NOT NULL;
COMMENT ON INDEX milestone_progress_events_reported_by_fk_idx IS 'FK reported_by -> users: the milestone progress events of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE kpi_definitions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[a-z0-9_]+$'),
    name text NOT NULL,
    unit text,
    direction text NOT NULL DEFAULT 'HIGHER_IS_BETTER' CHECK (direction IN ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER', 'TARGET')),
    scope text NOT NULL DEFAULT 'USER' CHECK (scope IN ('USER', 'TEAM', 'DEPARTMENT', 'TENANT')),
    target_value numeric(14, 4),
    warning_threshold numeric(14, 4),
    critical_threshold numeric(14, 4),
    owner_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (owner_id)
);
COMMENT ON TABLE kpi_definitions IS '[tracking] KPIs the tenant tracks: formula, unit, direction, thresholds';
CREATE UNIQUE INDEX kpi_definitions_code_key ON kpi_definitions (tenant_id, code);
COMMENT ON INDEX kpi_definitions_code_key IS 'KPI lookup by code';
CREATE INDEX kpi_definitions_owner_fk_idx ON kpi_definitions (tenant_id, owner_id) WHERE owner_id IS NOT NULL;
COMMENT ON INDEX kpi_definitions_owner_fk_idx IS 'FK owner_id -> users: the kpi definitions of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE kpi_values (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    kpi_id uuid NOT NULL,
    user_id uuid,
    team_id uuid,
    department_id uuid,
    period_start date NOT NULL,
    period_end date NOT NULL,
    value numeric(14, 4) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (period_end >= period_start),
    FOREIGN KEY (tenant_id, kpi_id) REFERENCES kpi_definitions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE kpi_values IS '[tracking] Measured KPI values per scope and period';
CREATE INDEX kpi_values_kpi_period_idx ON kpi_values (tenant_id, kpi_id, period_start DESC) INCLUDE (value);
COMMENT ON INDEX kpi_values_kpi_period_idx IS 'the series of one KPI; also FK kpi_id -> kpi_definitions';
CREATE INDEX kpi_values_user_period_idx ON kpi_values (tenant_id, user_id, period_start DESC) WHERE user_id IS NOT NULL;
COMMENT ON INDEX kpi_values_user_period_idx IS 'KPIs of one person; also FK user_id -> users';
CREATE INDEX kpi_values_team_period_idx ON kpi_values (tenant_id, team_id, period_start DESC) WHERE team_id IS NOT NULL;
COMMENT ON INDEX kpi_values_team_period_idx IS 'KPIs of one team; also FK team_id -> teams';
CREATE INDEX kpi_values_department_fk_idx ON kpi_values (tenant_id, department_id) WHERE department_id IS NOT NULL;
COMMENT ON INDEX kpi_values_department_fk_idx IS 'FK department_id -> departments: the kpi values of one department, and the lookup behind ON DELETE of a department row';

CREATE TABLE alerts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    recipient_id uuid NOT NULL,
    kpi_id uuid,
    anomaly_id uuid,
    alert_type text NOT NULL DEFAULT 'KPI_THRESHOLD' CHECK (alert_type IN ('KPI_THRESHOLD', 'ANOMALY', 'WORKLOAD', 'SENTIMENT', 'DEADLINE', 'SYSTEM')),
    severity text NOT NULL DEFAULT 'INFO' CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
    title text NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    resolved_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, recipient_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, kpi_id) REFERENCES kpi_definitions (tenant_id, id) ON DELETE SET NULL (kpi_id),
    FOREIGN KEY (tenant_id, anomaly_id) REFERENCES metric_anomalies (tenant_id, id) ON DELETE SET NULL (anomaly_id)
);
COMMENT ON TABLE alerts IS '[tracking] Alerts raised by rules on metrics, KPIs and anomalies, routed to a person';
CREATE INDEX alerts_recipient_open_idx ON alerts (tenant_id, recipient_id, created_at DESC) WHERE resolved_at IS NULL;
COMMENT ON INDEX alerts_recipient_open_idx IS 'my open alerts, newest first; also FK recipient_id -> users';
CREATE INDEX alerts_severity_open_idx ON alerts (tenant_id, severity, created_at DESC) WHERE resolved_at IS NULL;
COMMENT ON INDEX alerts_severity_open_idx IS 'open alerts by severity (operations view)';
CREATE INDEX alerts_kpi_fk_idx ON alerts (tenant_id, kpi_id) WHERE kpi_id IS NOT NULL;
COMMENT ON INDEX alerts_kpi_fk_idx IS 'FK kpi_id -> kpi_definitions: the alerts of one kpi definition, and the lookup behind ON DELETE of a kpi definition row';
CREATE INDEX alerts_anomaly_fk_idx ON alerts (tenant_id, anomaly_id) WHERE anomaly_id IS NOT NULL;
COMMENT ON INDEX alerts_anomaly_fk_idx IS 'FK anomaly_id -> metric_anomalies: the alerts of one metric anomaly, and the lookup behind ON DELETE of a metric anomaly row';

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['projects',
                  'activity_events',
                  'hourly_metrics',
                  'daily_metrics',
                  'metric_anomalies',
                  'deadline_alerts',
                  'workload_snapshots',
                  'communication_sentiments',
                  'project_milestones',
                  'milestone_progress_events',
                  'kpi_definitions',
                  'kpi_values',
                  'alerts']::regclass[]) AS t;
