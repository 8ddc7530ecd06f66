-- Erasure of a person in the database tiers, in the caller's transaction, following the
-- erasure plan (pms_retention.erasure_rules, 050_retention_erasure_rules.sql) table by table:
-- their own rows deleted, their compliance records kept under their pseudonym with their words
-- scrubbed, other rows that name them pointing at the pseudonym, their id, email, full name and
-- employee number scrubbed from every free text and JSON column of their tenant; then the
-- archive queue, the hooks of other tiers (time-series) and the account itself. The pseudonym
-- is an account of its own ("Erased Person", terminated) that takes the person's place under
-- their manager, so every foreign key, CHECK and the reporting hierarchy stay true. The archive
-- objects are rewritten by pms_archive::erase before this runs; the audit trail is redacted
-- after it, in the same transaction, by pms_meta.audit_redact_person (040_audit_redaction.sql).

-- Columns the erasure plan has no rule for, as 'table.column (why)': erasure refuses to run
-- while there is one (a foreign key without a rule would stop the account's deletion, any
-- other would leave the person behind). Empty when the plan covers the schema.
CREATE OR REPLACE FUNCTION pms_retention.erasure_plan_gaps() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT c.table_name || '.' || c.column_name || ' (' || c.why || ')'
    FROM pms_retention.erasure_coverage c WHERE c.action IS NULL
    UNION ALL
    SELECT p.table_name || '.' || p.column_name || ' (rule: ' || p.problem || ')'
    FROM pms_retention.erasure_rule_problems p
$$;

CREATE OR REPLACE FUNCTION pms_retention.erase_person_hot(p_tenant uuid, p_person uuid, p_pseudonym uuid, p_terms text[])
RETURNS jsonb LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public AS $$
DECLARE
    v_terms text[];
    v_strong text[];
    v_needles text[];
    v_gaps text;
    t record;
    s record;
    q record;
    x record;
    n bigint;
    counts jsonb;
    report jsonb := '{}';
    hooks jsonb := '{}';
    h record;
    out jsonb;
    queue_deleted bigint := 0;
    queue_rewritten bigint := 0;
BEGIN
    IF p_tenant IS NULL OR p_person IS NULL OR p_pseudonym IS NULL OR p_person = p_pseudonym THEN
        RAISE EXCEPTION 'erasure needs a tenant, a person and a different pseudonym' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF pms_retention.person_held(p_tenant, p_person) THEN
        RAISE EXCEPTION 'person % of tenant % is under a legal hold: nothing erased', p_person, p_tenant
            USING ERRCODE = 'object_in_use';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = p_tenant AND u.id = p_person) THEN
        RAISE EXCEPTION 'no user % in tenant %: nothing erased', p_person, p_tenant USING ERRCODE = 'no_data_found';
    END IF;
    IF EXISTS (SELECT 1 FROM privacy_erasures e WHERE e.tenant_id = p_tenant AND e.pseudonym_id = p_person) THEN
        RAISE EXCEPTION 'user % of tenant % is the pseudonym of an erased person: nobody to erase', p_person, p_tenant
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT string_agg(g, ', ') INTO v_gaps FROM pms_retention.erasure_plan_gaps() g;
    IF v_gaps IS NOT NULL THEN
        RAISE EXCEPTION 'the erasure plan has no rule for %: nothing erased (add rules to pms_retention.erasure_rules)', v_gaps
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    v_terms := coalesce(p_terms, pms_retention.person_terms(p_tenant, p_person));
    v_strong := pms_retention.strong_terms(p_tenant, p_person, v_terms);
    v_needles := array_append((SELECT coalesce(array_agg(lower(w)), '{}') FROM unnest(v_strong) w), p_person::text);

    INSERT INTO users (tenant_id, id, email, first_name, last_name, status, deleted_at, manager_id)
    SELECT p_tenant, p_pseudonym, 'erased-' || left(replace(p_pseudonym::text, '-', ''), 16) || '@erased.invalid',
           'Erased', 'Person', 'TERMINATED', now(), u.manager_id
    FROM users u WHERE u.tenant_id = p_tenant AND u.id = p_person
    ON CONFLICT DO NOTHING;

    FOR t IN SELECT DISTINCT r.table_name FROM pms_retention.erasure_rules r
             WHERE r.action IN ('DELETE', 'COMPLIANCE', 'PSEUDONYMISE', 'REMOVE', 'SCRUB')
               AND pms_retention.rule_table(r.table_name) IS NOT NULL
             ORDER BY 1 LOOP
        counts := '{}';
        FOR s IN SELECT * FROM pms_retention.erasure_statements(t.table_name) LOOP
            EXECUTE s.statement USING p_tenant, p_person, p_pseudonym, v_terms, v_strong, v_needles;
            GET DIAGNOSTICS n = ROW_COUNT;
            IF n > 0 THEN
                counts := counts || jsonb_build_object(CASE s.step WHEN 'delete' THEN 'deleted' WHEN 'keep' THEN 'kept'
                                                                   ELSE 'pseudonymised' END, n);
            END IF;
        END LOOP;
        IF counts <> '{}' THEN
            report := report || jsonb_build_object(t.table_name, counts);
        END IF;
    END LOOP;

    -- The archive queue (entities handed to archive_entity, not yet in an object), row by row.
    FOR q IN SELECT * FROM archive_pending p
             WHERE p.tenant_id = p_tenant
               AND (p_person = ANY (p.person_ids)
                    OR EXISTS (SELECT 1 FROM unnest(v_needles) w WHERE strpos(lower(p.data::text), w) > 0))
             FOR UPDATE LOOP
        SELECT * INTO x FROM pms_retention.erase_row(q.entity_type, q.data, p_person, p_pseudonym, v_terms, v_strong);
        IF x.action = 'DELETE' THEN
            DELETE FROM archive_pending p WHERE p.tenant_id = q.tenant_id AND p.entity_type = q.entity_type AND p.id = q.id;
            queue_deleted := queue_deleted + 1;
        ELSIF x.action <> 'NONE' OR p_person = ANY (q.person_ids) THEN
            UPDATE archive_pending p SET data = coalesce(x.row_after, q.data), person_ids = array_replace(q.person_ids, p_person, p_pseudonym)
            WHERE p.tenant_id = q.tenant_id AND p.entity_type = q.entity_type AND p.id = q.id;
            queue_rewritten := queue_rewritten + 1;
        END IF;
    END LOOP;

    FOR h IN SELECT * FROM pms_retention.erasure_hooks ORDER BY name LOOP
        EXECUTE format('SELECT %s($1, $2, $3)', h.function::regproc) INTO out USING p_tenant, p_person, p_pseudonym;
        hooks := hooks || jsonb_build_object(h.name, out);
    END LOOP;
    DELETE FROM users u WHERE u.tenant_id = p_tenant AND u.id = p_person;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN jsonb_build_object('tables', report, 'archive_pending_deleted', queue_deleted,
                              'archive_pending_pseudonymised', queue_rewritten,
                              'hooks', hooks, 'account_deleted', n > 0, 'pseudonym', p_pseudonym);
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pms_retention TO pms_app, pms_maintenance, pms_readonly;
