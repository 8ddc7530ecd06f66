-- The erasure plan as the catalog sees it: every column that can hold a person's id or words
-- about them, with its rule from pms_retention.erasure_rules (050_retention_erasure_rules.sql)
-- or none. A column needs a rule when it is part of a foreign key to users, is named like a
-- person reference, is an array of ids, a JSON document, or free text (text that no CHECK
-- confines to a list of codes or a pattern), in a tenant table of schema public, timeseries or
-- warehouse (partitions follow their parent). The catalog test lists the columns without a rule, and
-- erase_person_hot refuses to run while a foreign key to users has none (the account could
-- not be deleted, or a reference would be left behind).

-- The table a rule names: 'goals' is public.goals, 'timeseries.x' is itself; NULL when absent.
CREATE OR REPLACE FUNCTION pms_retention.rule_table(p_name text) RETURNS regclass
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN strpos(p_name, '.') > 0 THEN to_regclass(p_name) ELSE to_regclass('public.' || p_name) END
$$;

-- True for column names that say "a person": user_id, *_user_id, owner_id, reviewer_id, ...,
-- and every *_by (created_by, approved_by).
CREATE OR REPLACE FUNCTION pms_retention.names_a_person(p_column name) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT p_column::text ~ '_by$'
        OR p_column::text ~ ('^(.*_)?(user|users|person|persons|people|owner|manager|employee|reviewer|reviewee|'
                             'author|assessor|assignee|facilitator|nominee|subject|rater|recipient|sender|evaluator|'
                             'respondent|incumbent|candidate|partner|lead|head|delegate|delegator|giver|actor|member|'
                             'approver|requester|creator|participant|attendee|mentor|mentee|coach|calibrator|'
                             'interviewer|sponsor|reporter|signer)_ids?$')
$$;

-- Why a column needs an erasure rule, or NULL when it does not.
CREATE OR REPLACE FUNCTION pms_retention.erasure_rule_needed(p_table regclass, p_column name)
RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT CASE
        WHEN EXISTS (SELECT 1 FROM pg_constraint k
                     WHERE k.conrelid = p_table AND k.contype = 'f' AND k.confrelid = 'public.users'::regclass
                       AND a.attnum = ANY (k.conkey))
            THEN 'references users'
        WHEN pms_retention.names_a_person(a.attname) THEN 'named like a person reference'
        WHEN a.atttypid = 'uuid[]'::regtype THEN 'an array of ids'
        WHEN a.atttypid IN ('json'::regtype, 'jsonb'::regtype) THEN 'a JSON document'
        WHEN a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'text[]'::regtype, 'varchar[]'::regtype)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                             WHERE k.conrelid = p_table AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum]
                               AND pg_get_constraintdef(k.oid) ~ '(= ANY \(ARRAY\[| ~ )')
            THEN 'free text'
        END
    FROM pg_attribute a
    WHERE a.attrelid = p_table AND a.attname = p_column AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname <> 'tenant_id'
$$;

-- Every column of the schema that needs a rule, with its rule (action NULL: none yet).
CREATE OR REPLACE VIEW pms_retention.erasure_coverage WITH (security_invoker = true) AS
WITH tables AS (
    SELECT c.oid::regclass AS rel,
           CASE WHEN n.nspname = 'public' THEN c.relname::text ELSE n.nspname || '.' || c.relname END AS table_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND ((n.nspname IN ('public', 'timeseries', 'warehouse')
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
           OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f'
                        AND k.confrelid = 'public.users'::regclass))
), needed AS (
    SELECT t.table_name, a.attname AS column_name, a.attnum,
           format_type(a.atttypid, a.atttypmod) AS column_type,
           pms_retention.erasure_rule_needed(t.rel, a.attname) AS why
    FROM tables t JOIN pg_attribute a ON a.attrelid = t.rel AND a.attnum > 0 AND NOT a.attisdropped
)
SELECT n.table_name, n.column_name, n.column_type, n.why, r.action, r.entity_type, r.tier,
       r.pseudonymise_when, r.reason
FROM needed n
LEFT JOIN pms_retention.erasure_rules r ON r.table_name = n.table_name AND r.column_name = n.column_name
WHERE n.why IS NOT NULL
ORDER BY n.table_name, n.attnum;
COMMENT ON VIEW pms_retention.erasure_coverage IS
    '[retention] Every column that can name a person, with its erasure rule (action NULL: no rule yet, which a catalog test reports)';

-- Rules that no longer match the schema: a column that is gone, a person reference that is not
-- a uuid or uuid[], a TEXT rule on a column that holds no text.
CREATE OR REPLACE VIEW pms_retention.erasure_rule_problems WITH (security_invoker = true) AS
SELECT * FROM (
    SELECT r.table_name, r.column_name,
           CASE WHEN pms_retention.rule_table(r.table_name) IS NULL
                    THEN CASE WHEN r.action <> 'TIER' THEN 'no such table' END
                WHEN a.attname IS NULL THEN 'no such column'
                WHEN r.action IN ('DELETE', 'COMPLIANCE', 'PSEUDONYMISE')
                     AND a.atttypid NOT IN ('uuid'::regtype, 'uuid[]'::regtype)
                    THEN r.action || ' needs a uuid or uuid[] column, not ' || format_type(a.atttypid, a.atttypmod)
                WHEN r.action = 'REMOVE' AND a.atttypid NOT IN ('uuid[]'::regtype, 'text[]'::regtype)
                    THEN 'REMOVE needs a uuid[] or text[] column, not ' || format_type(a.atttypid, a.atttypmod)
                WHEN r.action = 'SCRUB'
                     AND a.atttypid NOT IN ('text'::regtype, 'varchar'::regtype, 'text[]'::regtype, 'jsonb'::regtype)
                    THEN 'SCRUB needs a text, text[] or jsonb column, not ' || format_type(a.atttypid, a.atttypmod)
           END AS problem
    FROM pms_retention.erasure_rules r
    LEFT JOIN pg_attribute a
           ON a.attrelid = pms_retention.rule_table(r.table_name)
          AND a.attname = r.column_name AND a.attnum > 0 AND NOT a.attisdropped
) p
WHERE p.problem IS NOT NULL;
COMMENT ON VIEW pms_retention.erasure_rule_problems IS
    '[retention] Erasure rules that do not fit the schema (table or column gone, wrong type); problem NULL: fine';

GRANT SELECT ON pms_retention.erasure_coverage, pms_retention.erasure_rule_problems TO pms_app, pms_maintenance, pms_readonly;
