-- Visibility of the one-on-one, PIP, development and notification records the API serves
-- (issue 20), on top of 070_visibility_03_policies.sql (which covers one_on_ones, their private
-- notes, PIPs with their milestones and check-ins, and development plans with their parts).
-- Applied after it whenever the replaceable SQL is, so these rules stay registered.

-- A meeting's agenda and action items: whoever may see the meeting (the two people meeting,
-- the employee's chain and its REVIEWS delegates, HR); the same people may write them.
SELECT pms_meta.enable_visibility('one_on_one_agenda_items', 'REVIEWS',
    $r$ EXISTS (SELECT 1 FROM public.one_on_ones o WHERE o.tenant_id = one_on_one_agenda_items.tenant_id AND o.id = one_on_one_agenda_items.one_on_one_id) $r$,
    $w$ EXISTS (SELECT 1 FROM public.one_on_ones o WHERE o.tenant_id = one_on_one_agenda_items.tenant_id AND o.id = one_on_one_agenda_items.one_on_one_id) $w$,
    'whoever may see the meeting', 'whoever may write the meeting (the same people)');
SELECT pms_meta.enable_visibility('one_on_one_action_items', 'REVIEWS',
    $r$ EXISTS (SELECT 1 FROM public.one_on_ones o WHERE o.tenant_id = one_on_one_action_items.tenant_id AND o.id = one_on_one_action_items.one_on_one_id) $r$,
    $w$ EXISTS (SELECT 1 FROM public.one_on_ones o WHERE o.tenant_id = one_on_one_action_items.tenant_id AND o.id = one_on_one_action_items.one_on_one_id) $w$,
    'whoever may see the meeting', 'whoever may write the meeting (the same people)');

-- PIP templates are the tenant's configuration: everyone reads them, HR writes them.
SELECT pms_meta.enable_visibility('pip_templates', 'REVIEWS', NULL,
    $w$ $hr $w$,
    'everyone in the tenant', 'HR');

-- Notifications and notification preferences: their person only, not HR. A workflow's
-- notification to someone else is written by pms_notify (076_api_a_notify.sql), as the owner.
SELECT pms_meta.enable_visibility('notifications', 'PRIVATE',
    $r$ recipient_id = $me $r$,
    $w$ recipient_id = $me $w$,
    'the recipient only', 'the recipient (marks it read); workflows write through pms_notify');
SELECT pms_meta.enable_visibility('notification_preferences', 'PRIVATE',
    $r$ user_id = $me $r$,
    $w$ user_id = $me $w$,
    'the person only', 'the person only');

-- Whether the acting user may run a person's PIP (open, change, move, check in): HR, or
-- someone above the person in the chain or a REVIEWS delegate of theirs. The write rule of
-- performance_improvement_plans says the same; the API asks first so that a plan the caller
-- may read but not run is a 403, not a silent no-op.
CREATE OR REPLACE FUNCTION public.pms_api_may_run_pip(p_employee uuid) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, public AS $$
    SELECT public.pms_acting_user() IS NOT NULL
       AND (public.pms_is_tenant_hr() OR p_employee IN (SELECT m FROM public.pms_managed_people('REVIEWS') m))
$$;

-- Career path suggestions for a person: the next steps above their level on the tenant's
-- career paths, their own department's paths first, then the nearest level. Nothing for a
-- person the acting user may not see (their development domain: GOALS).
CREATE OR REPLACE FUNCTION public.pms_career_suggestions(p_person uuid, p_limit integer DEFAULT 10)
    RETURNS TABLE (path_id uuid, path_name text, track text, same_department boolean, step_id uuid,
                   step_title text, step_level smallint, level_gap integer, typical_months smallint, requirements jsonb)
    LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT p.id, p.name, p.track, p.department_id IS NOT DISTINCT FROM u.department_id AND p.department_id IS NOT NULL,
           s.id, s.title, s.level, s.level - coalesce(u.level, 0), s.typical_months, s.requirements
      FROM public.users u
      JOIN public.career_paths p ON p.tenant_id = u.tenant_id AND p.deleted_at IS NULL
      JOIN LATERAL (SELECT * FROM public.career_path_steps cs
                     WHERE cs.tenant_id = p.tenant_id AND cs.path_id = p.id AND cs.level > coalesce(u.level, 0)
                     ORDER BY cs.position LIMIT 1) s ON true
     WHERE u.tenant_id = public.pms_current_tenant() AND u.id = p_person AND u.deleted_at IS NULL
       AND public.pms_can_see_person(p_person, 'GOALS')
     ORDER BY 4 DESC, 8, p.name, s.id
     LIMIT greatest(1, least(p_limit, 50))
$$;

-- Erasure rules of the columns these workflows added (050_retention_erasure_rules.sql holds
-- the others and is applied first).
INSERT INTO pms_retention.erasure_rules (table_name, column_name, action, entity_type, tier, pseudonymise_when, reason)
VALUES
    ('one_on_ones', 'cancellation_reason', 'SCRUB', NULL, NULL, NULL, 'free text that may mention people'),
    ('pip_templates', 'expectations', 'SCRUB', NULL, NULL, NULL, 'free text that may mention people'),
    ('pip_templates', 'milestones', 'SCRUB', NULL, NULL, NULL, 'a document that may carry ids or names'),
    ('notifications', 'event', 'NONE', NULL, NULL, NULL, 'an event name'),
    ('notification_preferences', 'user_id', 'DELETE', NULL, NULL, NULL, 'their notification preferences'),
    ('notification_preferences', 'event', 'NONE', NULL, NULL, NULL, 'an event name')
ON CONFLICT DO NOTHING;
