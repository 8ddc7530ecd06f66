-- Identity and organisation: tenants, people, structure, roles, sessions, policies, delegations.
-- Rules: every tenant-owned table has PK (tenant_id, id), tenant-qualified FKs, forced RLS;
-- status and type columns are text with CHECK constraints (not enums), so adding a value is
-- one ALTER and never blocks.

CREATE TABLE tenants (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug        text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text NOT NULL CHECK (length(trim(name)) > 0),
    domain      text CHECK (domain ~ '^[a-z0-9.-]+$'),
    status      text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED', 'CLOSED')),
    plan        text NOT NULL DEFAULT 'STANDARD' CHECK (plan IN ('FREE', 'STANDARD', 'ENTERPRISE')),
    settings    jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
);
CREATE UNIQUE INDEX tenants_slug_key ON tenants (slug);
CREATE UNIQUE INDEX tenants_domain_key ON tenants (domain) WHERE domain IS NOT NULL;
-- A tenant sees only its own row.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = pms_current_tenant()) WITH CHECK (id = pms_current_tenant());
REVOKE INSERT, DELETE ON tenants FROM pms_app;
SELECT pms_meta.add_updated_at_trigger('tenants');

CREATE TABLE business_units (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    code        text NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    name        text NOT NULL CHECK (length(trim(name)) > 0),
    head_id     uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

CREATE TABLE cost_centers (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    code             text NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    name             text NOT NULL CHECK (length(trim(name)) > 0),
    business_unit_id uuid,
    annual_budget    numeric(14, 2) CHECK (annual_budget >= 0),
    currency         char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    deleted_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    FOREIGN KEY (tenant_id, business_unit_id) REFERENCES business_units (tenant_id, id) ON DELETE SET NULL (business_unit_id)
);

CREATE TABLE departments (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    code             text NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    name             text NOT NULL CHECK (length(trim(name)) > 0),
    parent_id        uuid,
    business_unit_id uuid,
    cost_center_id   uuid,
    head_id          uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    deleted_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    CHECK (parent_id IS DISTINCT FROM id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES departments (tenant_id, id) ON DELETE SET NULL (parent_id),
    FOREIGN KEY (tenant_id, business_unit_id) REFERENCES business_units (tenant_id, id) ON DELETE SET NULL (business_unit_id),
    FOREIGN KEY (tenant_id, cost_center_id) REFERENCES cost_centers (tenant_id, id) ON DELETE SET NULL (cost_center_id)
);

CREATE TABLE users (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    email            text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND email = lower(email)),
    first_name       text NOT NULL CHECK (length(trim(first_name)) > 0),
    last_name        text NOT NULL CHECK (length(trim(last_name)) > 0),
    display_name     text,
    password_hash    text,
    job_title        text,
    employee_number  text,
    department_id    uuid,
    business_unit_id uuid,
    cost_center_id   uuid,
    manager_id       uuid,
    level            smallint CHECK (level BETWEEN 1 AND 20),
    employment_type  text NOT NULL DEFAULT 'FULL_TIME' CHECK (employment_type IN ('FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'INTERN')),
    status           text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('INVITED', 'ACTIVE', 'ON_LEAVE', 'TERMINATED')),
    hire_date        date,
    termination_date date,
    locale           text NOT NULL DEFAULT 'en',
    timezone         text NOT NULL DEFAULT 'UTC',
    last_login_at    timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    deleted_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (manager_id IS DISTINCT FROM id),
    CHECK (termination_date IS NULL OR hire_date IS NULL OR termination_date >= hire_date),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE SET NULL (department_id),
    FOREIGN KEY (tenant_id, business_unit_id) REFERENCES business_units (tenant_id, id) ON DELETE SET NULL (business_unit_id),
    FOREIGN KEY (tenant_id, cost_center_id) REFERENCES cost_centers (tenant_id, id) ON DELETE SET NULL (cost_center_id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (manager_id)
);
-- One live account per email in a tenant; the same email may exist in another tenant.
CREATE UNIQUE INDEX users_active_email_key ON users (tenant_id, email) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_employee_number_key ON users (tenant_id, employee_number) WHERE employee_number IS NOT NULL;
CREATE INDEX users_department_idx ON users (tenant_id, department_id) WHERE department_id IS NOT NULL;
CREATE INDEX users_business_unit_idx ON users (tenant_id, business_unit_id) WHERE business_unit_id IS NOT NULL;
CREATE INDEX users_cost_center_idx ON users (tenant_id, cost_center_id) WHERE cost_center_id IS NOT NULL;
CREATE INDEX users_manager_idx ON users (tenant_id, manager_id) WHERE manager_id IS NOT NULL;
CREATE INDEX users_status_idx ON users (tenant_id, status) WHERE deleted_at IS NULL;

ALTER TABLE business_units ADD FOREIGN KEY (tenant_id, head_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (head_id);
ALTER TABLE departments ADD FOREIGN KEY (tenant_id, head_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (head_id);
CREATE INDEX business_units_head_idx ON business_units (tenant_id, head_id) WHERE head_id IS NOT NULL;
CREATE INDEX cost_centers_business_unit_idx ON cost_centers (tenant_id, business_unit_id) WHERE business_unit_id IS NOT NULL;
CREATE INDEX departments_parent_idx ON departments (tenant_id, parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX departments_business_unit_idx ON departments (tenant_id, business_unit_id) WHERE business_unit_id IS NOT NULL;
CREATE INDEX departments_cost_center_idx ON departments (tenant_id, cost_center_id) WHERE cost_center_id IS NOT NULL;
CREATE INDEX departments_head_idx ON departments (tenant_id, head_id) WHERE head_id IS NOT NULL;

CREATE TABLE teams (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    code          text NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    name          text NOT NULL CHECK (length(trim(name)) > 0),
    team_type     text NOT NULL DEFAULT 'FUNCTIONAL' CHECK (team_type IN ('FUNCTIONAL', 'PROJECT', 'CROSS_FUNCTIONAL', 'VIRTUAL')),
    department_id uuid,
    lead_id       uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE SET NULL (department_id),
    FOREIGN KEY (tenant_id, lead_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (lead_id)
);
CREATE INDEX teams_department_idx ON teams (tenant_id, department_id) WHERE department_id IS NOT NULL;
CREATE INDEX teams_lead_idx ON teams (tenant_id, lead_id) WHERE lead_id IS NOT NULL;

CREATE TABLE team_members (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    team_id    uuid NOT NULL,
    user_id    uuid NOT NULL,
    member_role text NOT NULL DEFAULT 'MEMBER' CHECK (member_role IN ('LEAD', 'MEMBER', 'CONTRIBUTOR')),
    allocation_pct smallint NOT NULL DEFAULT 100 CHECK (allocation_pct BETWEEN 1 AND 100),
    joined_on  date NOT NULL DEFAULT current_date,
    left_on    date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (left_on IS NULL OR left_on >= joined_on),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX team_members_current_key ON team_members (tenant_id, team_id, user_id) WHERE left_on IS NULL;
CREATE INDEX team_members_team_idx ON team_members (tenant_id, team_id);
CREATE INDEX team_members_user_idx ON team_members (tenant_id, user_id);

CREATE TABLE reporting_lines (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    employee_id  uuid NOT NULL,
    manager_id   uuid NOT NULL,
    line_type    text NOT NULL DEFAULT 'SOLID' CHECK (line_type IN ('SOLID', 'DOTTED', 'FUNCTIONAL', 'PROJECT')),
    is_primary   boolean NOT NULL DEFAULT false,
    starts_on    date NOT NULL DEFAULT current_date,
    ends_on      date,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (employee_id <> manager_id),
    CHECK (ends_on IS NULL OR ends_on >= starts_on),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, manager_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
-- At most one current primary (solid) line per employee.
CREATE UNIQUE INDEX reporting_lines_primary_key ON reporting_lines (tenant_id, employee_id) WHERE is_primary AND ends_on IS NULL;
CREATE INDEX reporting_lines_employee_idx ON reporting_lines (tenant_id, employee_id);
CREATE INDEX reporting_lines_manager_idx ON reporting_lines (tenant_id, manager_id) INCLUDE (employee_id, line_type);

CREATE TABLE roles (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    code        text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
    name        text NOT NULL,
    description text,
    permissions text[] NOT NULL DEFAULT '{}',
    is_system   boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

CREATE TABLE user_roles (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL,
    role_id    uuid NOT NULL,
    granted_by uuid,
    granted_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id, role_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, granted_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (granted_by)
);
CREATE INDEX user_roles_role_idx ON user_roles (tenant_id, role_id);
CREATE INDEX user_roles_granted_by_idx ON user_roles (tenant_id, granted_by) WHERE granted_by IS NOT NULL;

-- Sessions keep only a hash of the token: a leaked table does not leak sessions.
CREATE TABLE sessions (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL,
    token_hash  bytea NOT NULL CHECK (length(token_hash) = 32),
    ip_address  inet,
    user_agent  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (expires_at > created_at),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_user_active_idx ON sessions (tenant_id, user_id, expires_at) WHERE revoked_at IS NULL;
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE access_policies (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    name        text NOT NULL,
    role_id     uuid,
    resource    text NOT NULL CHECK (resource ~ '^[a-z_]+$'),
    action      text NOT NULL CHECK (action IN ('READ', 'CREATE', 'UPDATE', 'DELETE', 'APPROVE', 'EXPORT', 'ALL')),
    effect      text NOT NULL DEFAULT 'ALLOW' CHECK (effect IN ('ALLOW', 'DENY')),
    scope       text NOT NULL DEFAULT 'SELF' CHECK (scope IN ('SELF', 'TEAM', 'DEPARTMENT', 'BUSINESS_UNIT', 'TENANT')),
    conditions  jsonb NOT NULL DEFAULT '{}',
    priority    integer NOT NULL DEFAULT 100,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name),
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX access_policies_role_idx ON access_policies (tenant_id, role_id) WHERE role_id IS NOT NULL;
CREATE INDEX access_policies_lookup_idx ON access_policies (tenant_id, resource, action, priority) WHERE is_active;

CREATE TABLE delegations (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    delegator_id uuid NOT NULL,
    delegate_id  uuid NOT NULL,
    scope        text NOT NULL CHECK (scope IN ('REVIEWS', 'APPROVALS', 'GOALS', 'FEEDBACK', 'ALL')),
    reason       text,
    starts_at    timestamptz NOT NULL DEFAULT now(),
    ends_at      timestamptz NOT NULL,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (delegator_id <> delegate_id),
    CHECK (ends_at > starts_at),
    FOREIGN KEY (tenant_id, delegator_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, delegate_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX delegations_delegator_idx ON delegations (tenant_id, delegator_id, ends_at);
CREATE INDEX delegations_delegate_idx ON delegations (tenant_id, delegate_id, ends_at) WHERE revoked_at IS NULL;

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['business_units', 'cost_centers', 'departments', 'users', 'teams', 'team_members',
                  'reporting_lines', 'roles', 'user_roles', 'sessions', 'access_policies', 'delegations']::regclass[]) AS t;
