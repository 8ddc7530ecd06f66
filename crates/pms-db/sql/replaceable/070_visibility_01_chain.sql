-- The reporting chain's maintenance (table: migration 20261205100000_create_reporting_chain.sql).
--
-- Statement-level triggers on users with transition tables: whatever one statement does (a COPY
-- of a seed batch, an HR move of a department, the ON DELETE SET NULL of a manager's reports),
-- the chain follows in one set-based pass per tenant:
--   D := the people the statement inserted, moved or orphaned, and everyone below them;
--   the chain rows of D are deleted, and each person of D gets their ancestors again by walking
--   users.manager_id up through D to the first manager outside D, whose own chain rows (not
--   affected, since nobody above them moved) are appended.
-- A cycle can only run through D, so the walk finds it, and the statement fails saying who.
--
-- Concurrency: writers that insert take the tenant's chain lock shared, writers that move or
-- delete take it exclusive (transaction advisory locks), so a move never reads a chain that an
-- uncommitted hire or move is about to change. Under READ COMMITTED (the default) each pass
-- reads the latest committed chain after its lock; a REPEATABLE READ or SERIALIZABLE
-- transaction that moves people keeps its older snapshot and should be retried on failure.
--
-- The triggers fire ALWAYS: also in the verified bulk-load sessions of `pms seed --employees`
-- (session_replication_role = replica), which load users with COPY.

-- The lock key of a tenant's reporting chain.
CREATE OR REPLACE FUNCTION pms_meta.reporting_chain_lock_key(p_tenant uuid) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
    SELECT ('x' || left(md5('pms.reporting_chain/' || p_tenant::text), 16))::bit(64)::bigint
$$;

-- Recomputes the chain rows of p_people and everyone below them in one tenant, from
-- users.manager_id. It computes only the truth, so calling it cannot forge a chain.
-- p_exclusive: moves (the tenant's lock taken exclusively; the old rows of D replaced), or new
-- people only (the lock shared, so that seed batches run side by side; nothing to replace, and
-- people who already have rows fail on the key).
CREATE OR REPLACE FUNCTION public.pms_reporting_chain_resync(p_tenant uuid, p_people uuid[], p_exclusive boolean)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    -- The walk's cost estimate is a recursion's (large), its work a few index probes per
    -- person: compiling it (JIT) cost a second and a half per seed batch, the walk 25 ms.
    SET jit = off AS $$
DECLARE
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_cycle text;
    v_rows bigint;
BEGIN
    IF p_tenant IS NULL OR coalesce(cardinality(p_people), 0) = 0 THEN
        RETURN 0;
    END IF;
    IF p_exclusive THEN
        PERFORM pg_advisory_xact_lock(pms_meta.reporting_chain_lock_key(p_tenant));
    ELSE
        PERFORM pg_advisory_xact_lock_shared(pms_meta.reporting_chain_lock_key(p_tenant));
    END IF;
    -- As the tenant: users and reporting_chain have forced RLS like every tenant table.
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    -- Scratch tables of this session, created once (checked first: no notice on every call).
    IF to_regclass('pg_temp.reporting_chain_affected') IS NULL THEN
        CREATE TEMP TABLE reporting_chain_affected (id uuid PRIMARY KEY) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE reporting_chain_fresh (
            ancestor_id uuid NOT NULL, descendant_id uuid NOT NULL, depth integer NOT NULL) ON COMMIT DELETE ROWS;
    END IF;
    TRUNCATE pg_temp.reporting_chain_affected, pg_temp.reporting_chain_fresh;
    -- New people (p_exclusive false) have no chain rows yet, nor anyone below them but other
    -- new people of the same statement: D is just them, and there is nothing to delete.
    INSERT INTO pg_temp.reporting_chain_affected (id)
    SELECT p FROM unnest(p_people) AS p WHERE p IS NOT NULL
    UNION
    SELECT c.descendant_id FROM unnest(p_people) AS p
     CROSS JOIN LATERAL (SELECT x.descendant_id FROM reporting_chain x
                          WHERE p_exclusive AND x.tenant_id = p_tenant AND x.ancestor_id = p OFFSET 0) c;
    -- Up from every affected person while the manager is affected too; a row whose ancestor has
    -- a manager outside D ends the walk and brings that manager's chain. Every look-up is a
    -- LATERAL probe of an index, fenced (OFFSET 0) so that the planner drives from the few
    -- affected people whatever its statistics say: in the middle of a seed they describe a
    -- much smaller tenant, and a plan that scans the tenant would make each batch cost as much
    -- as all the batches before it.
    WITH RECURSIVE up (descendant_id, ancestor_id, depth, manager_id) AS (
        SELECT u.id, u.id, 0, u.manager_id
          FROM pg_temp.reporting_chain_affected a
         CROSS JOIN LATERAL (SELECT x.id, x.manager_id FROM users x
                              WHERE x.tenant_id = p_tenant AND x.id = a.id OFFSET 0) u
        UNION ALL
        SELECT up.descendant_id, m.id, up.depth + 1, m.manager_id
          FROM up
         CROSS JOIN LATERAL (SELECT x.id, x.manager_id FROM users x
                              WHERE x.tenant_id = p_tenant AND x.id = up.manager_id
                                AND EXISTS (SELECT 1 FROM pg_temp.reporting_chain_affected a WHERE a.id = x.id)
                             OFFSET 0) m
    ) CYCLE ancestor_id SET looped USING path,
    walked AS MATERIALIZED (SELECT up.descendant_id, up.ancestor_id, up.depth, up.manager_id, up.looped FROM up)
    INSERT INTO pg_temp.reporting_chain_fresh (ancestor_id, descendant_id, depth)
    SELECT w.ancestor_id, w.descendant_id, CASE WHEN w.looped THEN -1 ELSE w.depth END FROM walked w
    UNION ALL
    SELECT c.ancestor_id, w.descendant_id, w.depth + 1 + c.depth
      FROM walked w
     CROSS JOIN LATERAL (SELECT x.ancestor_id, x.depth FROM reporting_chain x
                          WHERE x.tenant_id = p_tenant AND x.descendant_id = w.manager_id OFFSET 0) c
     WHERE NOT w.looped
       AND w.manager_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_temp.reporting_chain_affected a WHERE a.id = w.manager_id);
    SELECT string_agg(DISTINCT f.descendant_id::text, ', ') INTO v_cycle
      FROM pg_temp.reporting_chain_fresh f WHERE f.depth < 0;
    IF v_cycle IS NOT NULL THEN
        PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
        RAISE EXCEPTION 'reporting chain: this change of manager_id makes a cycle (a person would report to themself, directly or through others); people whose chain would loop: %', v_cycle
            USING ERRCODE = 'check_violation', TABLE = 'users', COLUMN = 'manager_id';
    END IF;
    IF p_exclusive THEN
        DELETE FROM reporting_chain c
         WHERE c.tenant_id = p_tenant
           AND c.descendant_id = ANY (ARRAY(SELECT a.id FROM pg_temp.reporting_chain_affected a));
    END IF;
    INSERT INTO reporting_chain (tenant_id, ancestor_id, descendant_id, depth)
    SELECT p_tenant, f.ancestor_id, f.descendant_id, f.depth FROM pg_temp.reporting_chain_fresh f
     ORDER BY f.ancestor_id, f.descendant_id;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN v_rows;
END
$$;
-- The triggers call it with the writer's rights, so pms_app and pms_maintenance may execute it.
REVOKE ALL ON FUNCTION public.pms_reporting_chain_resync(uuid, uuid[], boolean) FROM PUBLIC, pms_readonly;
GRANT EXECUTE ON FUNCTION public.pms_reporting_chain_resync(uuid, uuid[], boolean) TO pms_app, pms_maintenance;

-- Removes the chain rows of people who are gone (as ancestor or descendant); people who still
-- exist keep theirs, so this too cannot be used to change a chain.
CREATE OR REPLACE FUNCTION public.pms_reporting_chain_forget(p_tenant uuid, p_people uuid[]) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_rows bigint;
BEGIN
    IF p_tenant IS NULL OR coalesce(cardinality(p_people), 0) = 0 THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(pms_meta.reporting_chain_lock_key(p_tenant));
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    SELECT coalesce(array_agg(p), '{}') INTO p_people FROM unnest(p_people) AS p
     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = p_tenant AND u.id = p);
    DELETE FROM reporting_chain c
     WHERE c.tenant_id = p_tenant AND (c.descendant_id = ANY (p_people) OR c.ancestor_id = ANY (p_people));
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN v_rows;
END
$$;
REVOKE ALL ON FUNCTION public.pms_reporting_chain_forget(uuid, uuid[]) FROM PUBLIC, pms_readonly;
GRANT EXECUTE ON FUNCTION public.pms_reporting_chain_forget(uuid, uuid[]) TO pms_app, pms_maintenance;

