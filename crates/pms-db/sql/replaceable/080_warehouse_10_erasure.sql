-- Erasure reaches the warehouse: a hook of pms_retention.erase_person_hot (registered in
-- pms_retention.erasure_hooks, called in the erasure's transaction after the OLTP tables and
-- the time-series tier, before the account is deleted and the audit trail redacted).
--
-- It leaves the warehouse as the erased OLTP describes it, without waiting for a sync:
-- * the person's versions in dim_user become the pseudonym's: user_id the pseudonym, the type-1
--   attributes (email, name, employee number, hire date) the pseudonym's account's. The
--   versions' history (department, level, ...) stays, as the redacted audit trail keeps it for
--   the pseudonym, so the facts kept under the pseudonym (the reviews of them, compliance
--   records; feedback they gave) keep their department as of then and the reports their figures;
-- * facts whose OLTP row the erasure deleted (feedback they received, their own goals, survey
--   and pulse answers) are deleted, and so are their per-person rollup facts (the time-series
--   hook deleted the buckets);
-- * references to them in other rows (a manager, a department head) become the pseudonym;
-- * every text column of the tenant's warehouse loses their identifying words, as OLTP text does.
-- Their id is left nowhere in the warehouse and no source names it any more (the audit trail
-- is re-keyed to the pseudonym), so no later sync brings them back. The Parquet export is not
-- touched here: the changed rows change their partitions' fingerprints, so the next
-- `pms warehouse export` rewrites every partition that held the person (and deletes emptied ones).

CREATE OR REPLACE FUNCTION pms_retention.erase_warehouse_person(p_tenant uuid, p_person uuid, p_pseudonym uuid)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    saved text := current_setting('app.tenant_id', true);
    v_terms text[];
    v_strong text[];
    v_needles text[];
    v_keys bigint[];
    n bigint;
    report jsonb := '{}';
    c record;
    v_scrubbed bigint := 0;
