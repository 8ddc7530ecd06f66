-- Who the acting user of a transaction is, and whom they may see (issue 15). The application
-- sets app.tenant_id and app.user_id per transaction (pms_db::TenantTx); the visibility policies
-- (070_visibility_03_policies.sql) and the API ask these functions.
--
-- Roles, by code in the tenant's roles table (user_roles, unexpired):
--   ADMIN, HR_ADMIN  the tenant's HR: every person of the tenant, in every domain;
--   MANAGER          nothing by the role itself: a manager sees the people below them in the
--                    reporting chain (reporting_chain), which anyone with reports has;
--   EMPLOYEE         nothing beyond their own rows;
--   SUPER_ADMIN      a platform operator: grants nothing inside a tenant (no HR data by
--                    default). Operators work through pms_maintenance (the CLI), never through
--                    a tenant's visibility.
-- Scopes: own (the person), team (everyone below in the chain, direct and indirect), all (HR).
-- A department scope is not a visibility rule: a department head sees their department through
-- the chain. Delegations widen a scope for their window: the delegate sees, in the delegated
-- domain (REVIEWS, APPROVALS, GOALS, FEEDBACK; ALL = every domain), the people below the
-- delegator, from starts_at until ends_at or revoked_at, at the transaction's time (now()).

-- The acting user, when app.user_id names an active person of the current tenant (not
-- terminated, not disabled, not deleted): one row, or none (then no sensitive row is visible). A set-returning
-- plain SQL function with no SET, so that the planner inlines it into the statement that reads
-- it (a policy, a list query): planned once with that statement, and kept in its cached plan,
-- instead of planned again at every call as a scalar SQL function with a FROM clause is. The
-- names are schema-qualified; the operators are pg_catalog's, which pms_app cannot shadow (it
-- may create nothing in any schema it searches, and pg_temp is never searched for operators).
CREATE OR REPLACE FUNCTION public.pms_acting_user_row() RETURNS SETOF uuid
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT u.id FROM public.users u
     WHERE u.tenant_id = public.pms_current_tenant() AND u.id = public.pms_current_user_id()
       AND u.status NOT IN ('TERMINATED', 'DISABLED') AND u.deleted_at IS NULL
$$;

-- The same as a value, for callers that want one (plpgsql functions, the API).
CREATE OR REPLACE FUNCTION public.pms_acting_user() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, public AS $$
    SELECT me FROM public.pms_acting_user_row() me
$$;

-- The acting user's unexpired ADMIN or HR_ADMIN grants in the current tenant (the rows of
-- user_roles): "the acting user is HR" is that this set is not empty. Inlined (see above).
CREATE OR REPLACE FUNCTION public.pms_acting_hr_grants() RETURNS SETOF uuid
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ur.id FROM public.user_roles ur
      JOIN public.roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
     WHERE ur.tenant_id = public.pms_current_tenant()
       AND ur.user_id = (SELECT me FROM public.pms_acting_user_row() me)
       AND r.code IN ('ADMIN', 'HR_ADMIN')
       AND (ur.expires_at IS NULL OR ur.expires_at > now())
$$;

-- True when the acting user holds an unexpired ADMIN or HR_ADMIN role in the current tenant.
CREATE OR REPLACE FUNCTION public.pms_is_tenant_hr() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM public.pms_acting_hr_grants())
$$;

-- Everyone below the acting user in the reporting chain (direct and indirect reports, not the
-- user themself), with their depth: the "team" scope. One index-only range of the closure.
-- Inlined by the planner (plain SQL, no SET), so it can be joined like a table.
CREATE OR REPLACE FUNCTION public.pms_my_team() RETURNS TABLE (person_id uuid, depth smallint)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.descendant_id, c.depth FROM public.reporting_chain c
     WHERE c.tenant_id = public.pms_current_tenant()
       AND c.ancestor_id = (SELECT me FROM public.pms_acting_user_row() me)
       AND c.depth > 0
$$;

-- The people whose rows of one domain the acting user manages: their team, and the teams of
-- those who delegated that domain (or ALL) to them, within the delegation's window. Not the
-- user themself, and not HR's "everyone" (pms_is_tenant_hr says that). Inlined (see above).
CREATE OR REPLACE FUNCTION public.pms_managed_people(p_domain text) RETURNS SETOF uuid
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.descendant_id FROM public.reporting_chain c
     WHERE c.tenant_id = public.pms_current_tenant()
       AND c.ancestor_id = (SELECT me FROM public.pms_acting_user_row() me)
       AND c.depth > 0
    UNION ALL
    SELECT c.descendant_id
      FROM public.delegations d
      JOIN public.reporting_chain c ON c.tenant_id = d.tenant_id AND c.ancestor_id = d.delegator_id AND c.depth > 0
     WHERE d.tenant_id = public.pms_current_tenant()
       AND d.delegate_id = (SELECT me FROM public.pms_acting_user_row() me)
       AND d.scope IN (p_domain, 'ALL')
       AND d.revoked_at IS NULL
       AND d.starts_at <= now() AND now() < d.ends_at
$$;

