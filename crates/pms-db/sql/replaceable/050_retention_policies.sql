-- Retention: effective policies, legal holds, candidate selection and deletion, helpers the
-- archiver (crate pms-archive) calls. SECURITY INVOKER throughout: under pms_app they see one
-- tenant (RLS); the worker runs them as pms_maintenance across tenants.

-- A tenant's policy for an entity type: its override when it has one, else the default.
-- No SET clause, so the planner can inline it.
CREATE OR REPLACE FUNCTION pms_retention.effective_policy(p_tenant uuid, p_entity text)
RETURNS TABLE (hot_for interval, warm_for interval, cold_for interval, archive_for interval, compliance boolean)
LANGUAGE sql STABLE AS $$
    SELECT coalesce(o.hot_for, p.hot_for), coalesce(o.warm_for, p.warm_for), coalesce(o.cold_for, p.cold_for),
           CASE WHEN o.id IS NULL THEN p.archive_for ELSE o.archive_for END, p.compliance
    FROM pms_retention.policies p
    LEFT JOIN public.retention_policy_overrides o ON o.entity_type = p.entity_type AND o.tenant_id = p_tenant
    WHERE p.entity_type = p_entity
$$;

-- Every visible tenant's policy for an entity type, for one hash join in per-row queries.
CREATE OR REPLACE FUNCTION pms_retention.tenant_policies(p_entity text)
RETURNS TABLE (tenant_id uuid, hot_for interval, warm_for interval, cold_for interval, archive_for interval)
LANGUAGE sql STABLE AS $$
    SELECT tn.id, pol.hot_for, pol.warm_for, pol.cold_for, pol.archive_for
    FROM public.tenants tn CROSS JOIN LATERAL pms_retention.effective_policy(tn.id, p_entity) pol
$$;

-- Raises a clear error for an entity type without a policy.
CREATE OR REPLACE FUNCTION pms_retention.require_policy(p_entity text) RETURNS pms_retention.policies
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
DECLARE
    p pms_retention.policies;
BEGIN
    SELECT * INTO p FROM pms_retention.policies WHERE entity_type = p_entity;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown entity type %; known: %', coalesce(p_entity, 'NULL'),
            (SELECT string_agg(entity_type, ', ' ORDER BY entity_type) FROM pms_retention.policies)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN p;
END
$$;

-- The registry row of an entity type whose table exists, or NULL.
CREATE OR REPLACE FUNCTION pms_retention.live_entity(p_entity text) RETURNS pms_retention.entities
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT e FROM pms_retention.entities e WHERE e.entity_type = p_entity AND to_regclass(e.table_name) IS NOT NULL
$$;

-- True while a legal hold covers the entity: its tenant, one of its people, or itself.
CREATE OR REPLACE FUNCTION pms_retention.is_held(p_tenant uuid, p_entity text, p_id text, p_persons uuid[])
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.legal_holds h
        WHERE h.tenant_id = p_tenant AND h.released_at IS NULL
          AND (h.scope = 'TENANT'
               OR (h.scope = 'PERSON' AND h.person_id = ANY (p_persons))
               OR (h.scope = 'ENTITY' AND h.entity_type = p_entity AND h.entity_id = p_id)))
$$;

