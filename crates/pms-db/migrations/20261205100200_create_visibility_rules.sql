-- The registry of visibility rules inside a tenant (issue 15): one row per person-sensitive table,
-- written by pms_meta.enable_visibility (sql/replaceable/070_visibility_02_helpers.sql), which
-- also creates the table's restrictive policies from it. The catalog test compares the
-- registry, the policies and its own list of sensitive tables. Global (the rules are the
-- platform's, the same for every tenant).
CREATE TABLE pms_meta.visibility_rules (
    table_name  text PRIMARY KEY CHECK (table_name ~ '^[a-z_][a-z0-9_.]*$'),
    domain      text NOT NULL CHECK (domain IN ('REVIEWS', 'APPROVALS', 'GOALS', 'FEEDBACK', 'PRIVATE', 'ACCESS')),
    read_rule   text,
    insert_rule text NOT NULL,
    write_rule  text NOT NULL,
    readers     text NOT NULL CHECK (length(trim(readers)) > 0),
    writers     text NOT NULL CHECK (length(trim(writers)) > 0)
);
COMMENT ON TABLE pms_meta.visibility_rules IS
    '[identity] Who may read and write each person-sensitive table inside a tenant: the rule (policy text with placeholders) and in words; the restrictive policies are made from it';
GRANT SELECT ON pms_meta.visibility_rules TO pms_maintenance, pms_readonly;
