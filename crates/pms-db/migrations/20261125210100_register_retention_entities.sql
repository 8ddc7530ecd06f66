-- Registers the tables that hold each entity type. Tables of other areas are registered only
-- when they exist (to_regclass), with the person columns they actually have, so this migration
-- takes effect wherever the domain, audit and notification tables are present and is harmless
-- where they are not. Check the outcome with: SELECT * FROM pms_retention.entities;

-- Registers (or re-registers) entity_type -> table. The first of p_time_columns that exists is
-- the age column; person columns are the uuid columns naming people (erasure, person holds).
-- With p_if_present a missing table or column is skipped (returns false) instead of an error.
CREATE FUNCTION pms_retention.register_entity(
    p_entity_type text,
    p_table text,
    p_person_columns name[] DEFAULT '{}',
    p_time_columns name[] DEFAULT '{created_at}',
    p_id_column name DEFAULT 'id',
    p_if_present boolean DEFAULT false
) RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    rel regclass := to_regclass(p_table);
    time_col name;
    persons name[];
    missing text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pms_retention.policies WHERE entity_type = p_entity_type) THEN
        RAISE EXCEPTION 'unknown entity type %: add a retention policy first', p_entity_type
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF rel IS NULL THEN
        IF p_if_present THEN RETURN false; END IF;
        RAISE EXCEPTION 'table % does not exist', p_table USING ERRCODE = 'undefined_table';
    END IF;
    SELECT c INTO time_col FROM unnest(p_time_columns) WITH ORDINALITY AS u(c, n)
    WHERE EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = u.c AND NOT a.attisdropped
                    AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype))
    ORDER BY n LIMIT 1;
    SELECT string_agg(c, ', ') INTO missing FROM unnest(ARRAY[p_id_column, 'tenant_id']::name[]) AS c
    WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = c AND NOT a.attisdropped);
    IF time_col IS NULL OR missing IS NOT NULL THEN
        IF p_if_present THEN RETURN false; END IF;
        RAISE EXCEPTION 'table % lacks column(s) %', p_table,
            concat_ws(', ', missing, CASE WHEN time_col IS NULL THEN 'a time column among ' || p_time_columns::text END)
            USING ERRCODE = 'undefined_column';
    END IF;
    SELECT coalesce(array_agg(c ORDER BY n), '{}') INTO persons FROM unnest(p_person_columns) WITH ORDINALITY AS u(c, n)
    WHERE EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = u.c AND NOT a.attisdropped
                    AND a.atttypid = 'uuid'::regtype);
    IF cardinality(persons) <> cardinality(p_person_columns) AND NOT p_if_present THEN
        RAISE EXCEPTION 'table %: person columns must be existing uuid columns, got %', p_table, p_person_columns
            USING ERRCODE = 'undefined_column';
    END IF;
    INSERT INTO pms_retention.entities (entity_type, table_name, id_column, time_column, person_columns)
    VALUES (p_entity_type, rel::text, p_id_column, time_col, persons)
    ON CONFLICT (entity_type) DO UPDATE SET table_name = excluded.table_name, id_column = excluded.id_column,
        time_column = excluded.time_column, person_columns = excluded.person_columns, registered_at = now();
    RETURN true;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_retention.register_entity(text, text, name[], name[], name, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_retention.register_entity(text, text, name[], name[], name, boolean) TO pms_maintenance;

SELECT pms_retention.register_entity(e, t, p, tc, 'id', true)
FROM (VALUES
    ('PerformanceReview', 'performance_reviews', '{employee_id,reviewee_id,reviewer_id,manager_id,user_id}'::name[], '{created_at}'::name[]),
    ('Feedback', 'feedback', '{giver_id,receiver_id,from_user_id,to_user_id,author_id,recipient_id,subject_id,requester_id}', '{created_at}'),
    ('Goal', 'goals', '{owner_id,user_id,employee_id,created_by}', '{created_at}'),
    ('PIP', 'performance_improvement_plans', '{employee_id,manager_id,hr_partner_id,created_by}', '{created_at}'),
    ('AuditLog', 'audit_log', '{user_id,actor_id,actor_user_id,subject_user_id}', '{occurred_at,created_at,logged_at}'),
    ('Notification', 'notifications', '{user_id,recipient_id,sender_id}', '{created_at}'),
    ('OneOnOne', 'one_on_ones', '{employee_id,manager_id,organizer_id}', '{created_at}'),
    ('CalibrationSession', 'calibration_sessions', '{facilitator_id,created_by}', '{created_at}'),
    ('SurveyResponse', 'survey_responses', '{respondent_id,user_id}', '{created_at,submitted_at}'),
    ('SuccessionPlan', 'succession_plans', '{position_holder_id,owner_id,created_by}', '{created_at}')
) AS v(e, t, p, tc);
