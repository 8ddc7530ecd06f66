-- Platform: notification templates and notifications, background jobs, subscriptions, invoices,
-- and the ledger of generated-seed batches (so an interrupted `pms seed --employees` resumes).

CREATE TABLE notification_templates (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code ~ '^[a-z0-9_.]+$'),
    channel text NOT NULL DEFAULT 'IN_APP' CHECK (channel IN ('IN_APP', 'EMAIL', 'SLACK', 'SMS')),
    locale text NOT NULL DEFAULT 'en',
    subject text,
    body text NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE notification_templates IS '[platform] Templates of notifications per event and channel';
CREATE UNIQUE INDEX notification_templates_code_channel_key ON notification_templates (tenant_id, code, channel, locale);
COMMENT ON INDEX notification_templates_code_channel_key IS 'the template for an event, channel and locale';

CREATE TABLE notifications (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    recipient_id uuid NOT NULL,
    template_id uuid,
    channel text NOT NULL DEFAULT 'IN_APP' CHECK (channel IN ('IN_APP', 'EMAIL', 'SLACK', 'SMS')),
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'DELIVERED', 'FAILED', 'READ')),
    title text NOT NULL,
    body text,
    entity_type text,
    entity_id uuid,
    sent_at timestamptz,
    read_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, recipient_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, template_id) REFERENCES notification_templates (tenant_id, id) ON DELETE SET NULL (template_id)
);
COMMENT ON TABLE notifications IS '[platform] Notifications to a person';
CREATE INDEX notifications_recipient_unread_idx ON notifications (tenant_id, recipient_id, created_at DESC) WHERE read_at IS NULL;
COMMENT ON INDEX notifications_recipient_unread_idx IS 'my unread notifications, newest first; also FK recipient_id -> users';
CREATE INDEX notifications_recipient_time_idx ON notifications (tenant_id, recipient_id, created_at DESC);
COMMENT ON INDEX notifications_recipient_time_idx IS 'my notification history';
CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE status = 'PENDING';
COMMENT ON INDEX notifications_pending_idx IS 'the delivery worker: pending notifications, oldest first, across tenants';
CREATE INDEX notifications_entity_idx ON notifications (tenant_id, entity_type, entity_id) WHERE entity_id IS NOT NULL;
COMMENT ON INDEX notifications_entity_idx IS 'notifications about one entity (clear them when it closes)';
CREATE INDEX notifications_template_fk_idx ON notifications (tenant_id, template_id) WHERE template_id IS NOT NULL;
COMMENT ON INDEX notifications_template_fk_idx IS 'FK template_id -> notification_templates: the notifications of one notification template, and the lookup behind ON DELETE of a notification template row';

CREATE TABLE background_jobs (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    job_type text NOT NULL CHECK (job_type ~ '^[a-z0-9_.]+$'),
    status text NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    priority smallint NOT NULL DEFAULT 0,
    payload jsonb NOT NULL DEFAULT '{}',
    attempts smallint NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts smallint NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    run_after timestamptz NOT NULL DEFAULT now(),
    locked_at timestamptz,
    finished_at timestamptz,
    last_error text,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by)
);
COMMENT ON TABLE background_jobs IS '[platform] Queued application jobs (exports, imports, recomputations)';
CREATE INDEX background_jobs_ready_idx ON background_jobs (priority DESC, run_after) WHERE status = 'QUEUED';
COMMENT ON INDEX background_jobs_ready_idx IS 'the job runner: next queued job by priority and time, across tenants';
CREATE INDEX background_jobs_type_time_idx ON background_jobs (tenant_id, job_type, created_at DESC);
COMMENT ON INDEX background_jobs_type_time_idx IS 'recent jobs of a type in a tenant (status pages)';
CREATE INDEX background_jobs_created_by_fk_idx ON background_jobs (tenant_id, created_by) WHERE created_by IS NOT NULL;
COMMENT ON INDEX background_jobs_created_by_fk_idx IS 'FK created_by -> users: the background jobs of one user, and the lookup behind ON DELETE of a user row';

CREATE TABLE subscriptions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    plan text NOT NULL DEFAULT 'STANDARD' CHECK (plan IN ('FREE', 'STANDARD', 'ENTERPRISE')),
    status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELLED')),
    seats integer NOT NULL CHECK (seats > 0),
    billing_period text NOT NULL DEFAULT 'ANNUAL' CHECK (billing_period IN ('MONTHLY', 'ANNUAL')),
    current_period_start date NOT NULL,
    current_period_end date NOT NULL,
    cancelled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (current_period_end > current_period_start)
);
COMMENT ON TABLE subscriptions IS '[platform] The tenant''s plan subscription';
CREATE INDEX subscriptions_current_idx ON subscriptions (tenant_id, current_period_end DESC);
COMMENT ON INDEX subscriptions_current_idx IS 'the current subscription of a tenant';
CREATE INDEX subscriptions_renewal_idx ON subscriptions (current_period_end) WHERE status IN ('ACTIVE', 'PAST_DUE');
COMMENT ON INDEX subscriptions_renewal_idx IS 'subscriptions up for renewal, across tenants';

CREATE TABLE invoices (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    subscription_id uuid NOT NULL,
    number text NOT NULL,
    status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE')),
    currency char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    amount numeric(12, 2) NOT NULL CHECK (amount >= 0),
    issued_on date NOT NULL,
    due_on date NOT NULL,
    paid_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
);
COMMENT ON TABLE invoices IS '[platform] Invoices of a subscription';
CREATE UNIQUE INDEX invoices_number_key ON invoices (tenant_id, number);
COMMENT ON INDEX invoices_number_key IS 'invoice lookup by number';
CREATE INDEX invoices_subscription_idx ON invoices (tenant_id, subscription_id, issued_on DESC);
COMMENT ON INDEX invoices_subscription_idx IS 'invoices of a subscription, newest first; also FK subscription_id -> subscriptions';
CREATE INDEX invoices_open_due_idx ON invoices (due_on) WHERE status = 'OPEN';
COMMENT ON INDEX invoices_open_due_idx IS 'dunning: open invoices by due date, across tenants';

CREATE TABLE seed_batches (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    batch text NOT NULL,
    row_count bigint NOT NULL CHECK (row_count >= 0),
    parameters jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE seed_batches IS '[platform] Batches of a generated seed already loaded (an interrupted seed resumes after the last one)';
CREATE UNIQUE INDEX seed_batches_batch_key ON seed_batches (tenant_id, batch);
COMMENT ON INDEX seed_batches_batch_key IS 'has this batch of the seed been loaded';

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['notification_templates',
                  'notifications',
                  'background_jobs',
                  'subscriptions',
                  'invoices',
                  'seed_batches']::regclass[]) AS t;