-- Rebuilds one tenant's whole chain from users.manager_id, top-down in one statement (hash
-- joins, rows inserted in key order): what a verified bulk load of a tenant's people calls
-- once at its end instead of a pass per batch (see pms_reporting_chain_on_insert), an
-- operator's repair, and the tests' reference.
CREATE OR REPLACE FUNCTION pms_meta.reporting_chain_rebuild(p_tenant uuid) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    SET jit = off SET work_mem = '128MB' AS $$
DECLARE
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_cycle text;
    v_rows bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(pms_meta.reporting_chain_lock_key(p_tenant));
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    -- A cycle has no root: its people are the ones the walk down from the roots never reaches.
    SELECT string_agg(u.id::text, ', ') INTO v_cycle FROM (
        WITH RECURSIVE down (id) AS (
            SELECT id FROM users WHERE tenant_id = p_tenant AND manager_id IS NULL
            UNION ALL
            SELECT u.id FROM down JOIN users u ON u.tenant_id = p_tenant AND u.manager_id = down.id)
        SELECT id FROM users WHERE tenant_id = p_tenant
        EXCEPT ALL SELECT id FROM down LIMIT 20) u;
    IF v_cycle IS NOT NULL THEN
        PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
        RAISE EXCEPTION 'reporting chain: the managers of tenant % make a cycle; people on it (or below it) include: %', p_tenant, v_cycle
            USING ERRCODE = 'check_violation', TABLE = 'users', COLUMN = 'manager_id';
    END IF;
    DELETE FROM reporting_chain WHERE tenant_id = p_tenant;
    INSERT INTO reporting_chain (tenant_id, ancestor_id, descendant_id, depth)
    WITH RECURSIVE down (ancestor_id, descendant_id, depth) AS (
        SELECT id, id, 0 FROM users WHERE tenant_id = p_tenant
        UNION ALL
        SELECT down.ancestor_id, u.id, down.depth + 1
          FROM down JOIN users u ON u.tenant_id = p_tenant AND u.manager_id = down.descendant_id)
    SELECT p_tenant, ancestor_id, descendant_id, depth FROM down ORDER BY ancestor_id, descendant_id;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN v_rows;
