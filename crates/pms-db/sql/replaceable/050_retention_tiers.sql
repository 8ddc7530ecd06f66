-- The specification's retention functions: candidates, tiers, statistics, archive_entity,
-- retrieve_archived_entity and daily_data_maintenance. The archive's objects are written by the
-- worker (crate pms-archive); these functions keep the state and the index.

-- What is due: rows to archive or delete, archived batches to expire, per type and tenant.
CREATE OR REPLACE FUNCTION get_archival_candidates()
RETURNS TABLE (entity_type text, tenant_id uuid, action text, row_count bigint, held bigint, oldest timestamptz)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
DECLARE
    e pms_retention.entities;
    holders uuid[] := ARRAY(SELECT DISTINCT h.tenant_id FROM legal_holds h WHERE h.released_at IS NULL);
BEGIN
    FOR e IN SELECT r.* FROM pms_retention.entities r JOIN pms_retention.policies p USING (entity_type)
             WHERE p.managed_by = 'ARCHIVER' AND to_regclass(r.table_name) IS NOT NULL ORDER BY 1 LOOP
        RETURN QUERY EXECUTE format(
            'SELECT $1::text, x.tenant_id, x.action, count(*) FILTER (WHERE NOT x.held), count(*) FILTER (WHERE x.held), min(x.ts)
             FROM (SELECT t.%1$I AS tenant_id, t.%2$I::timestamptz AS ts,
                          CASE WHEN pol.archive_for IS NULL OR t.%2$I < now() - pol.archive_for THEN ''DELETE'' ELSE ''ARCHIVE'' END AS action,
                          t.%1$I = ANY ($2) AND pms_retention.is_held(t.%1$I, $1, t.%3$I::text, %4$s) AS held
                   FROM %5$s t JOIN pms_retention.tenant_policies($1) pol ON pol.tenant_id = t.%1$I
                   WHERE t.%2$I < now() - pol.cold_for) x
             GROUP BY x.tenant_id, x.action',
            e.tenant_column, e.time_column, e.id_column, pms_retention.persons_sql(e.person_columns), e.table_name)
            USING e.entity_type, holders;
    END LOOP;
    RETURN QUERY
        SELECT q.entity_type, q.tenant_id, 'ARCHIVE'::text, count(*), 0::bigint, min(q.created_at)
        FROM archive_pending q GROUP BY q.entity_type, q.tenant_id;
    RETURN QUERY
        SELECT x.entity_type, x.tenant_id, 'EXPIRE'::text, sum(x.row_count)::bigint, 0::bigint, NULL::timestamptz
        FROM retention_expirable_batches(1000000) x GROUP BY x.entity_type, x.tenant_id;
END
$$;

-- Recomputes storage_tier_state (rows per tenant, type and tier); returns rows written.
CREATE OR REPLACE FUNCTION update_storage_tiers() RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public AS $$
DECLARE
    e pms_retention.entities;
    run_at timestamptz := clock_timestamp();
    n integer;
    total integer := 0;
BEGIN
    FOR e IN SELECT r.* FROM pms_retention.entities r WHERE to_regclass(r.table_name) IS NOT NULL LOOP
        EXECUTE format(
            'INSERT INTO storage_tier_state AS s (tenant_id, entity_type, tier, row_count, oldest, newest, computed_at)
             SELECT t.%1$I, $1,
                    CASE WHEN t.%2$I >= now() - pol.hot_for THEN ''HOT'' WHEN t.%2$I >= now() - pol.warm_for THEN ''WARM''
                         WHEN t.%2$I >= now() - pol.cold_for THEN ''COLD'' ELSE ''DUE'' END,
                    count(*), min(t.%2$I), max(t.%2$I), $2
             FROM %3$s t JOIN pms_retention.tenant_policies($1) pol ON pol.tenant_id = t.%1$I
             GROUP BY 1, 3
             ON CONFLICT (tenant_id, entity_type, tier) DO UPDATE SET row_count = excluded.row_count,
                 oldest = excluded.oldest, newest = excluded.newest, computed_at = excluded.computed_at',
            e.tenant_column, e.time_column, e.table_name)
            USING e.entity_type, run_at;
        GET DIAGNOSTICS n = ROW_COUNT;
        total := total + n;
    END LOOP;
    INSERT INTO storage_tier_state AS s (tenant_id, entity_type, tier, row_count, oldest, newest, computed_at)
    SELECT x.tenant_id, x.entity_type, 'ARCHIVE', count(*), min(x.created_at), max(x.created_at), run_at
    FROM (SELECT a.tenant_id, a.entity_type, a.created_at FROM archived_entities a
          UNION ALL SELECT q.tenant_id, q.entity_type, q.created_at FROM archive_pending q) x
    GROUP BY x.tenant_id, x.entity_type
    ON CONFLICT (tenant_id, entity_type, tier) DO UPDATE SET row_count = excluded.row_count,
        oldest = excluded.oldest, newest = excluded.newest, computed_at = excluded.computed_at;
    GET DIAGNOSTICS n = ROW_COUNT;
    DELETE FROM storage_tier_state s WHERE s.computed_at < run_at;
    RETURN total + n;
