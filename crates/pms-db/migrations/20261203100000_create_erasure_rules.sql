-- The erasure plan: what erasing a person does to each column that can hold a person's id or
-- words about them, one rule per column. The rules are kept in one file
-- (sql/replaceable/050_retention_erasure_rules.sql, which replaces the table's content whenever
-- its text changes); the view pms_retention.erasure_coverage (replaceable) lists every column
-- the catalog says needs a rule (a foreign key to users, a name like a person reference, an
-- array of ids, a JSON document, free text), and a catalog test fails on any without one.
--
-- Actions (where the column names the person being erased):
--   DELETE        the row is the person's own: deleted (what references it cascades). With
--                 pseudonymise_when, rows for which that predicate (on alias t) holds are the
--                 organisation's (a team goal, a shared dashboard) and are pseudonymised instead.
--   COMPLIANCE    the row is the person's record of entity_type: kept with the person replaced
--                 by their pseudonym and their words scrubbed from its free text while that
--                 type's retention policy is a compliance one; deleted otherwise.
--   PSEUDONYMISE  the row is someone else's or the organisation's (a review they wrote, a team
--                 they lead): the reference becomes the pseudonym (uuid, or an element of a
--                 uuid[]), the row's meaning and every CHECK stay true.
--   REMOVE        an array that lists the person (ids, emails): the element is removed.
--   SCRUB         free text or JSON that may mention the person: their id becomes the pseudonym
--                 and their identifying words [erased] (all their words in their own kept
--                 records, their email, full name and employee number everywhere else).
--   TIER          handled by another tier of the erasure (tier: timeseries, audit, archive).
--   NONE          holds no personal data (reason says why).
CREATE TABLE pms_retention.erasure_rules (
    table_name        text NOT NULL CHECK (table_name ~ '^[a-z_][a-z0-9_.]*$'),
    column_name       name NOT NULL,
    action            text NOT NULL
        CHECK (action IN ('DELETE', 'COMPLIANCE', 'PSEUDONYMISE', 'REMOVE', 'SCRUB', 'TIER', 'NONE')),
    entity_type       text REFERENCES pms_retention.policies (entity_type),
    tier              text CHECK (tier IN ('timeseries', 'audit', 'archive')),
    pseudonymise_when text,
    reason            text NOT NULL CHECK (length(trim(reason)) > 0),
    PRIMARY KEY (table_name, column_name),
    CONSTRAINT erasure_rule_compliance_names_a_type CHECK ((action = 'COMPLIANCE') = (entity_type IS NOT NULL)),
    CONSTRAINT erasure_rule_tier_named CHECK ((action = 'TIER') = (tier IS NOT NULL)),
    CONSTRAINT erasure_rule_condition_on_delete CHECK (pseudonymise_when IS NULL OR action = 'DELETE')
);
CREATE INDEX erasure_rules_entity_type_idx ON pms_retention.erasure_rules (entity_type);
COMMENT ON TABLE pms_retention.erasure_rules IS
    '[retention] The erasure plan: per column that can name a person, what erasing them does (delete the row, keep it pseudonymised for compliance, pseudonymise the reference, scrub the text, another tier, nothing)';
GRANT SELECT ON pms_retention.erasure_rules TO pms_app, pms_maintenance, pms_readonly;

-- Pay and promotion decisions are records an employer must keep (like reviews and PIPs): their
-- rows are kept pseudonymised when the person is erased. No table is registered for archival.
INSERT INTO pms_retention.policies
    (entity_type, hot_for, warm_for, cold_for, archive_for, compliance, managed_by, min_retention, max_retention, description)
VALUES
    ('CompensationDecision', '1 year', '3 years', '5 years', '7 years', true, 'ARCHIVER', '7 years', '15 years', 'pay changes: merit, bonus, equity, adjustment'),
    ('PromotionDecision', '1 year', '3 years', '5 years', '7 years', true, 'ARCHIVER', '7 years', '15 years', 'promotions decided')
ON CONFLICT (entity_type) DO NOTHING;
