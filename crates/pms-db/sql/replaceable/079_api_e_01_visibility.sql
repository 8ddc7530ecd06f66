-- Visibility for the API's part E (reports, dashboards), on top of 070_visibility_*: who sees
-- and changes saved reports, their schedules and runs, and dashboards with their widgets.
-- Compensation decisions keep their rule of 070_visibility_03_policies.sql (HR, the person's
-- chain and its APPROVALS delegates, the person once APPROVED or APPLIED). Registered after
-- 070_visibility_03_policies.sql refilled pms_meta.visibility_rules (the replaceable files are
-- re-applied together, in name order). The domain of these rules is REVIEWS: a report's people
-- are those the requester may see in that domain (pms_report_person_figures); the rules below
-- use no delegation. HR reads every row of these tables (what a report holds is a view HR has
-- anyway); none of them is readable by its author only.

-- A saved report: its owner, HR, and everyone in the tenant when it is shared; changed by its
-- owner only. A new one is the caller's own.
SELECT pms_meta.enable_visibility('report_definitions', 'REVIEWS',
    $r$ $hr OR owner_id = $me OR is_shared $r$,
    $w$ owner_id = $me $w$,
    'HR; the owner; everyone in the tenant when shared',
    'the owner');

-- When a report runs: its owner (the schedule runs as them), and HR reads.
SELECT pms_meta.enable_visibility('report_schedules', 'REVIEWS',
    $r$ EXISTS (SELECT 1 FROM public.report_definitions d WHERE d.tenant_id = report_schedules.tenant_id AND d.id = report_schedules.report_id
                  AND ($hr OR d.owner_id = $me)) $r$,
    $w$ EXISTS (SELECT 1 FROM public.report_definitions d WHERE d.tenant_id = report_schedules.tenant_id AND d.id = report_schedules.report_id
                  AND d.owner_id = $me) $w$,
    'HR; the owner of the report', 'the owner of the report');

-- A report run holds what its requester may see of other people (the worker computes it in a
-- transaction as the requester): the requester and HR, not the other readers of a shared
-- definition. A new run: the requester, of a report they may see.
SELECT pms_meta.enable_visibility('generated_reports', 'REVIEWS',
    $r$ $hr OR requested_by = $me $r$,
    $w$ requested_by = $me $w$,
    'HR; the requester (its content is what they may see)',
    'the requester; a new run: the requester, of a report definition they may see',
    $i$ requested_by = $me AND EXISTS (SELECT 1 FROM public.report_definitions d
                                        WHERE d.tenant_id = generated_reports.tenant_id AND d.id = generated_reports.report_id
                                          AND d.deleted_at IS NULL) $i$);

-- Dashboards: their owner, HR, and everyone in the tenant when shared (read only); changed by
-- the owner. Widgets follow their dashboard.
SELECT pms_meta.enable_visibility('dashboards', 'REVIEWS',
    $r$ $hr OR owner_id = $me OR is_shared $r$,
    $w$ owner_id = $me $w$,
    'HR; the owner; everyone in the tenant when shared',
    'the owner');
SELECT pms_meta.enable_visibility('dashboard_widgets', 'REVIEWS',
    $r$ EXISTS (SELECT 1 FROM public.dashboards d WHERE d.tenant_id = dashboard_widgets.tenant_id AND d.id = dashboard_widgets.dashboard_id) $r$,
    $w$ EXISTS (SELECT 1 FROM public.dashboards d WHERE d.tenant_id = dashboard_widgets.tenant_id AND d.id = dashboard_widgets.dashboard_id
                  AND d.owner_id = $me) $w$,
    'whoever may read the dashboard', 'the owner of the dashboard');

-- Erasure rules of the columns this part added (050_retention_erasure_rules.sql refills the
-- table first).
INSERT INTO pms_retention.erasure_rules (table_name, column_name, action, entity_type, tier, pseudonymise_when, reason)
VALUES
    ('generated_reports', 'content', 'SCRUB', NULL, NULL, NULL, 'a document that names people'),
    ('compensation_decisions', 'decision_note', 'SCRUB', NULL, NULL, NULL, 'free text that may mention people')
ON CONFLICT (table_name, column_name) DO UPDATE
    SET action = EXCLUDED.action, entity_type = EXCLUDED.entity_type, tier = EXCLUDED.tier,
        pseudonymise_when = EXCLUDED.pseudonymise_when, reason = EXCLUDED.reason;
