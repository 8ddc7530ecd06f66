-- Verified bulk loads: how `pms seed --employees N` fills a brand-new tenant without one
-- foreign-key query and one audit entry per row, while the database still checks every row.
--
-- A bulk-load session is one that a superuser put in session_replication_role = replica (so
-- PostgreSQL's per-row RI triggers do not fire) and that names its batch in the setting
-- pms.bulk_load. Only a superuser can set the first: pms_app, pms_maintenance and pms_owner
-- cannot, and a superuser could disable any trigger anyway. On a table enabled for it
-- (pms_meta.enable_bulk_load), each INSERT or COPY of such a session is checked, set-based,
-- by the statement trigger bulk_load_verify before the transaction can commit:
--   * every new row belongs to the transaction's tenant (app.tenant_id): RLS's WITH CHECK;
--   * every foreign key: one statement looks up each distinct referenced key by the parent's
--     key index, locking the rows other transactions committed FOR KEY SHARE (as the RI
--     trigger does, so a concurrent delete cannot slip in), and counts the keys not found;
--   * no other per-row INSERT trigger of the table is silenced by replica mode.
-- A violation raises foreign_key_violation and the batch's transaction rolls back whole. The
-- statement is recorded in pms_meta.bulk_loads (rows, content digest); for an audited table
-- that record becomes one entry of the tenant's audit chain at commit, instead of one entry
-- per row (so parallel batches of one tenant hold the chain head only while committing).
-- UPDATE and DELETE are refused in a bulk-load session: only inserts are verified.

CREATE TABLE pms_meta.bulk_loads (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    batch       text NOT NULL CHECK (length(batch) BETWEEN 1 AND 200),
    table_name  text NOT NULL,
    row_count   bigint NOT NULL CHECK (row_count >= 0),
    rows_sha256 bytea NOT NULL CHECK (length(rows_sha256) = 32),
    db_user     text NOT NULL DEFAULT session_user,
    txid        bigint NOT NULL DEFAULT txid_current(),
    loaded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON TABLE pms_meta.bulk_loads IS
    'Ledger of verified bulk loads: one row per INSERT/COPY statement of a bulk-load session, with its row count and the SHA-256 of its rows (binary form, record_send, ordered by id).';
REVOKE ALL ON pms_meta.bulk_loads FROM PUBLIC, pms_app, pms_maintenance;
GRANT SELECT ON pms_meta.bulk_loads TO pms_maintenance, pms_readonly;

-- True in a bulk-load session. (The audit trigger's WHEN spells the same test out with
-- pg_catalog functions only, so that every writer can evaluate it without a grant.)
CREATE FUNCTION pms_meta.bulk_load_active() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.current_setting('session_replication_role') = 'replica'
       AND coalesce(pg_catalog.current_setting('pms.bulk_load', true), '') <> ''
$$;

-- The statement trigger of a bulk-enabled table: see the top of this file.
CREATE FUNCTION pms_meta.bulk_load_verify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_batch text := current_setting('pms.bulk_load', true);
    v_tenant uuid := public.pms_current_tenant();
    v_me xid := pg_current_xact_id()::xid;
    v_rows bigint;
    v_foreign bigint;
    v_silenced text;
    v_fk record;
    v_refs text;
    v_match text;
    v_missing bigint;
    v_example text;
    v_digest bytea;
BEGIN
    IF NOT pms_meta.bulk_load_active() THEN
        RETURN NULL;
    END IF;
    IF v_tenant IS NULL THEN
        RAISE EXCEPTION 'bulk load % into %: no tenant set for this transaction (app.tenant_id)', v_batch, TG_TABLE_NAME
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT string_agg(quote_ident(t.tgname), ', ' ORDER BY t.tgname) INTO v_silenced
      FROM pg_trigger t
     WHERE t.tgrelid = TG_RELID AND NOT t.tgisinternal AND t.tgenabled = 'O' AND (t.tgtype & 4) <> 0;
    IF v_silenced IS NOT NULL THEN
        RAISE EXCEPTION 'bulk load % into %: trigger(s) % would not fire in a bulk-load session; load this table the ordinary way',
            v_batch, TG_TABLE_NAME, v_silenced USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT count(*), count(*) FILTER (WHERE n.tenant_id IS DISTINCT FROM v_tenant)
      INTO v_rows, v_foreign FROM new_rows n;
    IF v_foreign > 0 THEN
        RAISE EXCEPTION 'bulk load % into %: % of % rows belong to another tenant than %', v_batch, TG_TABLE_NAME,
            v_foreign, v_rows, v_tenant USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR v_fk IN
        SELECT c.conname, c.confrelid::regclass AS parent, c.confmatchtype,
               array_agg(quote_ident(a.attname) ORDER BY k.ord) AS cols,
               array_agg(quote_ident(pa.attname) ORDER BY k.ord) AS pcols
          FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k (col, pcol, ord)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
          JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pcol
         WHERE c.conrelid = TG_RELID AND c.contype = 'f'
         GROUP BY c.oid, c.conname, c.confrelid, c.confmatchtype
    LOOP
        IF v_fk.confmatchtype <> 's' THEN
            RAISE EXCEPTION 'bulk load % into %: foreign key % is not MATCH SIMPLE; load this table the ordinary way',
                v_batch, TG_TABLE_NAME, v_fk.conname USING ERRCODE = 'feature_not_supported';
        END IF;
        -- The distinct non-null keys the new rows reference (MATCH SIMPLE: a NULL column means
        -- no reference), each looked up by the parent's key index: a row this transaction
        -- inserted as is, another's locked FOR KEY SHARE (as the RI trigger locks it, so it
        -- cannot be deleted before we commit). Probes per key, not a join: the planner's
        -- statistics of a table that is being bulk-loaded are stale, and a join planned on
        -- them can scan the whole parent table once per key.
        v_refs := format('SELECT DISTINCT %s FROM new_rows n WHERE %s',
                         (SELECT string_agg(format('n.%s AS k%s', c, o), ', ') FROM unnest(v_fk.cols) WITH ORDINALITY AS u (c, o)),
                         (SELECT string_agg(format('n.%s IS NOT NULL', c), ' AND ') FROM unnest(v_fk.cols) AS c));
        v_match := (SELECT string_agg(format('p.%s = r.k%s', c, o), ' AND ') FROM unnest(v_fk.pcols) WITH ORDINALITY AS u (c, o));
        EXECUTE format('SELECT count(*), min(concat_ws(%L, %s)) FROM (%s) r '
                       'WHERE coalesce((SELECT 1 FROM %s p WHERE %s AND p.xmin = $1), '
                       '               (SELECT 1 FROM %s p WHERE %s AND NOT p.xmin = $1 FOR KEY SHARE OF p)) IS NULL',
                       ', ',
                       (SELECT string_agg(format('r.k%s', o), ', ') FROM generate_series(1, cardinality(v_fk.cols)) AS o),
                       v_refs, v_fk.parent, v_match, v_fk.parent, v_match)
            INTO v_missing, v_example USING v_me;
        IF v_missing > 0 THEN
            RAISE EXCEPTION 'bulk load % into %: % row(s) reference a missing % row, e.g. (%) = (%); constraint %, the batch is rolled back',
                v_batch, TG_TABLE_NAME, v_missing, v_fk.parent, array_to_string(v_fk.cols, ', '), v_example, v_fk.conname
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END LOOP;
    -- The binary form (independent of the session's settings, and cheaper than text).
    SELECT sha256(coalesce(string_agg(record_send(n), ''::bytea ORDER BY n.id), ''::bytea))
      INTO v_digest FROM new_rows n;
    INSERT INTO pms_meta.bulk_loads (tenant_id, batch, table_name, row_count, rows_sha256)
    VALUES (v_tenant, left(v_batch, 200), TG_TABLE_NAME, v_rows, v_digest);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.bulk_load_verify() FROM PUBLIC;

-- Deferred to commit: a bulk load into an audited table becomes one entry of the tenant's
-- audit chain (operation INSERT, no row id, changes = {"bulk_load": {batch, rows, rows_sha256}}).
CREATE FUNCTION pms_meta.bulk_load_audit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_entity text;
    v_saved_tenant text := current_setting('app.tenant_id', true);
    v_chain record;
    v_e public.audit_log;
BEGIN
    SELECT a.entity_type INTO v_entity FROM pms_meta.audited_tables a WHERE a.table_name = NEW.table_name;
    IF v_entity IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('app.tenant_id', NEW.tenant_id::text, true);
    v_chain := pms_meta.audit_chain_next(NEW.tenant_id, 'audit');
    v_e.tenant_id := NEW.tenant_id;
    v_e.id := gen_random_uuid();
    v_e.seq := v_chain.next_seq;
    v_e.occurred_at := clock_timestamp();
    v_e.table_name := NEW.table_name;
    v_e.entity_type := v_entity;
    v_e.operation := 'INSERT';
    v_e.row_id := NULL;
    v_e.changes := jsonb_build_object('bulk_load', jsonb_build_object(
        'batch', NEW.batch, 'rows', NEW.row_count, 'rows_sha256', encode(NEW.rows_sha256, 'hex')));
    v_e.actor_user_id := public.pms_current_user_id();
    v_e.request_id := left(nullif(current_setting('app.request_id', true), ''), 200);
    v_e.db_user := session_user;
    v_e.txid := txid_current();
    v_e.prev_hash := v_chain.prev_hash;
    v_e.hash := public.audit_chain_hash(v_e.prev_hash, public.audit_log_canonical(v_e));
    INSERT INTO public.audit_log SELECT (v_e).*;
    PERFORM set_config('app.tenant_id', coalesce(v_saved_tenant, ''), true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.bulk_load_audit() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER bulk_load_audit AFTER INSERT ON pms_meta.bulk_loads
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pms_meta.bulk_load_audit();
ALTER TABLE pms_meta.bulk_loads ENABLE ALWAYS TRIGGER bulk_load_audit;

-- Only inserts are verified, so a bulk-load session may not update or delete.
CREATE FUNCTION pms_meta.bulk_load_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF pms_meta.bulk_load_active() THEN
        RAISE EXCEPTION '% on % in a bulk-load session is refused: only inserts are verified there', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.bulk_load_guard() FROM PUBLIC;

-- Enables verified bulk loads on a tenant table (a tenant_id and an id column): the verify and
-- guard triggers, and, when the table is audited, an audit trigger that steps aside in a
-- bulk-load session (bulk_load_verify records those rows instead). Idempotent.
CREATE FUNCTION pms_meta.enable_bulk_load(tbl regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_table text;
    v_audit record;
BEGIN
    SELECT c.relname INTO v_table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = tbl AND n.nspname = 'public' AND c.relkind = 'r';
    IF v_table IS NULL THEN
        RAISE EXCEPTION 'enable_bulk_load: % is not a plain table in schema public', tbl;
    END IF;
    IF (SELECT count(*) FROM pg_attribute WHERE attrelid = tbl AND attname IN ('tenant_id', 'id')
          AND atttypid = 'uuid'::regtype AND NOT attisdropped) <> 2 THEN
        RAISE EXCEPTION 'enable_bulk_load: % needs uuid columns tenant_id and id', tbl;
    END IF;
    EXECUTE format('DROP TRIGGER IF EXISTS bulk_load_verify ON %s', tbl);
    EXECUTE format('CREATE TRIGGER bulk_load_verify AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_verify()', tbl);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER bulk_load_verify', tbl);
    EXECUTE format('DROP TRIGGER IF EXISTS bulk_load_guard ON %s', tbl);
    EXECUTE format('CREATE TRIGGER bulk_load_guard BEFORE UPDATE OR DELETE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION pms_meta.bulk_load_guard()', tbl);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER bulk_load_guard', tbl);
    SELECT a.* INTO v_audit FROM pms_meta.audited_tables a WHERE a.table_name = v_table;
    IF FOUND THEN
        EXECUTE format('DROP TRIGGER IF EXISTS audit_row_change ON %s', tbl);
        EXECUTE format('CREATE TRIGGER audit_row_change AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
                       'WHEN (pg_catalog.current_setting(''session_replication_role'') <> ''replica'' '
                       '   OR coalesce(pg_catalog.current_setting(''pms.bulk_load'', true), '''') = '''') '
                       'EXECUTE FUNCTION pms_meta.audit_row_change(%L, %L, %L)',
                       tbl, v_audit.tenant_column, coalesce(v_audit.row_id_column, ''), v_audit.entity_type);
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER audit_row_change', tbl);
    END IF;
END
$$;

-- The tables `pms seed --employees` loads per batch of people, and its ledger of batches.
SELECT pms_meta.enable_bulk_load(t)
FROM unnest(ARRAY['users', 'user_roles', 'reporting_lines', 'teams', 'team_members', 'goals',
                  'key_results', 'performance_reviews', 'feedback', 'one_on_ones',
                  'seed_batches']::regclass[]) AS t;
