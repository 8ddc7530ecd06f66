-- Warehouse sync, the slowly changing dimensions (type 2): people and departments.
--
-- A person's versions are a function of their current row and their audit trail: every
-- audited UPDATE that changes a tracked attribute, and the DELETE, start a new version at the
-- instant it happened (occurred_at); the first version reaches back to -infinity (facts older
-- than any recorded change belong to it). The state before a change is the state after it
-- overlaid with the change's old values, so the history is rebuilt backwards from the current
-- row (bulk-loaded rows have no per-row entries: one version). The sync recomputes this for
-- every person whose row or trail changed since the watermark and merges the result: versions
-- that did not change keep their surrogate keys, so an incremental run and a full rebuild end
-- in the same rows.

-- Did a verified bulk load (one audit entry without a row id) add rows to p_table since p_since?
CREATE OR REPLACE FUNCTION warehouse.bulk_loaded(p_tenant uuid, p_table text, p_since timestamptz) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM public.audit_log a
                    WHERE a.tenant_id = p_tenant AND a.table_name = p_table AND a.row_id IS NULL
                      AND a.occurred_at >= p_since)
$$;

-- Rows of one entity whose audit entries fall at or after p_since (deletes included).
CREATE OR REPLACE FUNCTION warehouse.audited_ids(p_tenant uuid, p_entity text, p_since timestamptz) RETURNS SETOF uuid
    LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT DISTINCT a.row_id FROM public.audit_log a
     WHERE a.tenant_id = p_tenant AND a.entity_type = p_entity AND a.occurred_at >= p_since AND a.row_id IS NOT NULL
$$;

-- The versions of the changed rows of one entity, as (id, valid_from, valid_to, state): p_current
-- holds (id, state) of the rows that exist now, p_ids every changed id, p_tracked the attributes
-- whose changes start a version.
CREATE OR REPLACE FUNCTION warehouse.scd2_versions(p_tenant uuid, p_entity text, p_tracked text[])
    RETURNS TABLE (id uuid, valid_from timestamptz, valid_to timestamptz, state jsonb)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RETURN QUERY
    WITH ev AS (
        SELECT a.row_id AS id, a.seq, a.occurred_at,
               (SELECT coalesce(jsonb_object_agg(k, a.changes -> k -> 'old'), '{}') FROM unnest(p_tracked) k
                 WHERE a.changes ? k) AS old_vals
        FROM public.audit_log a
        WHERE a.tenant_id = p_tenant AND a.entity_type = p_entity
          AND a.row_id IN (SELECT c.id FROM wh_changed c)
          AND a.operation IN ('UPDATE', 'DELETE') AND a.changes ?| p_tracked
    ), m AS (
        SELECT ev.id, ev.occurred_at,
               warehouse.jsonb_merge(ev.old_vals) OVER (PARTITION BY ev.id ORDER BY ev.occurred_at DESC, ev.seq DESC) AS merged,
               row_number() OVER (PARTITION BY ev.id, ev.occurred_at ORDER BY ev.seq) AS rn
        FROM ev
    ), b AS (
        SELECT m.id, m.occurred_at AS at, m.merged FROM m WHERE m.rn = 1
    ), closed AS (
        SELECT b.id, lag(b.at, 1, '-infinity'::timestamptz) OVER (PARTITION BY b.id ORDER BY b.at) AS valid_from,
               b.at AS valid_to, coalesce(cur.state, '{}') || b.merged AS state
        FROM b LEFT JOIN wh_current cur ON cur.id = b.id
    )
    SELECT closed.id, closed.valid_from, closed.valid_to, closed.state FROM closed
    UNION ALL
    SELECT cur.id, coalesce((SELECT max(b.at) FROM b WHERE b.id = cur.id), '-infinity'), 'infinity'::timestamptz, cur.state
    FROM wh_current cur;
END
$$;