-- SQL expression for the people of a row (alias t) from its person columns, as uuid[].
CREATE OR REPLACE FUNCTION pms_retention.persons_sql(p_columns name[]) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN cardinality(p_columns) = 0 THEN '''{}''::uuid[]'
           ELSE 'array_remove(ARRAY[' || (SELECT string_agg(format('t.%I', c), ', ') FROM unnest(p_columns) c)
                || ']::uuid[], NULL)' END
$$;

-- The hold predicate for rows of e (alias t) in dynamic SQL whose $1 is the tenant and $3 the
-- entity type: plain `true` when the tenant has no active hold, so unheld tenants pay nothing.
CREATE OR REPLACE FUNCTION pms_retention.not_held_sql(p_tenant uuid, e pms_retention.entities) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id = p_tenant AND h.released_at IS NULL)
                THEN format('NOT pms_retention.is_held($1, $3, t.%I::text, %s)', e.id_column, pms_retention.persons_sql(e.person_columns))
                ELSE 'true' END
$$;

-- Up to p_limit rows of one tenant and type due for the archive (past the cold tier), oldest
-- first, locked FOR UPDATE (SKIP LOCKED) by the calling transaction until it deletes them.
-- Entities queued by archive_entity() come first.
CREATE OR REPLACE FUNCTION retention_candidate_rows(p_entity text, p_tenant uuid, p_limit integer)
RETURNS TABLE (source text, entity_id text, created_at timestamptz, person_ids uuid[], data jsonb)
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public AS $$
DECLARE
    pol record;
    e pms_retention.entities;
    n bigint;
BEGIN
    PERFORM pms_retention.require_policy(p_entity);
    IF p_limit IS NULL OR p_limit < 1 THEN
        RAISE EXCEPTION 'batch size must be at least 1, got %', p_limit USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO pol FROM pms_retention.effective_policy(p_tenant, p_entity);
    RETURN QUERY
        SELECT 'pending'::text, q.id, q.created_at, q.person_ids, q.data FROM archive_pending q
        WHERE q.tenant_id = p_tenant AND q.entity_type = p_entity
          AND NOT pms_retention.is_held(p_tenant, p_entity, q.id, q.person_ids)
        ORDER BY q.created_at, q.id LIMIT p_limit FOR UPDATE SKIP LOCKED;
    GET DIAGNOSTICS n = ROW_COUNT;
    e := pms_retention.live_entity(p_entity);
    IF n >= p_limit OR pol.archive_for IS NULL OR e.entity_type IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT ''table''::text, t.%1$I::text, t.%2$I::timestamptz, %3$s, to_jsonb(t) FROM %4$s t
         WHERE t.%5$I = $1 AND t.%2$I < now() - $2 AND %6$s
         ORDER BY t.%2$I, t.%1$I LIMIT $4 FOR UPDATE OF t SKIP LOCKED',
        e.id_column, e.time_column, pms_retention.persons_sql(e.person_columns), e.table_name, e.tenant_column,
        pms_retention.not_held_sql(p_tenant, e))
        USING p_tenant, pol.cold_for, p_entity, p_limit - n;
END
$$;

-- Deletes archived rows (from the table and the pending queue) by id; returns how many.
CREATE OR REPLACE FUNCTION retention_delete_rows(p_entity text, p_tenant uuid, p_ids text[])
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public AS $$
DECLARE
    e pms_retention.entities;
    id_type text;
    n bigint;
    m bigint := 0;
BEGIN
    PERFORM pms_retention.require_policy(p_entity);
    DELETE FROM archive_pending q WHERE q.tenant_id = p_tenant AND q.entity_type = p_entity AND q.id = ANY (p_ids);
    GET DIAGNOSTICS n = ROW_COUNT;
    e := pms_retention.live_entity(p_entity);
    IF e.entity_type IS NOT NULL THEN
        SELECT format_type(a.atttypid, a.atttypmod) INTO id_type FROM pg_attribute a
        WHERE a.attrelid = e.table_name::regclass AND a.attname = e.id_column;
        EXECUTE format('DELETE FROM %s t WHERE t.%I = $1 AND t.%I = ANY ($2::%s[])',
                       e.table_name, e.tenant_column, e.id_column, id_type)
            USING p_tenant, p_ids;
        GET DIAGNOSTICS m = ROW_COUNT;
    END IF;
    RETURN n + m;
END
$$;

-- Deletes rows past the end of their life (cold for delete policies, archive otherwise) that no
-- legal hold covers; returns how many.
CREATE OR REPLACE FUNCTION retention_delete_expired(p_entity text, p_tenant uuid)
RETURNS bigint LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public AS $$
DECLARE
    pol record;
    e pms_retention.entities := pms_retention.live_entity(p_entity);
    n bigint;
BEGIN
    PERFORM pms_retention.require_policy(p_entity);
    IF e.entity_type IS NULL THEN
        RETURN 0;
    END IF;
    SELECT * INTO pol FROM pms_retention.effective_policy(p_tenant, p_entity);
    EXECUTE format(
        'DELETE FROM %1$s t WHERE t.%2$I = $1 AND t.%3$I < now() - $2 AND %4$s',
        e.table_name, e.tenant_column, e.time_column, pms_retention.not_held_sql(p_tenant, e))
        USING p_tenant, coalesce(pol.archive_for, pol.cold_for), p_entity;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- Tenants that have rows of an entity type in its table (for per-tenant work).
CREATE OR REPLACE FUNCTION pms_retention.tenants_with_rows(p_entity text) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
DECLARE
    e pms_retention.entities := pms_retention.live_entity(p_entity);
BEGIN
    RETURN QUERY SELECT DISTINCT q.tenant_id FROM archive_pending q WHERE q.entity_type = p_entity;
    IF e.entity_type IS NOT NULL THEN
        RETURN QUERY EXECUTE format('SELECT DISTINCT t.%I FROM %s t', e.tenant_column, e.table_name);
    END IF;
END
$$;

-- Archived batches whose every entity is past the archive period and under no hold.
CREATE OR REPLACE FUNCTION retention_expirable_batches(p_limit integer DEFAULT 1000)
RETURNS TABLE (tenant_id uuid, batch_id uuid, entity_type text, object_key text, row_count integer)
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT b.tenant_id, b.id, b.entity_type, b.object_key, b.row_count
    FROM archive_batches b
    CROSS JOIN LATERAL pms_retention.effective_policy(b.tenant_id, b.entity_type) pol
    WHERE b.status = 'ARCHIVED' AND pol.archive_for IS NOT NULL AND b.created_max < now() - pol.archive_for
      AND NOT EXISTS (SELECT 1 FROM archived_entities a
                      WHERE a.tenant_id = b.tenant_id AND a.batch_id = b.id
                        AND pms_retention.is_held(a.tenant_id, a.entity_type, a.id, a.person_ids))
    ORDER BY b.created_max LIMIT p_limit
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pms_retention TO pms_app, pms_maintenance, pms_readonly;
