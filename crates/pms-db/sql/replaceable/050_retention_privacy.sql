-- Erasure of a person in the database tiers: registered tables, the archive queue, the hooks of
-- other tiers (time-series, warehouse) and the account itself. Compliance records are kept with
-- the person replaced by a pseudonym and their identifying words scrubbed; other records about
-- them are deleted. The archive objects are rewritten by pms_archive::erase before this runs.
-- The audit trail (audit_log, security_events) is redacted afterwards, in the same transaction,
-- by pms_meta.audit_redact_person (040_audit_redaction.sql: the maintenance role only), which
-- keeps the hash chains verifiable. The erasure itself is audited.

-- Replaces every whole-word occurrence of each term (case-insensitive) with [erased]: "Jan" is
-- not erased from "Janet". The same rule as pms_archive::scrub in Rust.
CREATE OR REPLACE FUNCTION pms_retention.scrub_text(p_text text, p_terms text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
    term text;
    out text := p_text;
BEGIN
    IF out IS NULL THEN RETURN NULL; END IF;
    FOREACH term IN ARRAY coalesce(p_terms, '{}') LOOP
        CONTINUE WHEN term IS NULL OR length(term) < 2;
        out := regexp_replace(out, '(?<![[:alnum:]_])' || regexp_replace(term, '([.^$*+?()\[\]{}|\\-])', '\\\1', 'g')
                                   || '(?![[:alnum:]_])', '[erased]', 'gi');
    END LOOP;
    RETURN out;
END
$$;

-- Scrubs every string inside a jsonb value (keys are column names and stay): the person's id
-- becomes the pseudonym and each term [erased], as scrub_text does. Working on the strings
-- keeps the value valid JSON whatever the terms are.
CREATE OR REPLACE FUNCTION pms_retention.scrub_jsonb(p_value jsonb, p_person text, p_pseudonym text, p_terms text[])
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
    out jsonb;
BEGIN
    CASE jsonb_typeof(p_value)
        WHEN 'string' THEN
            RETURN to_jsonb(pms_retention.scrub_text(replace(p_value #>> '{}', p_person, p_pseudonym), p_terms));
        WHEN 'object' THEN
            SELECT coalesce(jsonb_object_agg(key, pms_retention.scrub_jsonb(value, p_person, p_pseudonym, p_terms)), '{}'::jsonb)
              INTO out FROM jsonb_each(p_value);
            RETURN out;
        WHEN 'array' THEN
            SELECT coalesce(jsonb_agg(pms_retention.scrub_jsonb(value, p_person, p_pseudonym, p_terms) ORDER BY ord), '[]'::jsonb)
              INTO out FROM jsonb_array_elements(p_value) WITH ORDINALITY AS t(value, ord);
            RETURN out;
        ELSE
            RETURN p_value;
    END CASE;
END
$$;

-- True while a legal hold covers the person (or their whole tenant).
CREATE OR REPLACE FUNCTION pms_retention.person_held(p_tenant uuid, p_person uuid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id = p_tenant AND h.released_at IS NULL
                     AND (h.scope = 'TENANT' OR (h.scope = 'PERSON' AND h.person_id = p_person)))
$$;

CREATE OR REPLACE FUNCTION pms_retention.erase_person_hot(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[])
RETURNS jsonb LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public AS $$
DECLARE
    e record;
    h record;
    sets text;
    n bigint;
    report jsonb := '{}';
    hooks jsonb := '{}';
    out jsonb;
BEGIN
    IF p_tenant IS NULL OR p_person IS NULL OR p_pseudonym IS NULL THEN
        RAISE EXCEPTION 'erasure needs a tenant, a person and a pseudonym' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF pms_retention.person_held(p_tenant, p_person) THEN
        RAISE EXCEPTION 'person % of tenant % is under a legal hold: nothing erased', p_person, p_tenant
            USING ERRCODE = 'object_in_use';
    END IF;
    INSERT INTO users (tenant_id, id, email, first_name, last_name, status, deleted_at)
    VALUES (p_tenant, p_pseudonym, 'erased-' || left(replace(p_pseudonym::text, '-', ''), 16) || '@erased.invalid',
            'Erased', 'Person', 'TERMINATED', now())
    ON CONFLICT DO NOTHING;
    FOR e IN SELECT r.*, p.compliance FROM pms_retention.entities r JOIN pms_retention.policies p USING (entity_type)
             WHERE p.managed_by = 'ARCHIVER' AND to_regclass(r.table_name) IS NOT NULL AND cardinality(r.person_columns) > 0
             ORDER BY 1 LOOP
        IF e.compliance THEN
            SELECT string_agg(x, ', ') INTO sets FROM (
                SELECT format('%1$I = CASE WHEN %1$I = $2 THEN $3 ELSE %1$I END', c) AS x FROM unnest(e.person_columns) c
                UNION ALL
                SELECT CASE WHEN a.atttypid = 'jsonb'::regtype
                            THEN format('%1$I = pms_retention.scrub_text(replace(%1$I::text, $2::text, $3::text), $4)::jsonb', a.attname)
                            ELSE format('%1$I = pms_retention.scrub_text(replace(%1$I, $2::text, $3::text), $4)', a.attname) END
                FROM pg_attribute a
                WHERE a.attrelid = e.table_name::regclass AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'jsonb'::regtype)
                  AND (cardinality(e.pii_columns) = 0 OR a.attname = ANY (e.pii_columns))) s;
            EXECUTE format('UPDATE %s t SET %s WHERE t.%I = $1 AND $2 = ANY (%s)',
                           e.table_name, sets, e.tenant_column, pms_retention.persons_sql(e.person_columns))
                USING p_tenant, p_person, p_pseudonym, p_terms;
            GET DIAGNOSTICS n = ROW_COUNT;
            report := report || jsonb_build_object(e.entity_type, jsonb_build_object('pseudonymised', n));
        ELSE
            EXECUTE format('DELETE FROM %s t WHERE t.%I = $1 AND $2 = ANY (%s)',
                           e.table_name, e.tenant_column, pms_retention.persons_sql(e.person_columns))
                USING p_tenant, p_person;
            GET DIAGNOSTICS n = ROW_COUNT;
            report := report || jsonb_build_object(e.entity_type, jsonb_build_object('deleted', n));
        END IF;
    END LOOP;
    -- The archive queue (entities handed to archive_entity, not yet in an object).
    UPDATE archive_pending q
    SET data = pms_retention.scrub_text(replace(q.data::text, p_person::text, p_pseudonym::text), p_terms)::jsonb,
        person_ids = array_replace(q.person_ids, p_person, p_pseudonym)
    FROM pms_retention.policies p
    WHERE p.entity_type = q.entity_type AND p.compliance AND q.tenant_id = p_tenant AND p_person = ANY (q.person_ids);
    GET DIAGNOSTICS n = ROW_COUNT;
    report := report || jsonb_build_object('archive_pending_pseudonymised', n);
    DELETE FROM archive_pending q USING pms_retention.policies p
    WHERE p.entity_type = q.entity_type AND NOT p.compliance AND q.tenant_id = p_tenant AND p_person = ANY (q.person_ids);
    GET DIAGNOSTICS n = ROW_COUNT;
    report := report || jsonb_build_object('archive_pending_deleted', n);
    FOR h IN SELECT * FROM pms_retention.erasure_hooks ORDER BY name LOOP
        EXECUTE format('SELECT %s($1, $2, $3)', h.function::regproc) INTO out USING p_tenant, p_person, p_pseudonym;
        hooks := hooks || jsonb_build_object(h.name, out);
    END LOOP;
    DELETE FROM users u WHERE u.tenant_id = p_tenant AND u.id = p_person;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN jsonb_build_object('tables', report, 'hooks', hooks, 'account_deleted', n > 0, 'pseudonym', p_pseudonym);
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pms_retention TO pms_app, pms_maintenance, pms_readonly;
