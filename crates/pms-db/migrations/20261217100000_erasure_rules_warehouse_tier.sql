-- The erasure plan may name the warehouse as the tier that handles a column: the hook
-- pms_retention.erase_warehouse_person (sql/replaceable/080_warehouse_10_erasure.sql), run by
-- erase_person_hot in the erasure's transaction. pms_retention.erasure_coverage lists the
-- columns of schema warehouse too, so a new warehouse column that can name a person needs a rule.
ALTER TABLE pms_retention.erasure_rules DROP CONSTRAINT erasure_rules_tier_check;
ALTER TABLE pms_retention.erasure_rules ADD CONSTRAINT erasure_rules_tier_check
    CHECK (tier IN ('timeseries', 'audit', 'archive', 'warehouse'));
