-- Time-series engine, membership: team and department rollup rows follow the current
-- membership (timeseries.user_groups), as the TimescaleDB backend's views do by joining groups
-- at query time. Statement triggers on users and team_members queue every group that gained or
-- lost a member, for every rollup (timeseries.membership_invalidations); a rollup's refresh
-- calls refresh_membership(), which rebuilds the queued groups' rows below its watermark from
-- the rollup's own user rows. The real-time tail already joins the current membership.

-- What a statement changed in user_groups is the symmetric difference of the (tenant, user,
-- group) triples of its old and new rows; an update that leaves them alone (a login, a new
-- title) queues nothing. Every rollup gets an entry, whatever its watermark: a refresh running
-- concurrently may materialize with the membership of before this change.
CREATE OR REPLACE FUNCTION timeseries.log_department_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'department', c.department_id
        FROM (SELECT DISTINCT n.tenant_id, n.department_id FROM changed_new n WHERE n.department_id IS NOT NULL) c
        CROSS JOIN timeseries.rollups r;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'department', c.department_id
        FROM (SELECT DISTINCT o.tenant_id, o.department_id FROM changed_old o WHERE o.department_id IS NOT NULL) c
        CROSS JOIN timeseries.rollups r;
    ELSE
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'department', c.department_id
        FROM (SELECT DISTINCT x.tenant_id, x.department_id FROM (
                  (SELECT o.tenant_id, o.id, o.department_id FROM changed_old o WHERE o.department_id IS NOT NULL
                   EXCEPT SELECT n.tenant_id, n.id, n.department_id FROM changed_new n)
                  UNION ALL
                  (SELECT n.tenant_id, n.id, n.department_id FROM changed_new n WHERE n.department_id IS NOT NULL
                   EXCEPT SELECT o.tenant_id, o.id, o.department_id FROM changed_old o)) x) c
        CROSS JOIN timeseries.rollups r;
    END IF;
    RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION timeseries.log_department_changes() TO pms_app, pms_maintenance;

-- The same for team_members: a row counts while left_on IS NULL.
CREATE OR REPLACE FUNCTION timeseries.log_team_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'team', c.team_id
        FROM (SELECT DISTINCT n.tenant_id, n.team_id FROM changed_new n WHERE n.left_on IS NULL) c
        CROSS JOIN timeseries.rollups r;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'team', c.team_id
        FROM (SELECT DISTINCT o.tenant_id, o.team_id FROM changed_old o WHERE o.left_on IS NULL) c
        CROSS JOIN timeseries.rollups r;
    ELSE
        INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
        SELECT r.name, c.tenant_id, 'team', c.team_id
        FROM (SELECT DISTINCT x.tenant_id, x.team_id FROM (
                  (SELECT o.tenant_id, o.user_id, o.team_id FROM changed_old o WHERE o.left_on IS NULL
                   EXCEPT SELECT n.tenant_id, n.user_id, n.team_id FROM changed_new n WHERE n.left_on IS NULL)
                  UNION ALL
                  (SELECT n.tenant_id, n.user_id, n.team_id FROM changed_new n WHERE n.left_on IS NULL
                   EXCEPT SELECT o.tenant_id, o.user_id, o.team_id FROM changed_old o WHERE o.left_on IS NULL)) x) c
        CROSS JOIN timeseries.rollups r;
    END IF;
    RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION timeseries.log_team_changes() TO pms_app, pms_maintenance;