END
$$;

-- Rows and bytes per entity type, table and tier; the archive tier with its compressed
-- (object) and raw sizes; a TOTAL line per table with its on-disk size.
CREATE OR REPLACE FUNCTION get_storage_statistics()
RETURNS TABLE (entity_type text, table_name text, tier text, row_count bigint, bytes bigint,
               compressed_bytes bigint, archived_bytes bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
DECLARE
    e pms_retention.entities;
BEGIN
    FOR e IN SELECT r.* FROM pms_retention.entities r WHERE to_regclass(r.table_name) IS NOT NULL ORDER BY 1 LOOP
        RETURN QUERY EXECUTE format(
            'SELECT $1::text, $2::text, x.tier, count(*), sum(x.sz)::bigint, NULL::bigint, NULL::bigint
             FROM (SELECT pg_column_size(t.*) AS sz,
                          CASE WHEN t.%1$I >= now() - pol.hot_for THEN ''HOT'' WHEN t.%1$I >= now() - pol.warm_for THEN ''WARM''
                               WHEN t.%1$I >= now() - pol.cold_for THEN ''COLD'' ELSE ''DUE'' END AS tier
                   FROM %2$s t JOIN pms_retention.tenant_policies($1) pol ON pol.tenant_id = t.%3$I) x
             GROUP BY x.tier
             UNION ALL
             SELECT $1::text, $2::text, ''TOTAL'', (SELECT count(*) FROM %2$s), pg_total_relation_size($2::regclass), NULL, NULL',
            e.time_column, e.table_name, e.tenant_column)
            USING e.entity_type, e.table_name;
    END LOOP;
    RETURN QUERY
        SELECT b.entity_type, 'archive'::text, 'ARCHIVE'::text, sum(b.row_count)::bigint, sum(b.raw_bytes)::bigint,
               sum(b.object_bytes)::bigint, sum(b.object_bytes)::bigint
        FROM archive_batches b WHERE b.status = 'ARCHIVED' GROUP BY b.entity_type;
    RETURN QUERY
        SELECT q.entity_type, 'archive_pending'::text, 'ARCHIVE_PENDING'::text, count(*), sum(pg_column_size(q.data))::bigint,
               NULL::bigint, NULL::bigint
        FROM archive_pending q GROUP BY q.entity_type;
END
$$;

-- Hands one entity to the archive: queued (in the transaction of the caller) until the worker
-- writes it to the object store. Returns PENDING, or ARCHIVED when it already is.
CREATE OR REPLACE FUNCTION archive_entity(p_entity_type text, p_id text, p_tenant uuid, p_data jsonb, p_created timestamptz)
RETURNS text LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public AS $$
DECLARE
    p pms_retention.policies := pms_retention.require_policy(p_entity_type);
    e pms_retention.entities;
    persons uuid[] := '{}';
BEGIN
    IF p_tenant IS NULL OR p_id IS NULL OR length(trim(p_id)) = 0 THEN
        RAISE EXCEPTION 'archive_entity: tenant and id are required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_data IS NULL OR jsonb_typeof(p_data) <> 'object' THEN
        RAISE EXCEPTION 'archive_entity: data must be a JSON object' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_created IS NULL OR p_created > now() + interval '1 minute' THEN
        RAISE EXCEPTION 'archive_entity: created must be a time not in the future, got %', p_created
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p.archive_for IS NULL THEN
        RAISE EXCEPTION 'entity type % is deleted at the end of its life, never archived', p_entity_type
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM archived_entities a WHERE a.tenant_id = p_tenant AND a.entity_type = p_entity_type AND a.id = p_id) THEN
        RETURN 'ARCHIVED';
    END IF;
    SELECT r.* INTO e FROM pms_retention.entities r WHERE r.entity_type = p_entity_type;
    IF FOUND THEN
        BEGIN
            SELECT coalesce(array_agg((p_data ->> c)::uuid), '{}') INTO persons
            FROM unnest(e.person_columns) c WHERE p_data ->> c IS NOT NULL;
        EXCEPTION WHEN invalid_text_representation THEN
            RAISE EXCEPTION 'archive_entity: a person field of % (%) is not a UUID', p_entity_type, e.person_columns
                USING ERRCODE = 'invalid_parameter_value';
        END;
    END IF;
    INSERT INTO archive_pending (tenant_id, entity_type, id, data, created_at, person_ids)
    VALUES (p_tenant, p_entity_type, p_id, p_data, p_created, persons)
    ON CONFLICT (tenant_id, entity_type, id) DO UPDATE SET data = excluded.data, created_at = excluded.created_at,
        person_ids = excluded.person_ids;
    RETURN 'PENDING';
END
$$;

CREATE OR REPLACE FUNCTION archive_entity(p_entity_type text, p_id uuid, p_tenant uuid, p_data jsonb, p_created timestamptz)
RETURNS text LANGUAGE sql VOLATILE SET search_path = pg_catalog, public AS $$
    SELECT archive_entity(p_entity_type, p_id::text, p_tenant, p_data, p_created)
$$;

