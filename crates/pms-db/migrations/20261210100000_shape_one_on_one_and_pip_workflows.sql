-- The workflows of one-on-ones, PIPs, development plans and notifications over the API (issue
-- 20). The rules that move them (which status may follow which, what a closed record refuses,
-- which notifications a change sends) are triggers in sql/replaceable/076_api_a_*.sql; this
-- migration adds the columns and the one table those rules need, and puts the tables of these
-- workflows under the audit trail.

-- A one-on-one says when it was completed or cancelled, and why it was cancelled.
ALTER TABLE one_on_ones
    ADD COLUMN completed_at timestamptz,
    ADD COLUMN cancelled_at timestamptz,
    ADD COLUMN cancellation_reason text CHECK (length(cancellation_reason) <= 2000);

-- A PIP runs DRAFT -> ACTIVE -> ON_TRACK / AT_RISK -> SUCCESSFUL / UNSUCCESSFUL (or CANCELLED
-- before it closes). EXTENDED stays for the plans that already carry it. Check-ins recur every
-- check_in_every_days; next_check_in_on is kept by the workflow triggers.
ALTER TABLE performance_improvement_plans DROP CONSTRAINT performance_improvement_plans_status_check;
ALTER TABLE performance_improvement_plans ADD CONSTRAINT performance_improvement_plans_status_check
    CHECK (status IN ('DRAFT', 'ACTIVE', 'ON_TRACK', 'AT_RISK', 'EXTENDED', 'SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED'));
ALTER TABLE performance_improvement_plans
    ADD COLUMN check_in_every_days smallint NOT NULL DEFAULT 14 CHECK (check_in_every_days BETWEEN 1 AND 90),
    ADD COLUMN next_check_in_on date;
DROP INDEX performance_improvement_plans_manager_active_idx;
CREATE INDEX performance_improvement_plans_manager_open_idx ON performance_improvement_plans (tenant_id, manager_id)
    WHERE status IN ('ACTIVE', 'ON_TRACK', 'AT_RISK', 'EXTENDED') AND deleted_at IS NULL;
COMMENT ON INDEX performance_improvement_plans_manager_open_idx IS 'open PIPs a manager runs; also FK manager_id -> users';
DROP INDEX performance_improvement_plans_ending_idx;
CREATE INDEX performance_improvement_plans_check_in_due_idx ON performance_improvement_plans (tenant_id, next_check_in_on)
    WHERE status IN ('ACTIVE', 'ON_TRACK', 'AT_RISK', 'EXTENDED') AND deleted_at IS NULL;
COMMENT ON INDEX performance_improvement_plans_check_in_due_idx IS 'open PIPs by next check-in (reminders, HR follow-up)';

-- A template gives a new plan its length, expectations, check-in rhythm and milestones
-- ([{"description": "...", "offset_days": 30}, ...], due offset_days after the plan starts).
ALTER TABLE pip_templates
    ADD COLUMN expectations text CHECK (length(expectations) <= 10000),
    ADD COLUMN check_in_every_days smallint NOT NULL DEFAULT 14 CHECK (check_in_every_days BETWEEN 1 AND 90),
    ADD COLUMN milestones jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(milestones) = 'array');

-- A notification names the workflow event that sent it (one_on_one.scheduled, pip.check_in_due, ...).
ALTER TABLE notifications ADD COLUMN event text CHECK (event ~ '^[a-z0-9_]+\.[a-z0-9_]+$');
CREATE INDEX notifications_recipient_event_idx ON notifications (tenant_id, recipient_id, event, created_at DESC) WHERE event IS NOT NULL;
COMMENT ON INDEX notifications_recipient_event_idx IS 'my notifications of one kind, newest first';

-- Per person and event: whether the workflow's notification is shown in the app and sent by
-- email. No row means the default (in the app, no email).
CREATE TABLE notification_preferences (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL,
    event      text NOT NULL CHECK (event ~ '^[a-z0-9_]+\.[a-z0-9_]+$'),
    in_app     boolean NOT NULL DEFAULT true,
    email      boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE notification_preferences IS '[platform] How a person wants the notifications of each workflow event: in the app, by email';
CREATE UNIQUE INDEX notification_preferences_user_event_key ON notification_preferences (tenant_id, user_id, event);
COMMENT ON INDEX notification_preferences_user_event_key IS 'one preference per person and event; also FK user_id -> users';
SELECT pms_meta.enable_tenant_rls('notification_preferences'),
       pms_meta.add_updated_at_trigger('notification_preferences');

-- Every write of these workflows is audited, naming the acting person (app.user_id).
SELECT pms_meta.enable_audit(t, e)
FROM (VALUES ('one_on_ones'::regclass, 'OneOnOne'),
             ('one_on_one_agenda_items'::regclass, 'OneOnOneAgendaItem'),
             ('one_on_one_action_items'::regclass, 'OneOnOneActionItem'),
             ('one_on_one_private_notes'::regclass, 'OneOnOnePrivateNote'),
             ('pip_templates'::regclass, 'PipTemplate'),
             ('pip_milestones'::regclass, 'PipMilestone'),
             ('pip_check_ins'::regclass, 'PipCheckIn'),
             ('development_activities'::regclass, 'DevelopmentActivity'),
             ('development_checkpoints'::regclass, 'DevelopmentCheckpoint'),
             ('notifications'::regclass, 'Notification'),
             ('notification_preferences'::regclass, 'NotificationPreference')) AS v(t, e);

-- A private note's words are its author's alone: its audit entries record that the note was
-- written, changed or deleted, by whom and on which meeting, with the body withheld (the fourth
-- argument of audit_row_change names the columns whose values the trail does not keep).
DROP TRIGGER audit_row_change ON one_on_one_private_notes;
CREATE TRIGGER audit_row_change AFTER INSERT OR UPDATE OR DELETE ON one_on_one_private_notes FOR EACH ROW
    EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'OneOnOnePrivateNote', 'body');
ALTER TABLE one_on_one_private_notes ENABLE ALWAYS TRIGGER audit_row_change;
