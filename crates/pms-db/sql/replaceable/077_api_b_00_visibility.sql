-- Visibility for the API's part 2 (promotions, succession, org health, ML, engagement,
-- metrics), on top of 070_visibility_*: the rules of the tables these endpoints read and write,
-- and the helpers that say who may see a group's aggregate (a team's, a department's, the
-- tenant's). Registered in pms_meta.visibility_rules after 070_visibility_03_policies.sql
-- refilled it (the replaceable files are re-applied together, in name order).

-- ML predictions about a person: the person, their chain (REVIEWS delegates too) and HR read
-- them; only HR (or the platform's own jobs, which RLS does not confine) records them.
SELECT pms_meta.enable_visibility('ml_model_predictions', 'REVIEWS',
    $r$ $hr OR user_id = $me OR user_id IN $managed(REVIEWS) $r$,
    $w$ $hr $w$,
    'HR; the person; the person''s chain and its REVIEWS delegates',
    'HR (model jobs run as pms_maintenance)');

-- A succession plan names a position's incumbent and is the input of who replaces whom.
SELECT pms_meta.enable_visibility('succession_plans', 'APPROVALS',
    $r$ $hr OR owner_id = $me OR incumbent_id IN $managed(APPROVALS) $r$,
    $w$ $hr OR owner_id = $me $w$,
    'HR; the plan''s owner; the incumbent''s chain and its APPROVALS delegates (not the incumbent)',
    'HR; the plan''s owner; a new plan: HR',
    $i$ $hr $i$);

-- That a person answered a survey: the person and HR.
SELECT pms_meta.enable_visibility('survey_participations', 'FEEDBACK',
    $r$ $hr OR user_id = $me $r$,
    $w$ $hr OR user_id = $me $w$,
    'HR; the person', 'HR; the person (their own participation)');

-- Pulse answers: the person's own and HR; an anonymous one (no person) HR only, in aggregate.
SELECT pms_meta.enable_visibility('pulse_responses', 'FEEDBACK',
    $r$ $hr OR user_id = $me $r$,
    $w$ $hr OR user_id = $me $w$,
    'HR; the person (an anonymous answer names nobody: HR only, in aggregate)',
    'HR; the person; a new answer: its person, or anyone when anonymous (no person recorded)',
    $i$ $hr OR user_id = $me OR user_id IS NULL $i$);

-- Whether the acting user may see a succession plan (the read rule above, for the SECURITY
-- DEFINER readers that count a plan's bench as the owner).
CREATE OR REPLACE FUNCTION public.pms_api_b_can_see_succession_plan(p_plan uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT public.pms_acting_user() IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.succession_plans s
         WHERE s.tenant_id = public.pms_current_tenant() AND s.id = p_plan AND s.deleted_at IS NULL
           AND (public.pms_is_tenant_hr() OR s.owner_id = public.pms_acting_user()
                OR s.incumbent_id IN (SELECT m FROM public.pms_managed_people('APPROVALS') m)))
$$;
REVOKE ALL ON FUNCTION public.pms_api_b_can_see_succession_plan(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_api_b_can_see_succession_plan(uuid) TO pms_app, pms_readonly;

-- Whether the acting user may see a health (and the other aggregates) of the tenant
-- (p_department NULL) or of a department. The tenant: HR, or the top of the organisation (a
-- person without a manager who has reports). A department: HR, its head, or anyone above the
-- head in the reporting chain.
CREATE OR REPLACE FUNCTION public.pms_api_b_can_see_health(p_department uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT public.pms_acting_user() IS NOT NULL AND CASE
        WHEN p_department IS NULL THEN
            public.pms_is_tenant_hr() OR EXISTS (
                SELECT 1 FROM public.users me
                 WHERE me.tenant_id = public.pms_current_tenant() AND me.id = public.pms_acting_user()
                   AND me.manager_id IS NULL
                   AND EXISTS (SELECT 1 FROM public.pms_my_team()))
        ELSE EXISTS (
            SELECT 1 FROM public.departments d
             WHERE d.tenant_id = public.pms_current_tenant() AND d.id = p_department AND d.deleted_at IS NULL
               AND (public.pms_is_tenant_hr() OR d.head_id = public.pms_acting_user()
                    OR d.head_id IN (SELECT t.person_id FROM public.pms_my_team() t)))
        END
$$;
REVOKE ALL ON FUNCTION public.pms_api_b_can_see_health(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_api_b_can_see_health(uuid) TO pms_app, pms_readonly;

-- Whether the acting user may see the time-series aggregate of one subject of a grain (the
-- rollups' grains): a person of the tenant (pms_can_see_person in REVIEWS), a team (HR, its lead, anyone
-- above the lead), a department (pms_api_b_can_see_health), the tenant (the same for NULL).
CREATE OR REPLACE FUNCTION public.pms_api_b_can_see_group(p_grain text, p_subject uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT public.pms_acting_user() IS NOT NULL AND p_subject IS NOT NULL AND CASE p_grain
        WHEN 'user' THEN public.pms_can_see_person(p_subject, 'REVIEWS') AND EXISTS (
            SELECT 1 FROM public.users u
             WHERE u.tenant_id = public.pms_current_tenant() AND u.id = p_subject AND u.deleted_at IS NULL)
        WHEN 'team' THEN EXISTS (
            SELECT 1 FROM public.teams t
             WHERE t.tenant_id = public.pms_current_tenant() AND t.id = p_subject AND t.deleted_at IS NULL
               AND (public.pms_is_tenant_hr() OR t.lead_id = public.pms_acting_user()
                    OR t.lead_id IN (SELECT m.person_id FROM public.pms_my_team() m)))
        WHEN 'department' THEN public.pms_api_b_can_see_health(p_subject)
        WHEN 'tenant' THEN p_subject = public.pms_current_tenant() AND public.pms_api_b_can_see_health(NULL)
        ELSE false END
$$;
REVOKE ALL ON FUNCTION public.pms_api_b_can_see_group(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.pms_api_b_can_see_group(text, uuid) TO pms_app, pms_readonly;
