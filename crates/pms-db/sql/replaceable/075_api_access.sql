-- Who may see a goal, for the API's goal lists (goals are not person-sensitive records: their
-- visibility column is the owner's choice). PUBLIC: the whole tenant; TEAM: also the owner's
-- peers (same manager) and reports; PRIVATE: the owner, their management chain and the
-- tenant's HR admins.

-- Whether p_manager is above p_person in the management chain (users.manager_id).
CREATE OR REPLACE FUNCTION public.pms_api_manages(p_manager uuid, p_person uuid) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, public AS $$
    WITH RECURSIVE up (id, depth) AS (
        SELECT u.manager_id, 1 FROM public.users u WHERE u.id = p_person
        UNION ALL
        SELECT u.manager_id, up.depth + 1 FROM public.users u JOIN up ON u.id = up.id
         WHERE up.depth < 64
    )
    SELECT EXISTS (SELECT 1 FROM up WHERE id = p_manager)
$$;

-- Whether the acting user holds an unexpired ADMIN or HR_ADMIN role in the tenant.
CREATE OR REPLACE FUNCTION public.pms_api_is_hr() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.user_roles ur JOIN public.roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
         WHERE ur.user_id = public.pms_current_user_id() AND r.code IN ('ADMIN', 'HR_ADMIN')
           AND (ur.expires_at IS NULL OR ur.expires_at > now()))
$$;

CREATE OR REPLACE FUNCTION public.pms_api_can_see_goal(p_owner uuid, p_visibility text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, public AS $$
    SELECT p_visibility = 'PUBLIC'
        OR p_owner = public.pms_current_user_id()
        OR public.pms_api_manages(public.pms_current_user_id(), p_owner)
        OR (p_visibility = 'TEAM' AND EXISTS (
               SELECT 1 FROM public.users me JOIN public.users o ON o.id = p_owner
                WHERE me.id = public.pms_current_user_id()
                  AND (me.manager_id = o.manager_id OR me.manager_id = o.id)))
        OR public.pms_api_is_hr()
$$;