-- Whether the acting user may see a person's rows of one domain: the person themself, anyone
-- above them in the chain, HR, or an active delegate (for that domain) of someone above them.
-- The per-table rules (pms_meta.visibility_rules) refine this (some rows are not shown to the
-- person; private notes only to their author); this is the general answer for the API.
CREATE OR REPLACE FUNCTION public.pms_can_see_person(p_person uuid, p_domain text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, public AS $$
    SELECT public.pms_acting_user() IS NOT NULL
       AND (p_person = public.pms_acting_user()
            OR public.pms_is_tenant_hr()
            OR p_person IN (SELECT m FROM public.pms_managed_people(p_domain) m))
$$;

-- Places a table under a visibility rule: restrictive policies for pms_app and pms_readonly
-- (the roles RLS confines) on top of the tenant policy: one for reads (USING p_read; none when
-- p_read is NULL, for tables every member of the tenant may read), one for inserts (WITH CHECK
-- p_insert, or p_write when NULL), one each for updates and deletes (p_write as USING and WITH
-- CHECK). Each also requires an acting user. The rules are written in the table's own column
-- names (a subquery names the table to correlate) with placeholders: `$me` the acting user,
-- `$hr` "the acting user is HR", `$managed(DOMAIN)` the people the acting user manages in that
-- domain. Each expands to inlined SQL (no function is called per statement: the text is
-- planned with the statement and cached with it): the acting user's existence and HR grants
-- are uncorrelated subqueries (InitPlans, computed once per statement), the managed people a
-- hashed subplan. `$me` is app.user_id itself: the rule's guard (an acting user exists, that
-- is app.user_id names an active person of the tenant) makes it the acting user. Recorded, with the
-- rule in words, in pms_meta.visibility_rules, which the catalog test checks.
CREATE OR REPLACE FUNCTION pms_meta.enable_visibility(
    tbl regclass, p_domain text, p_read text, p_write text, p_readers text, p_writers text,
    p_insert text DEFAULT NULL)
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_write text := pms_meta.visibility_expand(p_write);
    v_cmd text;
BEGIN
    IF p_domain NOT IN ('REVIEWS', 'APPROVALS', 'GOALS', 'FEEDBACK', 'PRIVATE', 'ACCESS') THEN
        RAISE EXCEPTION 'enable_visibility: % is not a visibility domain (REVIEWS, APPROVALS, GOALS, FEEDBACK, PRIVATE, ACCESS)', p_domain
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_write IS NULL THEN
        RAISE EXCEPTION 'enable_visibility: % needs a write rule', tbl USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH v_cmd IN ARRAY ARRAY['select', 'insert', 'update', 'delete'] LOOP
        EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'visibility_' || v_cmd, tbl);
    END LOOP;
    IF p_read IS NOT NULL THEN
        EXECUTE format('CREATE POLICY visibility_select ON %s AS RESTRICTIVE FOR SELECT TO pms_app, pms_readonly USING %s',
                       tbl, pms_meta.visibility_expand(p_read));
    END IF;
    EXECUTE format('CREATE POLICY visibility_insert ON %s AS RESTRICTIVE FOR INSERT TO pms_app, pms_readonly WITH CHECK %s',
                   tbl, pms_meta.visibility_expand(coalesce(p_insert, p_write)));
    EXECUTE format('CREATE POLICY visibility_update ON %s AS RESTRICTIVE FOR UPDATE TO pms_app, pms_readonly USING %s WITH CHECK %s',
                   tbl, v_write, v_write);
    EXECUTE format('CREATE POLICY visibility_delete ON %s AS RESTRICTIVE FOR DELETE TO pms_app, pms_readonly USING %s', tbl, v_write);
    INSERT INTO pms_meta.visibility_rules (table_name, domain, read_rule, insert_rule, write_rule, readers, writers)
    VALUES (tbl::text, p_domain, p_read, coalesce(p_insert, p_write), p_write, p_readers, p_writers)
    ON CONFLICT (table_name) DO UPDATE
       SET domain = EXCLUDED.domain, read_rule = EXCLUDED.read_rule, insert_rule = EXCLUDED.insert_rule,
           write_rule = EXCLUDED.write_rule, readers = EXCLUDED.readers, writers = EXCLUDED.writers;
END
$$;
REVOKE ALL ON FUNCTION pms_meta.enable_visibility(regclass, text, text, text, text, text, text) FROM PUBLIC;

-- The policy text of a rule: the placeholders above replaced, an acting user required.
CREATE OR REPLACE FUNCTION pms_meta.visibility_expand(p_rule text) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT format('(EXISTS (SELECT 1 FROM public.pms_acting_user_row()) AND (%s))',
                  regexp_replace(
                      replace(replace(p_rule, '$me', 'public.pms_current_user_id()'),
                              '$hr', 'EXISTS (SELECT 1 FROM public.pms_acting_hr_grants())'),
                      '\$managed\((\w+)\)', '(SELECT m FROM public.pms_managed_people(''\1'') m)', 'g'))
$$;
REVOKE ALL ON FUNCTION pms_meta.visibility_expand(text) FROM PUBLIC;

-- The reviewee acknowledges a review shared with them: the one change they may make to a
-- review someone else wrote (the row's policy would let nobody but its writers change it, and a
-- policy cannot limit an UPDATE to some columns). Returns false when the acting user is not
-- the reviewee of a SHARED review of this tenant (unknown, not theirs, not shared yet, or
-- acknowledged already), so that the API answers 404 or 409 without learning more.
CREATE OR REPLACE FUNCTION public.pms_acknowledge_review(p_review uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_me uuid := public.pms_acting_user();
BEGIN
    IF v_me IS NULL THEN
        RETURN false;
    END IF;
    UPDATE public.performance_reviews
       SET status = 'ACKNOWLEDGED', acknowledged_at = now()
     WHERE tenant_id = public.pms_current_tenant() AND id = p_review
       AND reviewee_id = v_me AND status = 'SHARED';
    RETURN FOUND;
END
$$;
REVOKE ALL ON FUNCTION public.pms_acknowledge_review(uuid) FROM PUBLIC, pms_readonly;
GRANT EXECUTE ON FUNCTION public.pms_acknowledge_review(uuid) TO pms_app;
