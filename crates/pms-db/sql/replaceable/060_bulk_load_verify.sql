-- Verified bulk loads: the statement-level check of a superuser's bulk-load batch (tenant of
-- every row, foreign keys set-based, row count and content digest into pms_meta.bulk_loads).
-- Last restated in 20261127100000_restate_bulk_load_verify.sql (see its header for what each
-- change bought); it lives here now, re-applied when its text changes.

CREATE OR REPLACE FUNCTION pms_meta.bulk_load_verify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    SET work_mem = '64MB' AS $$
DECLARE
    v_batch text := current_setting('pms.bulk_load', true);
    v_tenant uuid := public.pms_current_tenant();
    v_me xid := pg_current_xact_id()::xid;
    v_rows bigint;
    v_foreign bigint;
    v_silenced text;
    v_fk record;
    v_keys text;
    v_refs text;
    v_match text;
    v_example text;
    v_missing bigint;
    v_missing_key text;
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
    -- One pass over the statement's rows: their number, those of another tenant, and their
    -- digest (the binary form: independent of the session's settings, and cheaper than text).
    SELECT count(*), count(*) FILTER (WHERE n.tenant_id IS DISTINCT FROM v_tenant),
           sha256(coalesce(string_agg(record_send(n), ''::bytea ORDER BY n.id), ''::bytea))
      INTO v_rows, v_foreign, v_digest FROM new_rows n;
    IF v_foreign > 0 THEN
        RAISE EXCEPTION 'bulk load % into %: % of % rows belong to another tenant than %', v_batch, TG_TABLE_NAME,
            v_foreign, v_rows, v_tenant USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR v_fk IN
        SELECT c.conname, c.confrelid::regclass AS parent, c.confmatchtype,
               array_agg(a.attname::text ORDER BY k.ord) AS cols,
               array_agg(pa.attname::text ORDER BY k.ord) AS pcols
          FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k (col, pcol, ord)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
          JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pcol
         WHERE c.conrelid = TG_RELID AND c.contype = 'f' AND v_rows > 0
         GROUP BY c.oid, c.conname, c.confrelid, c.confmatchtype
    LOOP
        IF v_fk.confmatchtype <> 's' THEN
            RAISE EXCEPTION 'bulk load % into %: foreign key % is not MATCH SIMPLE; load this table the ordinary way',
                v_batch, TG_TABLE_NAME, v_fk.conname USING ERRCODE = 'feature_not_supported';
        END IF;
        -- Every new row's tenant_id is the transaction's tenant (checked above), so a key column
        -- that is tenant_id is that constant ($2): the distinct keys are those of the other
        -- columns (MATCH SIMPLE: a NULL column means no reference), and a foreign key on
        -- tenant_id alone is one key. Each key is looked up by the parent's key index: a row
        -- this transaction inserted as is, another's locked FOR KEY SHARE (as the RI trigger
        -- locks it, so it cannot be deleted before we commit). Probes per key, not a join: the
        -- planner's statistics of a table that is being bulk-loaded are stale, and a join
        -- planned on them can scan the whole parent table once per key.
        SELECT string_agg(format('n.%I AS k%s', c, o), ', ') FILTER (WHERE c <> 'tenant_id'),
               string_agg(format('n.%I IS NOT NULL', c), ' AND ') FILTER (WHERE c <> 'tenant_id'),
               string_agg(CASE WHEN c = 'tenant_id' THEN format('p.%I = $2', pc) ELSE format('p.%I = r.k%s', pc, o) END, ' AND '),
               string_agg(CASE WHEN c = 'tenant_id' THEN '$2::text' ELSE format('r.k%s', o) END, ', ')
          INTO v_keys, v_refs, v_match, v_example
          FROM unnest(v_fk.cols, v_fk.pcols) WITH ORDINALITY AS u (c, pc, o);
        v_refs := CASE WHEN v_keys IS NULL THEN 'SELECT'
                       ELSE format('SELECT DISTINCT %s FROM new_rows n WHERE %s', v_keys, v_refs) END;
        EXECUTE format('SELECT count(*), min(concat_ws(%L, %s)) FROM (%s) r '
                       'WHERE coalesce((SELECT 1 FROM %s p WHERE %s AND p.xmin = $1), '
                       '               (SELECT 1 FROM %s p WHERE %s AND NOT p.xmin = $1 FOR KEY SHARE OF p)) IS NULL',
                       ', ', v_example, v_refs, v_fk.parent, v_match, v_fk.parent, v_match)
            INTO v_missing, v_missing_key USING v_me, v_tenant;
        IF v_missing > 0 THEN
            RAISE EXCEPTION 'bulk load % into %: % row(s) reference a missing % row, e.g. (%) = (%); constraint %, the batch is rolled back',
                v_batch, TG_TABLE_NAME, v_missing, v_fk.parent,
                array_to_string(ARRAY(SELECT quote_ident(c) FROM unnest(v_fk.cols) AS c), ', '), v_missing_key, v_fk.conname
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END LOOP;
    INSERT INTO pms_meta.bulk_loads (tenant_id, batch, table_name, row_count, rows_sha256)
    VALUES (v_tenant, left(v_batch, 200), TG_TABLE_NAME, v_rows, v_digest);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.bulk_load_verify() FROM PUBLIC;