-- Where an archived entity is: queued (with its data) or in an object (key and byte range of
-- its frame, which `pms archive get` and pms_archive::retrieve read). One index lookup.
CREATE OR REPLACE FUNCTION retrieve_archived_entity(p_entity_type text, p_id text)
RETURNS TABLE (tenant_id uuid, entity_type text, entity_id text, state text, created_at timestamptz, batch_id uuid,
               object_key text, frame_offset bigint, frame_length integer, object_sha256 text, data jsonb)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
    PERFORM pms_retention.require_policy(p_entity_type);
    RETURN QUERY
        SELECT q.tenant_id, q.entity_type, q.id, 'PENDING'::text, q.created_at, NULL::uuid, NULL::text, NULL::bigint,
               NULL::integer, NULL::text, q.data
        FROM archive_pending q WHERE q.entity_type = p_entity_type AND q.id = p_id
        UNION ALL
        SELECT a.tenant_id, a.entity_type, a.id, 'ARCHIVED', a.created_at, a.batch_id, b.object_key, a.frame_offset,
               a.frame_length, b.object_sha256, NULL::jsonb
        FROM archived_entities a JOIN archive_batches b ON b.tenant_id = a.tenant_id AND b.id = a.batch_id
        WHERE a.entity_type = p_entity_type AND a.id = p_id;
END
$$;

CREATE OR REPLACE FUNCTION retrieve_archived_entity(p_entity_type text, p_id uuid)
RETURNS TABLE (tenant_id uuid, entity_type text, entity_id text, state text, created_at timestamptz, batch_id uuid,
               object_key text, frame_offset bigint, frame_length integer, object_sha256 text, data jsonb)
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT * FROM retrieve_archived_entity(p_entity_type, p_id::text)
$$;

-- The database half of the daily pass: tiers, deletion of expired rows (holds respected), the
-- time-series engine's maintenance when it is installed, and what the archiver has to do.
-- Entity types managed elsewhere are listed under managed_elsewhere with their manager: the
-- audit trail (AUDIT_PARTITIONS) is append-only and leaves by whole monthly partitions in the
-- worker job audit_partitions, so audit_logs_cleaned counts no rows here (the job reports
-- the partitions it drops).
-- The worker's job daily_data_maintenance runs this, then writes the archive objects.
CREATE OR REPLACE FUNCTION daily_data_maintenance() RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public AS $$
DECLARE
    started timestamptz := clock_timestamp();
    tiers integer;
    e record;
    tenant uuid;
    n bigint;
    deleted jsonb := '{}';
    errors jsonb := '[]';
    total_deleted bigint := 0;
    audit_cleaned bigint := 0;
    elsewhere jsonb;
    ts jsonb := NULL;
    due jsonb;
BEGIN
    FOR e IN SELECT r.entity_type FROM pms_retention.entities r JOIN pms_retention.policies p USING (entity_type)
             WHERE p.managed_by = 'ARCHIVER' AND to_regclass(r.table_name) IS NOT NULL ORDER BY 1 LOOP
        n := 0;
        FOR tenant IN SELECT pms_retention.tenants_with_rows(e.entity_type) LOOP
            BEGIN
                n := n + retention_delete_expired(e.entity_type, tenant);
            EXCEPTION WHEN OTHERS THEN
                errors := errors || jsonb_build_object('entity_type', e.entity_type, 'tenant_id', tenant, 'error', SQLERRM);
            END;
        END LOOP;
        IF n > 0 THEN
            deleted := deleted || jsonb_build_object(e.entity_type, n);
            total_deleted := total_deleted + n;
            IF e.entity_type = 'AuditLog' THEN audit_cleaned := audit_cleaned + n; END IF;
        END IF;
    END LOOP;
    tiers := update_storage_tiers();
    IF to_regprocedure('timeseries_maintenance(timestamptz)') IS NOT NULL THEN
        EXECUTE 'SELECT timeseries_maintenance()' INTO ts;
    END IF;
    SELECT coalesce(jsonb_agg(jsonb_build_object('entity_type', c.entity_type, 'tenant_id', c.tenant_id, 'action', c.action,
                                                 'rows', c.row_count, 'held', c.held)), '[]')
    INTO due FROM get_archival_candidates() c WHERE c.action IN ('ARCHIVE', 'EXPIRE') AND c.row_count + c.held > 0;
    SELECT coalesce(jsonb_object_agg(p.entity_type, p.managed_by), '{}') INTO elsewhere
    FROM pms_retention.policies p WHERE p.managed_by <> 'ARCHIVER';
    RETURN jsonb_build_object(
        'archived', 0,
        'tiers_updated', tiers,
        'expired_deleted', total_deleted,
        'expired_deleted_by_type', deleted,
        'audit_logs_cleaned', audit_cleaned,
        'managed_elsewhere', elsewhere,
        'partitions_created', coalesce((ts ->> 'partitions_created')::bigint, 0),
        'timeseries', ts,
        'archive_due', due,
        'errors', errors,
        'duration_ms', round(extract(epoch FROM clock_timestamp() - started) * 1000));
END
$$;