BEGIN
    IF p_tenant IS NULL OR p_person IS NULL OR p_pseudonym IS NULL OR p_person = p_pseudonym THEN
        RAISE EXCEPTION 'warehouse erasure needs a tenant, a person and a different pseudonym'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The tables force RLS for their owner too: act inside the person's tenant only.
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    v_terms := pms_retention.person_terms(p_tenant, p_person);
    v_strong := pms_retention.strong_terms(p_tenant, p_person, v_terms);
    v_needles := (SELECT coalesce(array_agg(lower(w)), '{}') FROM unnest(v_strong) w);
    SELECT coalesce(array_agg(d.user_key), '{}') INTO v_keys
      FROM warehouse.dim_user d WHERE d.tenant_id = p_tenant AND d.user_id = p_person;

    -- Facts whose source is gone from OLTP (the erasure deleted it).
    DELETE FROM warehouse.fact_feedback f
     WHERE f.tenant_id = p_tenant AND (f.giver_key = ANY (v_keys) OR f.receiver_key = ANY (v_keys))
       AND NOT EXISTS (SELECT 1 FROM public.feedback x WHERE x.tenant_id = p_tenant AND x.id = f.feedback_id
                         AND x.deleted_at IS NULL);
    GET DIAGNOSTICS n = ROW_COUNT;
    report := report || jsonb_build_object('fact_feedback_deleted', n);
    DELETE FROM warehouse.fact_performance_review f
     WHERE f.tenant_id = p_tenant AND (f.reviewee_key = ANY (v_keys) OR f.reviewer_key = ANY (v_keys))
       AND NOT EXISTS (SELECT 1 FROM public.performance_reviews x WHERE x.tenant_id = p_tenant AND x.id = f.review_id
                         AND x.deleted_at IS NULL);
    GET DIAGNOSTICS n = ROW_COUNT;
    report := report || jsonb_build_object('fact_performance_review_deleted', n);
    DELETE FROM warehouse.fact_goal_progress f
     WHERE f.tenant_id = p_tenant AND f.owner_key = ANY (v_keys)
       AND NOT EXISTS (SELECT 1 FROM public.goals x WHERE x.tenant_id = p_tenant AND x.id = f.goal_id
                         AND x.deleted_at IS NULL);
    GET DIAGNOSTICS n = ROW_COUNT;
    report := report || jsonb_build_object('fact_goal_progress_deleted', n);
    DELETE FROM warehouse.fact_engagement f
     WHERE f.tenant_id = p_tenant
       AND ((f.source = 'WEEKLY' AND f.source_id = p_person)
            OR (f.user_key = ANY (v_keys) AND f.source = 'SURVEY'
                AND NOT EXISTS (SELECT 1 FROM public.survey_responses x WHERE x.tenant_id = p_tenant AND x.id = f.source_id))
            OR (f.user_key = ANY (v_keys) AND f.source = 'PULSE'
                AND NOT EXISTS (SELECT 1 FROM public.pulse_responses x WHERE x.tenant_id = p_tenant AND x.id = f.source_id)));
    GET DIAGNOSTICS n = ROW_COUNT;
    report := report || jsonb_build_object('fact_engagement_deleted', n);
    DELETE FROM warehouse.fact_performance_daily f WHERE f.tenant_id = p_tenant AND f.user_id = p_person;
    GET DIAGNOSTICS n = ROW_COUNT;
    report := report || jsonb_build_object('fact_performance_daily_deleted', n);

    -- Their versions become the pseudonym's, with the pseudonym's type-1 attributes.
    UPDATE warehouse.dim_user d
       SET user_id = p_pseudonym, email = u.email, display_name = coalesce(u.display_name, u.first_name || ' ' || u.last_name),
           employee_number = u.employee_number, hire_date = u.hire_date
      FROM public.users u
     WHERE d.tenant_id = p_tenant AND d.user_id = p_person AND u.tenant_id = p_tenant AND u.id = p_pseudonym;
    GET DIAGNOSTICS n = ROW_COUNT;
    report := report || jsonb_build_object('dim_user_pseudonymised', n);
    UPDATE warehouse.dim_user d SET manager_id = p_pseudonym WHERE d.tenant_id = p_tenant AND d.manager_id = p_person;
    GET DIAGNOSTICS n = ROW_COUNT;
    report := report || jsonb_build_object('dim_user_manager_pseudonymised', n);
    UPDATE warehouse.dim_department d SET head_id = p_pseudonym WHERE d.tenant_id = p_tenant AND d.head_id = p_person;
    GET DIAGNOSTICS n = ROW_COUNT;
    report := report || jsonb_build_object('dim_department_head_pseudonymised', n);

    -- Their identifying words, out of every text column of the tenant's warehouse.
    IF cardinality(v_needles) > 0 THEN
        FOR c IN SELECT a.attrelid::regclass AS rel, a.attname
                   FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid
                   JOIN pg_namespace s ON s.oid = t.relnamespace
                  WHERE s.nspname = 'warehouse' AND t.relkind IN ('r', 'p') AND NOT t.relispartition
                    AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)
                  ORDER BY 1, 2 LOOP
            EXECUTE format('UPDATE %s t SET %I = pms_retention.scrub_text(t.%I, $2)
                             WHERE t.tenant_id = $1 AND EXISTS (SELECT 1 FROM unnest($3) w WHERE strpos(lower(t.%I), w) > 0)',
                           c.rel, c.attname, c.attname, c.attname)
                USING p_tenant, v_strong, v_needles;
            GET DIAGNOSTICS n = ROW_COUNT;
            v_scrubbed := v_scrubbed + n;
        END LOOP;
    END IF;
    report := report || jsonb_build_object('text_scrubbed', v_scrubbed);
    PERFORM set_config('app.tenant_id', coalesce(saved, ''), true);
    RETURN report;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_retention.erase_warehouse_person(uuid, uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_retention.erase_warehouse_person(uuid, uuid, uuid) TO pms_app, pms_maintenance;

INSERT INTO pms_retention.erasure_hooks (name, function)
VALUES ('warehouse', 'pms_retention.erase_warehouse_person'::regproc)
ON CONFLICT (name) DO UPDATE SET function = excluded.function;

-- The erasure plan's lines for the warehouse (pms_retention.erasure_coverage lists its columns):
-- the person references the hook handles, one by one, so that a new one fails the catalog test
-- until the hook handles it too; and the text columns, which the hook scrubs wholesale.
INSERT INTO pms_retention.erasure_rules (table_name, column_name, action, entity_type, tier, pseudonymise_when, reason)
VALUES
    ('warehouse.dim_user', 'user_id', 'TIER', NULL, 'warehouse', NULL, 'their versions become the pseudonym''s (erase_warehouse_person)'),
    ('warehouse.dim_user', 'manager_id', 'TIER', NULL, 'warehouse', NULL, 'their reports'' versions point at the pseudonym (erase_warehouse_person)'),
    ('warehouse.dim_department', 'head_id', 'TIER', NULL, 'warehouse', NULL, 'the departments they headed point at the pseudonym (erase_warehouse_person)'),
    ('warehouse.fact_performance_daily', 'user_id', 'TIER', NULL, 'warehouse', NULL, 'their daily facts go with their rollup buckets (erase_warehouse_person)'),
    ('warehouse.sync_runs', 'details', 'NONE', NULL, NULL, NULL, 'row counts per source of a sync run')
ON CONFLICT (table_name, column_name) DO UPDATE
   SET action = excluded.action, entity_type = excluded.entity_type, tier = excluded.tier,
       pseudonymise_when = excluded.pseudonymise_when, reason = excluded.reason;
INSERT INTO pms_retention.erasure_rules (table_name, column_name, action, tier, reason)
SELECT c.table_name, c.column_name, 'TIER', 'warehouse', 'text: erase_warehouse_person scrubs their identifying words from every text column'
  FROM pms_retention.erasure_coverage c
 WHERE c.table_name LIKE 'warehouse.%' AND c.action IS NULL AND c.why = 'free text'
   AND (c.column_type = 'text' OR c.column_type LIKE 'character varying%')
ON CONFLICT (table_name, column_name) DO NOTHING;
