-- Who may see a goal, for the API's goal lists (goals are not person-sensitive records: their
-- visibility column is the owner's choice). PUBLIC: the whole tenant; TEAM: also the owner's
-- peers (same manager) and direct reports; PRIVATE: the owner, their management chain and the
-- tenant's HR admins. Chain probes are index-only look-ups of reporting_chain.

-- Whether p_manager is above p_person in the management chain.
CREATE OR REPLACE FUNCTION public.pms_api_manages(p_manager uuid, p_person uuid) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.reporting_chain c
         WHERE c.tenant_id = public.pms_current_tenant()
           AND c.ancestor_id = p_manager AND c.descendant_id = p_person AND c.depth > 0)
$$;

CREATE OR REPLACE FUNCTION public.pms_api_can_see_goal(p_owner uuid, p_visibility text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p_visibility = 'PUBLIC'
        OR p_owner = public.pms_current_user_id()
        OR public.pms_api_manages(public.pms_current_user_id(), p_owner)
        OR (p_visibility = 'TEAM' AND EXISTS (
               SELECT 1 FROM public.users me JOIN public.users o ON o.tenant_id = me.tenant_id AND o.id = p_owner
                WHERE me.tenant_id = public.pms_current_tenant() AND me.id = public.pms_current_user_id()
                  AND (me.manager_id = o.manager_id OR me.manager_id = o.id)))
        OR public.pms_is_tenant_hr()
$$;

DROP FUNCTION IF EXISTS public.pms_api_is_hr();
