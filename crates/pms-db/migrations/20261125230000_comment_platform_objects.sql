-- Comments on the tables and indexes the time-series, audit and retention areas added: the
-- table comment starts with its domain in brackets and each non-primary-key index says which
-- access path it serves (docs/SCHEMA.md is built from these; a catalog test requires them).
-- The time-series views in public are created by sql/replaceable/030_timeseries_*, which
-- comments them itself (this migration runs before the replaceable SQL on a new database).

-- Time-series hypertables (20261125190000): raw points, range-partitioned into chunks.
COMMENT ON TABLE performance_metrics_ts IS '[timeseries] Raw performance metric points per person (productivity, quality, collaboration, goal completion, competency); partitioned by month into chunks';
COMMENT ON TABLE engagement_metrics_ts IS '[timeseries] Raw engagement metric points per person (engagement score, satisfaction, eNPS, wellbeing, participation); partitioned by month';
COMMENT ON TABLE goal_progress_ts IS '[timeseries] Raw goal progress and confidence points per person; partitioned by quarter';
COMMENT ON TABLE feedback_activity_ts IS '[timeseries] Raw feedback activity points per person (given, received, requested, sentiment); partitioned by quarter';
COMMENT ON INDEX performance_metrics_ts_user_time_idx IS 'one person''s performance points over a time range (dashboards, rollup tail)';
COMMENT ON INDEX performance_metrics_ts_time_brin IS 'time-range scans across all people (rollup refresh, chunk compression and retention)';
COMMENT ON INDEX engagement_metrics_ts_user_time_idx IS 'one person''s engagement points over a time range';
COMMENT ON INDEX engagement_metrics_ts_time_brin IS 'time-range scans across all people (weekly rollup refresh, compression, retention)';
COMMENT ON INDEX goal_progress_ts_user_time_idx IS 'one person''s goal progress points over a time range';
COMMENT ON INDEX goal_progress_ts_time_brin IS 'time-range scans across all people (compression, retention)';
COMMENT ON INDEX feedback_activity_ts_user_time_idx IS 'one person''s feedback activity points over a time range';
COMMENT ON INDEX feedback_activity_ts_time_brin IS 'time-range scans across all people (monthly feedback rollup refresh, compression, retention)';

-- Audit (20261125200000).
COMMENT ON TABLE audit_log IS '[audit] Append-only, hash-chained log of every change to audited tables (row, operation, changed columns, actor); partitioned by month';
COMMENT ON TABLE security_events IS '[audit] Append-only, hash-chained security events (logins, permission denials, role changes, exports, sensitive reads); partitioned by month';
COMMENT ON TABLE audit_chain_heads IS '[audit] The last link of each tenant''s audit and security hash chain; writers lock it to number entries one at a time';
COMMENT ON TABLE security_alert_settings IS '[audit] A tenant''s thresholds for suspicious-activity detection (failed logins, sensitive reads, exports, working hours)';
COMMENT ON INDEX audit_log_chain_idx IS 'chain verification: a tenant''s audit entries in sequence order';
COMMENT ON INDEX audit_log_entity_idx IS 'history of one row: changes to an entity, newest first';
COMMENT ON INDEX audit_log_actor_idx IS 'what a person changed, newest first (investigations, erasure of actors)';
COMMENT ON INDEX security_events_chain_idx IS 'chain verification: a tenant''s security events in sequence order';
COMMENT ON INDEX security_events_type_idx IS 'events of one type in a time window, newest first (suspicious-activity detection)';
COMMENT ON INDEX security_events_time_idx IS 'a tenant''s security event feed, newest first';
COMMENT ON INDEX audit_chain_heads_tenant_id_stream_key IS 'the chain head of a tenant and stream (locked by every writer)';
COMMENT ON INDEX security_alert_settings_tenant_id_key IS 'one settings row per tenant: the thresholds of the current tenant';

-- Retention and archive (20261125210000).
COMMENT ON TABLE retention_policy_overrides IS '[retention] A tenant''s own hot/warm/cold/archive durations for an entity type, within its legal bounds';
COMMENT ON TABLE legal_holds IS '[retention] Legal holds on a tenant, a person or one entity: while active nothing covered is deleted, archived away or erased';
COMMENT ON TABLE archive_batches IS '[retention] The archive ledger: one row per object in the archive store (key, size, checksum, state WRITING/ARCHIVED/RETIRING)';
COMMENT ON TABLE archived_entities IS '[retention] The archive index: object and byte range of each archived entity, read with one ranged GET';
COMMENT ON TABLE archive_pending IS '[retention] Entities handed to archive_entity() that the archiver has not yet written to the store';
COMMENT ON TABLE storage_tier_state IS '[retention] Rows per entity type and storage tier, as last computed by update_storage_tiers()';
COMMENT ON TABLE privacy_erasures IS '[retention] Erasures of people: the subject only as a hash, the pseudonym and the report of what was erased';
COMMENT ON INDEX retention_policy_overrides_tenant_id_entity_type_key IS 'the override of an entity type in a tenant (one at most)';
COMMENT ON INDEX retention_policy_overrides_entity_idx IS 'FK entity_type -> pms_retention.policies: overrides of a policy';
COMMENT ON INDEX legal_holds_active_idx IS 'the active holds of a tenant by scope (checked before every delete, archive and erasure)';
COMMENT ON INDEX legal_holds_entity_type_idx IS 'FK entity_type -> pms_retention.policies: holds on an entity type';
COMMENT ON INDEX archive_batches_id_key IS 'batch lookup by id alone (archive reads by object, across tenants for the archiver)';
COMMENT ON INDEX archive_batches_object_key_key IS 'one ledger row per archive object key (store reconciliation)';
COMMENT ON INDEX archive_batches_status_idx IS 'archiver work queue: batches in a state, oldest content first (resume WRITING, expire ARCHIVED, remove RETIRING)';
COMMENT ON INDEX archive_batches_entity_type_idx IS 'FK entity_type -> pms_retention.policies: batches of an entity type';
COMMENT ON INDEX archived_entities_batch_idx IS 'FK (tenant_id, batch_id) -> archive_batches: the entities of one archive object';
COMMENT ON INDEX archived_entities_lookup_idx IS 'find an archived entity by type and id';
COMMENT ON INDEX archived_entities_person_idx IS 'archived entities mentioning a person (privacy erasure, legal holds on a person)';
COMMENT ON INDEX archived_entities_entity_type_idx IS 'FK entity_type -> pms_retention.policies: archived entities of a type';
COMMENT ON INDEX archive_pending_entity_type_idx IS 'FK entity_type -> pms_retention.policies: pending entities of a type';
COMMENT ON INDEX archive_pending_person_idx IS 'pending entities mentioning a person (privacy erasure, legal holds on a person)';
COMMENT ON INDEX storage_tier_state_entity_type_idx IS 'FK entity_type -> pms_retention.policies: tier counts of an entity type';
COMMENT ON INDEX privacy_erasures_tenant_id_subject_hash_key IS 'one erasure per subject: find or resume the erasure of a person by hash';
