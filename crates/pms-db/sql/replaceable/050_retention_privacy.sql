-- Erasure of a person, the building blocks: scrubbing words out of text and JSON, the words
-- that identify a person, and what the erasure plan (pms_retention.erasure_rules, kept in
-- 050_retention_erasure_rules.sql) does to one table (erasure_statements) and to one row given
-- as JSON (erase_row: the archive queue and archive objects). erase_person_hot, which runs
-- them all in one transaction, is in 050_retention_privacy_erase.sql.

-- Replaces every whole-word occurrence of each term (case-insensitive) with [erased]: "Jan" is
-- not erased from "Janet", nor "Jane" from "Mary-Jane", nor "manager@x.io" from
-- "sales.manager@x.io" (a word joined to the term by . + - or @ is part of it), while "Doe." at
-- the end of a sentence is. The same rule as pms_test_support::integrity::contains_word.
CREATE OR REPLACE FUNCTION pms_retention.scrub_text(p_text text, p_terms text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
    term text;
    out text := p_text;
BEGIN
    IF out IS NULL THEN RETURN NULL; END IF;
    FOREACH term IN ARRAY coalesce(p_terms, '{}') LOOP
        CONTINUE WHEN term IS NULL OR length(term) < 2;
        out := regexp_replace(out, '(?<![[:alnum:]_])(?<![[:alnum:]_][.+@-])'
                                   || regexp_replace(term, '([.^$*+?()\[\]{}|\\-])', '\\\1', 'g')
                                   || '(?![[:alnum:]_])(?![.+@-][[:alnum:]_])', '[erased]', 'gi');
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

-- scrub_text on every element of a text[] (NULL stays NULL).
CREATE OR REPLACE FUNCTION pms_retention.scrub_text_array(p_values text[], p_person text, p_pseudonym text, p_terms text[])
RETURNS text[] LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN p_values IS NULL THEN NULL ELSE
        ARRAY(SELECT pms_retention.scrub_text(replace(v, p_person, p_pseudonym), p_terms)
              FROM unnest(p_values) WITH ORDINALITY AS u(v, o) ORDER BY o) END
$$;

-- True while a legal hold covers the person (or their whole tenant).
CREATE OR REPLACE FUNCTION pms_retention.person_held(p_tenant uuid, p_person uuid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id = p_tenant AND h.released_at IS NULL
                     AND (h.scope = 'TENANT' OR (h.scope = 'PERSON' AND h.person_id = p_person)))
$$;

-- The words that identify a person, from their account: email, full name, display name,
-- employee number, first and last name; at least two characters, each once (whatever its
-- case), longest first so that "Jane Doe" goes before "Jane". Empty for an unknown person.
CREATE OR REPLACE FUNCTION pms_retention.person_terms(p_tenant uuid, p_person uuid) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT coalesce(array_agg(t ORDER BY length(t) DESC, t), '{}')
    FROM (SELECT DISTINCT ON (lower(x.t)) x.t
          FROM users u
          CROSS JOIN LATERAL unnest(ARRAY[u.email, u.first_name || ' ' || u.last_name, u.display_name,
                                          u.employee_number, u.first_name, u.last_name]) AS x(t)
          WHERE u.tenant_id = p_tenant AND u.id = p_person AND length(trim(x.t)) >= 2
          ORDER BY lower(x.t), x.t) s
$$;

-- The terms that identify the person wherever they appear: those with anything but letters in
-- them (an email, a full name, an employee number) that no other person of the tenant shares
-- (two people may be called Zane Rossi: then the name tells them apart from nobody). A first or
-- last name alone is a word other people's text may use ("Will", "Manager"): it is scrubbed
-- from the person's own records only, never from everyone's text.
CREATE OR REPLACE FUNCTION pms_retention.strong_terms(p_tenant uuid, p_person uuid, p_terms text[]) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT coalesce(array_agg(t ORDER BY o), '{}') FROM unnest(p_terms) WITH ORDINALITY AS u(t, o)
    WHERE t ~ '[^[:alpha:]]'
      AND NOT EXISTS (SELECT 1 FROM users x
                      WHERE x.tenant_id = p_tenant AND x.id <> p_person
                        AND lower(t) IN (lower(x.email), lower(x.first_name || ' ' || x.last_name),
                                         lower(x.display_name), lower(x.employee_number)))
$$;


-- What the erasure plan does to one table, as up to three statements over alias t with the
-- parameters $1 tenant, $2 person, $3 pseudonym, $4 all their terms, $5 their strong terms,
-- $6 what finds them in text (the strong terms in lower case and the id):
--   delete        rows that are the person's own (a DELETE column names them and the row is
--                 not the organisation's by pseudonymise_when; or a COMPLIANCE column of a type
--                 that is not a compliance one), unless a compliance column keeps the row;
--   keep          their compliance records: references become the pseudonym, free text loses
--                 every one of their words;
--   pseudonymise  every other row that names them, by reference or in its text: references
--                 become the pseudonym (or leave the array), free text loses their strong
--                 terms; a row whose values would not change is not touched.
-- The person's own account (users.id = $2) is left to the end of the erasure.
CREATE OR REPLACE FUNCTION pms_retention.erasure_statements(p_table text)
RETURNS TABLE (step text, statement text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
DECLARE
    rel regclass := pms_retention.rule_table(p_table);
    r record;
    v_match text;
    kept text[] := '{}';
    gone text[] := '{}';
    named text[] := '{}';
    ref_sets text[] := '{}';
    ref_new text[] := '{}';
    ref_old text[] := '{}';
    scrub_cols text[] := '{}';
    scrub_keep text[] := '{}';
    scrub_other text[] := '{}';
    scrub_find text[] := '{}';
    v_own text := CASE WHEN rel = 'public.users'::regclass THEN ' AND t.id <> $2' ELSE '' END;
BEGIN
    IF rel IS NULL THEN
        RETURN;
    END IF;
    FOR r IN SELECT x.*, a.atttypid AS typ, coalesce(p.compliance, false) AS compliance
             FROM pms_retention.erasure_rules x
             JOIN pg_attribute a ON a.attrelid = rel AND a.attname = x.column_name AND a.attnum > 0 AND NOT a.attisdropped
             LEFT JOIN pms_retention.policies p ON p.entity_type = x.entity_type
             WHERE x.table_name = p_table AND x.action IN ('DELETE', 'COMPLIANCE', 'PSEUDONYMISE', 'REMOVE', 'SCRUB')
             ORDER BY a.attnum LOOP
        IF r.action = 'SCRUB' THEN
            scrub_cols := scrub_cols || format('%I', r.column_name);
            scrub_find := scrub_find || format('EXISTS (SELECT 1 FROM unnest($6) n WHERE strpos(lower(t.%I::text), n) > 0)', r.column_name);
            scrub_keep := scrub_keep || CASE r.typ
                WHEN 'jsonb'::regtype THEN format('pms_retention.scrub_jsonb(t.%I, $2::text, $3::text, $4)', r.column_name)
                WHEN 'text[]'::regtype THEN format('pms_retention.scrub_text_array(t.%I, $2::text, $3::text, $4)', r.column_name)
                ELSE format('pms_retention.scrub_text(replace(t.%I, $2::text, $3::text), $4)', r.column_name) END;
            scrub_other := scrub_other || replace(scrub_keep[cardinality(scrub_keep)], '$4)', '$5)');
            CONTINUE;
        END IF;
        v_match := CASE r.typ
            WHEN 'uuid'::regtype THEN format('t.%I = $2', r.column_name)
            WHEN 'uuid[]'::regtype THEN format('$2 = ANY (t.%I)', r.column_name)
            ELSE format('EXISTS (SELECT 1 FROM unnest(t.%I) x WHERE lower(x) = ANY ($6))', r.column_name) END;
        named := named || v_match;
        IF r.action = 'COMPLIANCE' AND r.compliance THEN
            kept := kept || v_match;
        ELSIF r.action = 'COMPLIANCE' THEN
            gone := gone || v_match;
        ELSIF r.action = 'DELETE' THEN
            gone := gone || CASE WHEN r.pseudonymise_when IS NULL THEN v_match
                                 ELSE format('(%s AND NOT coalesce((%s), false))', v_match, r.pseudonymise_when) END;
        END IF;
        ref_old := ref_old || format('t.%I', r.column_name);
        ref_new := ref_new || CASE
            WHEN r.typ = 'uuid'::regtype THEN format('CASE WHEN t.%1$I = $2 THEN $3 ELSE t.%1$I END', r.column_name)
            WHEN r.action = 'REMOVE' AND r.typ = 'uuid[]'::regtype THEN format('array_remove(t.%I, $2)', r.column_name)
            WHEN r.action = 'REMOVE' THEN format('CASE WHEN t.%1$I IS NULL THEN NULL ELSE ARRAY(SELECT x FROM unnest(t.%1$I) '
                                                 'WITH ORDINALITY AS u(x, o) WHERE NOT lower(x) = ANY ($6) ORDER BY o) END', r.column_name)
            ELSE format('array_replace(t.%I, $2, $3)', r.column_name) END;
        ref_sets := ref_sets || format('%I = %s', r.column_name, ref_new[cardinality(ref_new)]);
    END LOOP;
    IF cardinality(gone) > 0 THEN
        step := 'delete';
        statement := format('DELETE FROM %s t WHERE t.tenant_id = $1 AND (%s) AND NOT coalesce((%s), false)%s',
                            rel, array_to_string(gone, ' OR '),
                            CASE WHEN cardinality(kept) > 0 THEN array_to_string(kept, ' OR ') ELSE 'false' END, v_own);
        RETURN NEXT;
    END IF;
    IF cardinality(kept) > 0 THEN
        step := 'keep';
        statement := format('UPDATE %s t SET %s WHERE t.tenant_id = $1 AND (%s)%s', rel,
                            array_to_string(ref_sets || (SELECT coalesce(array_agg(format('%s = %s', c, e) ORDER BY o), '{}')
                                                         FROM unnest(scrub_cols, scrub_keep) WITH ORDINALITY AS u(c, e, o)), ', '),
                            array_to_string(kept, ' OR '), v_own);
        RETURN NEXT;
    END IF;
    IF cardinality(named) + cardinality(scrub_cols) > 0 THEN
        step := 'pseudonymise';
        statement := format('UPDATE %s t SET %s WHERE t.tenant_id = $1 AND (%s)%s AND ROW(%s) IS DISTINCT FROM ROW(%s)', rel,
                            array_to_string(ref_sets || (SELECT coalesce(array_agg(format('%s = %s', c, e) ORDER BY o), '{}')
                                                         FROM unnest(scrub_cols, scrub_other) WITH ORDINALITY AS u(c, e, o)), ', '),
                            array_to_string(named || scrub_find, ' OR '), v_own,
                            array_to_string(ref_new || scrub_other, ', '),
                            array_to_string(ref_old || (SELECT coalesce(array_agg('t.' || c), '{}') FROM unnest(scrub_cols) c), ', '));
        RETURN NEXT;
    END IF;
END
$$;

-- What the erasure plan does to one row given as JSON (an entity in the archive queue or in an
-- archive object, as to_jsonb of its table's row): action DELETE (drop it), KEEP (their
-- compliance record, row_after pseudonymised with all their words scrubbed from its free
-- text), PSEUDONYMISE (it names them: row_after with references replaced and their strong
-- terms scrubbed) or NONE. Keys that are not columns of the type's table are treated as free
-- text. A type without a table or rules is judged by the row as a whole: carrying the id makes
-- it theirs (kept if the type is a compliance record, else deleted). p_terms are all their
-- words (person_terms), p_strong those that identify them anywhere (strong_terms).
CREATE OR REPLACE FUNCTION pms_retention.erase_row(p_entity_type text, p_row jsonb, p_person uuid, p_pseudonym uuid,
                                                   p_terms text[], p_strong text[], OUT action text, OUT row_after jsonb)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
DECLARE
    v_table text := (SELECT e.table_name FROM pms_retention.entities e WHERE e.entity_type = p_entity_type);
    rel regclass := pms_retention.rule_table(v_table);
    v_person text := p_person::text;
    v_pseudo text := p_pseudonym::text;
    v_strong text[] := coalesce(p_strong, '{}');
    v_needles text[];
    v_compliance boolean := coalesce((SELECT p.compliance FROM pms_retention.policies p WHERE p.entity_type = p_entity_type), false);
    v_kept boolean := false;
    v_gone boolean := false;
    v_when boolean;
    v jsonb;
    r record;
BEGIN
    v_needles := array_append((SELECT coalesce(array_agg(lower(t)), '{}') FROM unnest(v_strong) t), v_person);
    IF rel IS NULL OR jsonb_typeof(p_row) IS DISTINCT FROM 'object'
       OR NOT EXISTS (SELECT 1 FROM pms_retention.erasure_rules x WHERE x.table_name = v_table) THEN
        IF strpos(p_row::text, v_person) > 0 THEN
            action := CASE WHEN v_compliance THEN 'KEEP' ELSE 'DELETE' END;
            row_after := CASE WHEN v_compliance THEN pms_retention.scrub_jsonb(p_row, v_person, v_pseudo, p_terms) END;
        ELSE
            row_after := pms_retention.scrub_jsonb(p_row, v_person, v_pseudo, v_strong);
            action := CASE WHEN row_after IS DISTINCT FROM p_row THEN 'PSEUDONYMISE' ELSE 'NONE' END;
        END IF;
        RETURN;
    END IF;
    FOR r IN SELECT x.*, coalesce(p.compliance, false) AS compliance FROM pms_retention.erasure_rules x
             LEFT JOIN pms_retention.policies p ON p.entity_type = x.entity_type
             WHERE x.table_name = v_table AND x.action IN ('DELETE', 'COMPLIANCE') AND p_row ? x.column_name LOOP
        v := p_row -> r.column_name;
        CONTINUE WHEN NOT (v = to_jsonb(v_person) OR (jsonb_typeof(v) = 'array' AND v @> jsonb_build_array(v_person)));
        IF r.action = 'COMPLIANCE' THEN
            v_kept := v_kept OR r.compliance;
            v_gone := v_gone OR NOT r.compliance;
        ELSE
            v_when := false;
            IF r.pseudonymise_when IS NOT NULL THEN
                EXECUTE format('SELECT coalesce((%s), false) FROM jsonb_populate_record(NULL::%s, $1) t', r.pseudonymise_when, rel)
                    INTO v_when USING p_row;
            END IF;
            v_gone := v_gone OR NOT v_when;
        END IF;
    END LOOP;
    IF v_gone AND NOT v_kept THEN
        action := 'DELETE';
        RETURN;
    END IF;
    SELECT coalesce(jsonb_object_agg(e.key, CASE
               WHEN x.action = 'REMOVE' AND jsonb_typeof(e.value) = 'array' THEN
                   (SELECT coalesce(jsonb_agg(el ORDER BY o), '[]') FROM jsonb_array_elements(e.value) WITH ORDINALITY AS u(el, o)
                    WHERE NOT (jsonb_typeof(el) = 'string' AND lower(el #>> '{}') = ANY (v_needles)))
               WHEN x.action = 'SCRUB' OR (a.attname IS NULL AND x.action IS NULL) THEN
                   pms_retention.scrub_jsonb(e.value, v_person, v_pseudo, CASE WHEN v_kept THEN p_terms ELSE v_strong END)
               ELSE pms_retention.scrub_jsonb(e.value, v_person, v_pseudo, '{}') END), '{}')
      INTO row_after
      FROM jsonb_each(p_row) e
      LEFT JOIN pms_retention.erasure_rules x ON x.table_name = v_table AND x.column_name = e.key
      LEFT JOIN pg_attribute a ON a.attrelid = rel AND a.attname = e.key AND a.attnum > 0 AND NOT a.attisdropped;
    action := CASE WHEN v_kept THEN 'KEEP' WHEN row_after IS DISTINCT FROM p_row THEN 'PSEUDONYMISE' ELSE 'NONE' END;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pms_retention TO pms_app, pms_maintenance, pms_readonly;