-- Native backend only: on TimescaleDB the rollup views join the groups at query time, so
-- there is nothing to queue (and nothing that would take the entries).
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('users', 'log_department_changes'), ('team_members', 'log_team_changes')) v(tbl, fn) LOOP
        IF timeseries.backend() = 'native' THEN
            EXECUTE format('CREATE OR REPLACE TRIGGER log_membership_inserts AFTER INSERT ON public.%I REFERENCING NEW TABLE AS changed_new
                            FOR EACH STATEMENT EXECUTE FUNCTION timeseries.%I()', t.tbl, t.fn);
            EXECUTE format('CREATE OR REPLACE TRIGGER log_membership_updates AFTER UPDATE ON public.%I REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
                            FOR EACH STATEMENT EXECUTE FUNCTION timeseries.%I()', t.tbl, t.fn);
            EXECUTE format('CREATE OR REPLACE TRIGGER log_membership_deletes AFTER DELETE ON public.%I REFERENCING OLD TABLE AS changed_old
                            FOR EACH STATEMENT EXECUTE FUNCTION timeseries.%I()', t.tbl, t.fn);
            -- Also in replica mode: a verified bulk load (pms_meta.enable_bulk_load) refuses a
            -- table with an insert trigger that would not fire, and its new people do join groups.
            EXECUTE format('ALTER TABLE public.%I ENABLE ALWAYS TRIGGER log_membership_inserts, ENABLE ALWAYS TRIGGER log_membership_updates,
                            ENABLE ALWAYS TRIGGER log_membership_deletes', t.tbl);
        ELSE
            EXECUTE format('DROP TRIGGER IF EXISTS log_membership_inserts ON public.%I', t.tbl);
            EXECUTE format('DROP TRIGGER IF EXISTS log_membership_updates ON public.%I', t.tbl);
            EXECUTE format('DROP TRIGGER IF EXISTS log_membership_deletes ON public.%I', t.tbl);
        END IF;
    END LOOP;
END
$$;

-- Rebuilds, for one rollup, the rows below its watermark of the groups queued for it: the
-- groups' old rows go, the sums of their current members' user rows come in (min and max cannot
-- be adjusted by difference). Takes only the entries its statement sees: a change committed
-- later keeps its entry for the next refresh. The groups are queued for the rollups built on
-- this one, whose buckets may have been copied from the old rows. Called by refresh_rollup
-- (under its lock on the rollup) before it recomputes or adds buckets, which then read the
-- same or a newer membership. Returns the rows deleted and written.
CREATE OR REPLACE FUNCTION timeseries.refresh_membership(p_name text) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    v_watermark timestamptz;
    v_tenants uuid[];
    v_grains text[];
    v_subjects uuid[];
    v_rows bigint := 0;
    v_n bigint;
BEGIN
    SELECT r.watermark INTO v_watermark FROM timeseries.rollups r WHERE r.name = p_name;
    WITH d AS (DELETE FROM timeseries.membership_invalidations WHERE rollup = p_name
               RETURNING tenant_id, grain, subject_id)
    SELECT coalesce(array_agg(x.tenant_id ORDER BY x.tenant_id, x.grain, x.subject_id), '{}'),
           coalesce(array_agg(x.grain ORDER BY x.tenant_id, x.grain, x.subject_id), '{}'),
           coalesce(array_agg(x.subject_id ORDER BY x.tenant_id, x.grain, x.subject_id), '{}')
    INTO v_tenants, v_grains, v_subjects
    FROM (SELECT DISTINCT d.tenant_id, d.grain, d.subject_id FROM d) x;
    -- Entries naming no rollup (the application may insert its own tenant's) would never be taken.
    DELETE FROM timeseries.membership_invalidations q
    WHERE NOT EXISTS (SELECT 1 FROM timeseries.rollups r WHERE r.name = q.rollup);
    IF cardinality(v_subjects) = 0 OR v_watermark IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO timeseries.membership_invalidations (rollup, tenant_id, grain, subject_id)
    SELECT d.name, s.tenant_id, s.grain, s.subject_id
    FROM timeseries.rollups d CROSS JOIN unnest(v_tenants, v_grains, v_subjects) AS s(tenant_id, grain, subject_id)
    WHERE d.source_rollup = p_name;

    -- Groups with no rows and no member with rows below the watermark have nothing to rebuild
    -- (the groups of a tenant just seeded, whose people have no points yet): one set-based
    -- pass leaves them out, rather than two statements each.
    EXECUTE format($q$
        SELECT coalesce(array_agg(s.tenant_id ORDER BY s.i), '{}'), coalesce(array_agg(s.grain ORDER BY s.i), '{}'),
               coalesce(array_agg(s.subject_id ORDER BY s.i), '{}')
        FROM unnest($1::uuid[], $2::text[], $3::uuid[]) WITH ORDINALITY AS s(tenant_id, grain, subject_id, i)
        WHERE EXISTS (SELECT 1 FROM timeseries.%1$I m
                      WHERE m.tenant_id = s.tenant_id AND m.grain = s.grain AND m.subject_id = s.subject_id AND m.bucket < $4)
           OR EXISTS (SELECT 1 FROM timeseries.user_groups g
                      JOIN timeseries.%1$I u ON u.tenant_id = g.tenant_id AND u.grain = 'user' AND u.subject_id = g.user_id
                                             AND u.bucket < $4
                      WHERE g.tenant_id = s.tenant_id AND g.grain = s.grain AND g.subject_id = s.subject_id)$q$,
        p_name || '_mat')
        INTO v_tenants, v_grains, v_subjects
        USING v_tenants, v_grains, v_subjects, v_watermark;

    -- One group per statement: with the group's id a constant, the planner sees how many
    -- members and user rows it has (and picks a hash aggregate rather than sorting them all),
    -- and each group's rows go in together.
    FOR i IN 1 .. cardinality(v_subjects) LOOP
        EXECUTE format('DELETE FROM timeseries.%I WHERE tenant_id = $1 AND grain = $2 AND subject_id = $3 AND bucket < $4',
                       p_name || '_mat')
            USING v_tenants[i], v_grains[i], v_subjects[i], v_watermark;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
        EXECUTE format($q$
            INSERT INTO timeseries.%1$I
            SELECT $1, $2, $3, u.metric_name, u.bucket,
                   sum(u.sample_count), sum(u.sum_value), min(u.min_value), max(u.max_value)
            FROM timeseries.user_groups g
            JOIN timeseries.%1$I u ON u.tenant_id = g.tenant_id AND u.grain = 'user' AND u.subject_id = g.user_id
                                   AND u.bucket < $4
            WHERE g.tenant_id = $1 AND g.grain = $2 AND g.subject_id = $3
            GROUP BY u.bucket, u.metric_name
            ORDER BY u.bucket, u.metric_name$q$,
            p_name || '_mat')
            USING v_tenants[i], v_grains[i], v_subjects[i], v_watermark;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_rows := v_rows + v_n;
    END LOOP;
    RETURN v_rows;
END
$$;
REVOKE EXECUTE ON FUNCTION timeseries.refresh_membership(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION timeseries.refresh_membership(text) TO pms_maintenance;