END
$$;
REVOKE ALL ON FUNCTION pms_meta.reporting_chain_rebuild(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_meta.reporting_chain_rebuild(uuid) TO pms_maintenance;

-- The triggers. They run with the caller's rights (so that current_user is the writer) and
-- hand the ids to the functions above, which alone write the chain.
CREATE OR REPLACE FUNCTION public.pms_reporting_chain_on_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v record;
BEGIN
    FOR v IN SELECT n.tenant_id, array_agg(n.id) AS people FROM new_rows n GROUP BY n.tenant_id LOOP
        PERFORM public.pms_reporting_chain_resync(v.tenant_id, v.people, false);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION public.pms_reporting_chain_on_update() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v record;
BEGIN
    FOR v IN
        SELECT n.tenant_id, array_agg(n.id) AS people
          FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
         WHERE o.manager_id IS DISTINCT FROM n.manager_id
         GROUP BY n.tenant_id
    LOOP
        -- Who reports to whom decides who sees whose reviews: inside a tenant, only its HR may
        -- change it (the roles that RLS does not confine, and the owner's own cascades, may).
        IF NOT (SELECT r.rolbypassrls OR r.rolsuper FROM pg_roles r WHERE r.rolname = current_user)
           AND current_user <> 'pms_owner'
           AND NOT public.pms_is_tenant_hr() THEN
            RAISE EXCEPTION 'reporting chain: only an HR administrator of the tenant may change a manager (users.manager_id); app.user_id % is not one',
                coalesce(nullif(current_setting('app.user_id', true), ''), '(not set)')
                USING ERRCODE = 'insufficient_privilege', TABLE = 'users', COLUMN = 'manager_id';
        END IF;
        PERFORM public.pms_reporting_chain_resync(v.tenant_id, v.people, true);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION public.pms_reporting_chain_on_delete() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v record;
BEGIN
    FOR v IN SELECT o.tenant_id, array_agg(o.id) AS people FROM old_rows o GROUP BY o.tenant_id LOOP
        PERFORM public.pms_reporting_chain_forget(v.tenant_id, v.people);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER reporting_chain_insert AFTER INSERT ON public.users
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pms_reporting_chain_on_insert();
CREATE OR REPLACE TRIGGER reporting_chain_update AFTER UPDATE ON public.users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pms_reporting_chain_on_update();
CREATE OR REPLACE TRIGGER reporting_chain_delete AFTER DELETE ON public.users
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pms_reporting_chain_on_delete();
ALTER TABLE public.users ENABLE ALWAYS TRIGGER reporting_chain_insert;
ALTER TABLE public.users ENABLE ALWAYS TRIGGER reporting_chain_update;
ALTER TABLE public.users ENABLE ALWAYS TRIGGER reporting_chain_delete;