CREATE OR REPLACE FUNCTION warehouse.sync_dim_user(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_since timestamptz := CASE WHEN warehouse.bulk_loaded(p_tenant, 'users', p_since) THEN '-infinity' ELSE p_since END;
    v_tracked text[] := ARRAY['department_id', 'manager_id', 'level', 'job_title', 'timezone', 'status',
                              'employment_type', 'termination_date', 'deleted_at'];
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_changed, wh_current;
    INSERT INTO wh_changed (id)
    SELECT u.id FROM public.users u WHERE u.tenant_id = p_tenant AND u.updated_at >= v_since
    UNION SELECT x FROM warehouse.audited_ids(p_tenant, 'User', v_since) x;
    ANALYZE wh_changed;
    INSERT INTO wh_current (id, state)
    SELECT u.id, jsonb_build_object('department_id', u.department_id, 'manager_id', u.manager_id, 'level', u.level,
               'job_title', u.job_title, 'timezone', u.timezone, 'status', u.status, 'employment_type', u.employment_type,
               'termination_date', u.termination_date, 'deleted_at', u.deleted_at,
               'email', u.email, 'display_name', coalesce(u.display_name, u.first_name || ' ' || u.last_name),
               'employee_number', u.employee_number, 'hire_date', u.hire_date)
    FROM public.users u WHERE u.tenant_id = p_tenant AND u.id IN (SELECT id FROM wh_changed);
    ANALYZE wh_current;
    -- Deleted people: their type-1 attributes from the DELETE entry.
    INSERT INTO wh_current_deleted (id, state)
    SELECT DISTINCT ON (a.row_id) a.row_id,
           jsonb_build_object('email', a.changes -> 'email' -> 'old',
                              'display_name', coalesce(a.changes -> 'display_name' -> 'old',
                                  to_jsonb((a.changes -> 'first_name' ->> 'old') || ' ' || (a.changes -> 'last_name' ->> 'old'))),
                              'employee_number', a.changes -> 'employee_number' -> 'old',
                              'hire_date', a.changes -> 'hire_date' -> 'old')
    FROM public.audit_log a
    WHERE a.tenant_id = p_tenant AND a.entity_type = 'User' AND a.operation = 'DELETE'
      AND a.row_id IN (SELECT c.id FROM wh_changed c WHERE c.id NOT IN (SELECT id FROM wh_current))
    ORDER BY a.row_id, a.seq DESC;

    TRUNCATE wh_user_versions;
    INSERT INTO wh_user_versions
    SELECT v.id, v.valid_from, v.valid_to,
           coalesce(v.state ->> 'email', d.state ->> 'email', ''), coalesce(v.state ->> 'display_name', d.state ->> 'display_name', ''),
           coalesce(v.state ->> 'employee_number', d.state ->> 'employee_number'),
           coalesce(v.state ->> 'hire_date', d.state ->> 'hire_date')::date,
           (v.state ->> 'department_id')::uuid, (v.state ->> 'manager_id')::uuid, (v.state ->> 'level')::smallint,
           v.state ->> 'job_title', v.state ->> 'timezone', v.state ->> 'employment_type', v.state ->> 'status',
           (v.state ->> 'termination_date')::date, (v.state ->> 'deleted_at')::timestamptz
    FROM warehouse.scd2_versions(p_tenant, 'User', v_tracked) v
    LEFT JOIN wh_current_deleted d ON d.id = v.id
    WHERE v.valid_from < v.valid_to;
    ANALYZE wh_user_versions;
    -- Type-1 attributes of deleted people's closed versions come from the DELETE entry.
    UPDATE wh_user_versions w SET email = coalesce(d.state ->> 'email', w.email),
           display_name = coalesce(d.state ->> 'display_name', w.display_name),
           employee_number = coalesce(d.state ->> 'employee_number', w.employee_number),
           hire_date = coalesce((d.state ->> 'hire_date')::date, w.hire_date)
    FROM wh_current_deleted d WHERE d.id = w.user_id;
    TRUNCATE wh_current_deleted;

    -- From when each person's versions change: a version that goes or comes, or a validity
    -- that ends elsewhere (type-1 attributes move no key).
    INSERT INTO wh_changed_users (id, since_at)
    SELECT x.id, min(x.at) FROM (
        SELECT d.user_id AS id, d.valid_from AS at FROM warehouse.dim_user d
         WHERE d.tenant_id = p_tenant AND d.user_id IN (SELECT id FROM wh_changed)
           AND NOT EXISTS (SELECT 1 FROM wh_user_versions w WHERE w.user_id = d.user_id AND w.valid_from = d.valid_from
                             AND (w.department_id, w.manager_id, w.level, w.job_title, w.location, w.employment_type,
                                  w.employment_status, w.termination_date, w.deleted_at)
                                 IS NOT DISTINCT FROM (d.department_id, d.manager_id, d.level, d.job_title, d.location,
                                  d.employment_type, d.employment_status, d.termination_date, d.deleted_at))
        UNION ALL
        SELECT w.user_id, w.valid_from FROM wh_user_versions w
         WHERE NOT EXISTS (SELECT 1 FROM warehouse.dim_user d WHERE d.tenant_id = p_tenant AND d.user_id = w.user_id
                             AND d.valid_from = w.valid_from
                             AND (w.department_id, w.manager_id, w.level, w.job_title, w.location, w.employment_type,
                                  w.employment_status, w.termination_date, w.deleted_at)
                                 IS NOT DISTINCT FROM (d.department_id, d.manager_id, d.level, d.job_title, d.location,
                                  d.employment_type, d.employment_status, d.termination_date, d.deleted_at))
        UNION ALL
        SELECT d.user_id, least(d.valid_to, w.valid_to) FROM warehouse.dim_user d
          JOIN wh_user_versions w ON w.user_id = d.user_id AND w.valid_from = d.valid_from
         WHERE d.tenant_id = p_tenant AND d.valid_to <> w.valid_to) x
    GROUP BY x.id
    ON CONFLICT (id) DO UPDATE SET since_at = least(wh_changed_users.since_at, excluded.since_at);

    DELETE FROM warehouse.dim_user d
    WHERE d.tenant_id = p_tenant AND d.user_id IN (SELECT id FROM wh_changed)
      AND NOT EXISTS (SELECT 1 FROM wh_user_versions w WHERE w.user_id = d.user_id AND w.valid_from = d.valid_from
                        AND (w.department_id, w.manager_id, w.level, w.job_title, w.location, w.employment_type,
                             w.employment_status, w.termination_date, w.deleted_at)
                            IS NOT DISTINCT FROM (d.department_id, d.manager_id, d.level, d.job_title, d.location,
                             d.employment_type, d.employment_status, d.termination_date, d.deleted_at));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    UPDATE warehouse.dim_user d
       SET valid_to = w.valid_to, is_current = (w.valid_to = 'infinity'), email = w.email, display_name = w.display_name,
           employee_number = w.employee_number, hire_date = w.hire_date
      FROM wh_user_versions w
     WHERE d.tenant_id = p_tenant AND w.user_id = d.user_id AND w.valid_from = d.valid_from
       AND (d.valid_to, d.email, d.display_name, d.employee_number, d.hire_date)
           IS DISTINCT FROM (w.valid_to, w.email, w.display_name, w.employee_number, w.hire_date);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.dim_user (tenant_id, user_id, email, display_name, employee_number, hire_date, department_id,
                                    manager_id, level, job_title, location, employment_type, employment_status,
                                    termination_date, deleted_at, valid_from, valid_to, is_current)
    SELECT p_tenant, w.user_id, w.email, w.display_name, w.employee_number, w.hire_date, w.department_id,
           w.manager_id, w.level, w.job_title, w.location, w.employment_type, w.employment_status,
           w.termination_date, w.deleted_at, w.valid_from, w.valid_to, w.valid_to = 'infinity'
    FROM wh_user_versions w
    WHERE NOT EXISTS (SELECT 1 FROM warehouse.dim_user d WHERE d.tenant_id = p_tenant AND d.user_id = w.user_id
                        AND d.valid_from = w.valid_from)
    ORDER BY w.user_id, w.valid_from;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    ANALYZE wh_changed_users;
    RETURN v_total;
END
$$;

CREATE OR REPLACE FUNCTION warehouse.sync_dim_department(p_tenant uuid, p_since timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_tracked text[] := ARRAY['code', 'name', 'parent_id', 'head_id', 'deleted_at'];
    v_n bigint;
    v_total bigint := 0;
BEGIN
    TRUNCATE wh_changed, wh_current;
    INSERT INTO wh_changed (id)
    SELECT d.id FROM public.departments d WHERE d.tenant_id = p_tenant AND d.updated_at >= p_since
    UNION SELECT x FROM warehouse.audited_ids(p_tenant, 'Department', p_since) x;
    ANALYZE wh_changed;
    INSERT INTO wh_current (id, state)
    SELECT d.id, jsonb_build_object('code', d.code, 'name', d.name, 'parent_id', d.parent_id, 'head_id', d.head_id,
                                    'deleted_at', d.deleted_at)
    FROM public.departments d WHERE d.tenant_id = p_tenant AND d.id IN (SELECT id FROM wh_changed);
    ANALYZE wh_current;

    TRUNCATE wh_department_versions;
    INSERT INTO wh_department_versions
    SELECT v.id, v.valid_from, v.valid_to, coalesce(v.state ->> 'code', ''), coalesce(v.state ->> 'name', ''),
           (v.state ->> 'parent_id')::uuid, (v.state ->> 'head_id')::uuid, (v.state ->> 'deleted_at')::timestamptz
    FROM warehouse.scd2_versions(p_tenant, 'Department', v_tracked) v
    WHERE v.valid_from < v.valid_to;

    INSERT INTO wh_changed_departments (id, since_at)
    SELECT x.id, min(x.at) FROM (
        SELECT d.department_id AS id, d.valid_from AS at FROM warehouse.dim_department d
         WHERE d.tenant_id = p_tenant AND d.department_id IN (SELECT id FROM wh_changed)
           AND NOT EXISTS (SELECT 1 FROM wh_department_versions w WHERE w.department_id = d.department_id
                             AND w.valid_from = d.valid_from
                             AND (w.code, w.name, w.parent_id, w.head_id, w.deleted_at)
                                 IS NOT DISTINCT FROM (d.code, d.name, d.parent_id, d.head_id, d.deleted_at))
        UNION ALL
        SELECT w.department_id, w.valid_from FROM wh_department_versions w
         WHERE NOT EXISTS (SELECT 1 FROM warehouse.dim_department d WHERE d.tenant_id = p_tenant
                             AND d.department_id = w.department_id AND d.valid_from = w.valid_from
                             AND (w.code, w.name, w.parent_id, w.head_id, w.deleted_at)
                                 IS NOT DISTINCT FROM (d.code, d.name, d.parent_id, d.head_id, d.deleted_at))
        UNION ALL
        SELECT d.department_id, least(d.valid_to, w.valid_to) FROM warehouse.dim_department d
          JOIN wh_department_versions w ON w.department_id = d.department_id AND w.valid_from = d.valid_from
         WHERE d.tenant_id = p_tenant AND d.valid_to <> w.valid_to) x
    GROUP BY x.id
    ON CONFLICT (id) DO UPDATE SET since_at = least(wh_changed_departments.since_at, excluded.since_at);

    DELETE FROM warehouse.dim_department d
    WHERE d.tenant_id = p_tenant AND d.department_id IN (SELECT id FROM wh_changed)
      AND NOT EXISTS (SELECT 1 FROM wh_department_versions w WHERE w.department_id = d.department_id
                        AND w.valid_from = d.valid_from
                        AND (w.code, w.name, w.parent_id, w.head_id, w.deleted_at)
                            IS NOT DISTINCT FROM (d.code, d.name, d.parent_id, d.head_id, d.deleted_at));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    UPDATE warehouse.dim_department d SET valid_to = w.valid_to, is_current = (w.valid_to = 'infinity')
      FROM wh_department_versions w
     WHERE d.tenant_id = p_tenant AND w.department_id = d.department_id AND w.valid_from = d.valid_from
       AND d.valid_to IS DISTINCT FROM w.valid_to;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    INSERT INTO warehouse.dim_department (tenant_id, department_id, code, name, parent_id, head_id, deleted_at,
                                          valid_from, valid_to, is_current)
    SELECT p_tenant, w.department_id, w.code, w.name, w.parent_id, w.head_id, w.deleted_at, w.valid_from, w.valid_to,
           w.valid_to = 'infinity'
    FROM wh_department_versions w
    WHERE NOT EXISTS (SELECT 1 FROM warehouse.dim_department d WHERE d.tenant_id = p_tenant
                        AND d.department_id = w.department_id AND d.valid_from = w.valid_from)
    ORDER BY w.department_id, w.valid_from;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    -- The people who ever belonged to a department whose versions changed: their facts from
    -- then on are re-pointed.
    INSERT INTO wh_changed_users (id, since_at)
    SELECT u.user_id, min(c.since_at) FROM warehouse.dim_user u
      JOIN wh_changed_departments c ON c.id = u.department_id
     WHERE u.tenant_id = p_tenant
     GROUP BY u.user_id
    ON CONFLICT (id) DO UPDATE SET since_at = least(wh_changed_users.since_at, excluded.since_at);
    ANALYZE wh_changed_users, wh_changed_departments;
    RETURN v_total;
END
$$;
