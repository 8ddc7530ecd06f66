-- The application API, part E (reports, dashboards, compensation decisions): what the schema
-- lacked for those workflows. The rules themselves (visibility, the compensation workflow, the
-- schedule's next run, the content of a report) live in sql/replaceable/079_api_e_*.sql.
--
-- * A report definition may be one of the four report kinds the platform generates: a weekly
--   summary, a monthly performance card, a quarterly review and a period-over-period comparison.
-- * A generated report keeps the period it covers and its content (columns and rows, computed
--   by the worker as the person who asked for it, so that it holds only what they may see).
-- * A person has at most one default dashboard.
-- * A compensation decision records when it was approved or rejected, the approver's note and
--   when it was applied (who approved is approved_by, which the schema had).

ALTER TABLE report_definitions DROP CONSTRAINT report_definitions_report_type_check;
ALTER TABLE report_definitions ADD CONSTRAINT report_definitions_report_type_check
    CHECK (report_type IN ('PERFORMANCE_SUMMARY', 'GOAL_PROGRESS', 'REVIEW_COMPLETION', 'FEEDBACK_ACTIVITY', 'ENGAGEMENT',
                           'COMPENSATION', 'CALIBRATION', 'CUSTOM', 'WEEKLY_SUMMARY', 'MONTHLY_PERFORMANCE_CARD',
                           'QUARTERLY_REVIEW', 'PERIOD_COMPARISON'));

ALTER TABLE generated_reports
    ADD COLUMN period_start date,
    ADD COLUMN period_end date,
    ADD COLUMN content jsonb,
    ADD CONSTRAINT generated_reports_period_check CHECK (period_end >= period_start);
COMMENT ON COLUMN generated_reports.content IS
    'the report as computed: {"columns": [...], "rows": [[...]], ...}; only what its requester may see';

CREATE UNIQUE INDEX dashboards_owner_default_key ON dashboards (tenant_id, owner_id) WHERE is_default AND deleted_at IS NULL;
COMMENT ON INDEX dashboards_owner_default_key IS 'one default dashboard per person';

ALTER TABLE compensation_decisions
    ADD COLUMN approved_at timestamptz,
    ADD COLUMN decision_note text CHECK (length(decision_note) <= 2000),
    ADD COLUMN applied_at timestamptz;
CREATE INDEX compensation_decisions_approved_by_fk_idx ON compensation_decisions (tenant_id, approved_by) WHERE approved_by IS NOT NULL;
COMMENT ON INDEX compensation_decisions_approved_by_fk_idx IS 'FK approved_by -> users: the compensation decisions one person approved or rejected, and the lookup behind ON DELETE of a user row';

-- Every write of these tables is audited, naming the acting person (app.user_id).
SELECT pms_meta.enable_audit(v.t, v.e)
FROM (VALUES ('report_definitions'::regclass, 'ReportDefinition'),
             ('report_schedules'::regclass, 'ReportSchedule'),
             ('generated_reports'::regclass, 'GeneratedReport'),
             ('dashboards'::regclass, 'Dashboard'),
             ('dashboard_widgets'::regclass, 'DashboardWidget')) AS v(t, e)
WHERE NOT EXISTS (SELECT 1 FROM pms_meta.audited_tables a WHERE a.table_name = v.t::text);

-- A generated report's content is what its requester may see of other people: the trail
-- records that a report was written, by whom and of which definition, with the content withheld
-- (the fourth argument of audit_row_change).
DROP TRIGGER audit_row_change ON generated_reports;
CREATE TRIGGER audit_row_change AFTER INSERT OR UPDATE OR DELETE ON generated_reports FOR EACH ROW
    EXECUTE FUNCTION pms_meta.audit_row_change('tenant_id', 'id', 'GeneratedReport', 'content');
ALTER TABLE generated_reports ENABLE ALWAYS TRIGGER audit_row_change;
