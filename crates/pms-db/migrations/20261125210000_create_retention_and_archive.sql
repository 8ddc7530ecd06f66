-- Retention, storage tiers, legal holds, the archive ledger and index, privacy erasure.
-- Global configuration (policies, the entity registry, erasure hooks) lives in schema
-- pms_retention; everything that belongs to a tenant lives in public with forced RLS.

CREATE SCHEMA pms_retention;
GRANT USAGE ON SCHEMA pms_retention TO pms_app, pms_maintenance, pms_readonly;

-- One row per entity type: how long it stays hot, warm, cold and archived (ages measured from
-- its time column). archive_for NULL means "deleted once it leaves the cold tier".
-- min_retention / max_retention bound what a tenant override may choose (the legal bounds).
CREATE TABLE pms_retention.policies (
    entity_type   text PRIMARY KEY CHECK (entity_type ~ '^[A-Z][A-Za-z0-9]{1,62}$'),
    hot_for       interval NOT NULL,
    warm_for      interval NOT NULL,
    cold_for      interval NOT NULL,
    archive_for   interval,
    compliance    boolean NOT NULL,
    managed_by    text NOT NULL DEFAULT 'ARCHIVER' CHECK (managed_by IN ('ARCHIVER', 'TIMESERIES')),
    min_retention interval NOT NULL,
    max_retention interval NOT NULL,
    description   text NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT retention_bounds_in_order CHECK (min_retention <= max_retention)
);

-- Where an entity type lives: the registry the archiver, tiering and erasure work from.
CREATE TABLE pms_retention.entities (
    entity_type    text PRIMARY KEY REFERENCES pms_retention.policies (entity_type),
    table_name     text NOT NULL,
    id_column      name NOT NULL DEFAULT 'id',
    time_column    name NOT NULL DEFAULT 'created_at',
    tenant_column  name NOT NULL DEFAULT 'tenant_id',
    person_columns name[] NOT NULL DEFAULT '{}',
    pii_columns    name[] NOT NULL DEFAULT '{}',
    registered_at  timestamptz NOT NULL DEFAULT now()
);

-- Functions called by privacy erasure for tiers outside this schema (time-series, warehouse):
-- each is called as fn(tenant uuid, person uuid, pseudonym uuid) and returns jsonb.
CREATE TABLE pms_retention.erasure_hooks (
    name       text PRIMARY KEY,
    function   regproc NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT ON ALL TABLES IN SCHEMA pms_retention TO pms_app, pms_readonly;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pms_retention TO pms_maintenance;

-- A tenant's own policy, within the type's legal bounds (checked by a trigger).
CREATE TABLE retention_policy_overrides (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    entity_type text NOT NULL REFERENCES pms_retention.policies (entity_type),
    hot_for     interval NOT NULL,
    warm_for    interval NOT NULL,
    cold_for    interval NOT NULL,
    archive_for interval,
    reason      text NOT NULL CHECK (length(trim(reason)) > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, entity_type)
);
CREATE INDEX retention_policy_overrides_entity_idx ON retention_policy_overrides (entity_type);

-- Legal holds: while one stands (released_at IS NULL) nothing it covers is deleted, archived
-- away or expired from the archive, and a covered person cannot be erased.
CREATE TABLE legal_holds (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    scope       text NOT NULL CHECK (scope IN ('TENANT', 'PERSON', 'ENTITY')),
    person_id   uuid,
    entity_type text REFERENCES pms_retention.policies (entity_type),
    entity_id   text,
    reason      text NOT NULL CHECK (length(trim(reason)) > 0),
    placed_by   uuid,
    placed_at   timestamptz NOT NULL DEFAULT now(),
    released_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT legal_hold_scope_fields CHECK (
        (scope = 'TENANT' AND person_id IS NULL AND entity_id IS NULL)
        OR (scope = 'PERSON' AND person_id IS NOT NULL AND entity_id IS NULL)
        OR (scope = 'ENTITY' AND entity_type IS NOT NULL AND entity_id IS NOT NULL AND person_id IS NULL)),
    CHECK (released_at IS NULL OR released_at >= placed_at)
);
CREATE INDEX legal_holds_active_idx ON legal_holds (tenant_id, scope) WHERE released_at IS NULL;
CREATE INDEX legal_holds_entity_type_idx ON legal_holds (entity_type) WHERE entity_type IS NOT NULL;

-- The archive ledger: one row per object in the archive store. WRITING is the intent recorded
-- before the object is written; ARCHIVED once verified and the rows deleted (one transaction);
-- RETIRING when the object is to be removed (expired or superseded by a rewrite).
CREATE TABLE archive_batches (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    entity_type   text NOT NULL REFERENCES pms_retention.policies (entity_type),
    object_key    text NOT NULL,
    status        text NOT NULL DEFAULT 'WRITING' CHECK (status IN ('WRITING', 'ARCHIVED', 'RETIRING')),
    row_count     integer NOT NULL CHECK (row_count >= 0),
    object_bytes  bigint NOT NULL CHECK (object_bytes >= 0),
    raw_bytes     bigint NOT NULL CHECK (raw_bytes >= 0),
    object_sha256 text NOT NULL CHECK (object_sha256 ~ '^[0-9a-f]{64}$'),
    created_min   timestamptz NOT NULL,
    created_max   timestamptz NOT NULL,
    archived_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (object_key),
    CHECK (created_max >= created_min)
);
CREATE UNIQUE INDEX archive_batches_id_key ON archive_batches (id);
CREATE INDEX archive_batches_entity_type_idx ON archive_batches (entity_type);
CREATE INDEX archive_batches_status_idx ON archive_batches (status, created_max);

-- The archive index: where each archived entity is (object, byte range of its zstd frame),
-- so one entity is read with one ranged GET and no scan.
CREATE TABLE archived_entities (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    entity_type  text NOT NULL REFERENCES pms_retention.policies (entity_type),
    id           text NOT NULL,
    batch_id     uuid NOT NULL,
    frame_offset bigint NOT NULL CHECK (frame_offset >= 0),
    frame_length integer NOT NULL CHECK (frame_length > 0),
    created_at   timestamptz NOT NULL,
    person_ids   uuid[] NOT NULL DEFAULT '{}',
    archived_at  timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, entity_type, id),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES archive_batches (tenant_id, id)
);
CREATE INDEX archived_entities_batch_idx ON archived_entities (tenant_id, batch_id);
CREATE INDEX archived_entities_entity_type_idx ON archived_entities (entity_type);
CREATE INDEX archived_entities_lookup_idx ON archived_entities (entity_type, id);
CREATE INDEX archived_entities_person_idx ON archived_entities USING gin (person_ids);

-- Entities handed to archive_entity() that the archiver has not yet written to the store.
CREATE TABLE archive_pending (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    entity_type text NOT NULL REFERENCES pms_retention.policies (entity_type),
    id          text NOT NULL,
    data        jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    person_ids  uuid[] NOT NULL DEFAULT '{}',
    queued_at   timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, entity_type, id)
);
CREATE INDEX archive_pending_entity_type_idx ON archive_pending (entity_type);
CREATE INDEX archive_pending_person_idx ON archive_pending USING gin (person_ids);

-- Rows per tenant, entity type and tier, as last computed by update_storage_tiers().
CREATE TABLE storage_tier_state (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    entity_type  text NOT NULL REFERENCES pms_retention.policies (entity_type),
    tier         text NOT NULL CHECK (tier IN ('HOT', 'WARM', 'COLD', 'DUE', 'ARCHIVE')),
    row_count    bigint NOT NULL CHECK (row_count >= 0),
    oldest       timestamptz,
    newest       timestamptz,
    computed_at  timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, entity_type, tier)
);
CREATE INDEX storage_tier_state_entity_type_idx ON storage_tier_state (entity_type);

-- Erasures of people: the subject only as a hash, the pseudonym their compliance records got.
CREATE TABLE privacy_erasures (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    subject_hash text NOT NULL CHECK (subject_hash ~ '^[0-9a-f]{64}$'),
    pseudonym_id uuid NOT NULL,
    status       text NOT NULL DEFAULT 'STARTED' CHECK (status IN ('STARTED', 'DONE')),
    report       jsonb NOT NULL DEFAULT '{}',
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, subject_hash)
);

SELECT pms_meta.enable_tenant_rls(t), pms_meta.add_updated_at_trigger(t)
FROM unnest(ARRAY['retention_policy_overrides', 'legal_holds', 'archive_batches', 'archived_entities',
                  'archive_pending', 'storage_tier_state', 'privacy_erasures']::regclass[]) AS t;

-- Tier durations must be non-negative and in order (hot <= warm <= cold <= archive); an
-- override must also end within its type's legal bounds. Clear messages, nothing stored.
CREATE FUNCTION pms_retention.validate_tiers() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    p pms_retention.policies;
    total interval;
BEGIN
    IF NEW.hot_for <= interval '0' OR NEW.warm_for < interval '0' OR NEW.cold_for < interval '0'
       OR NEW.archive_for < interval '0' THEN
        RAISE EXCEPTION 'retention policy for %: durations must be positive (hot %, warm %, cold %, archive %)',
            NEW.entity_type, NEW.hot_for, NEW.warm_for, NEW.cold_for, coalesce(NEW.archive_for::text, 'delete')
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.warm_for < NEW.hot_for OR NEW.cold_for < NEW.warm_for OR NEW.archive_for < NEW.cold_for THEN
        RAISE EXCEPTION 'retention policy for %: tiers out of order: need hot (%) <= warm (%) <= cold (%) <= archive (%)',
            NEW.entity_type, NEW.hot_for, NEW.warm_for, NEW.cold_for, coalesce(NEW.archive_for::text, 'delete')
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_TABLE_NAME = 'retention_policy_overrides' THEN
        SELECT * INTO p FROM pms_retention.policies WHERE entity_type = NEW.entity_type;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unknown entity type %', NEW.entity_type USING ERRCODE = 'foreign_key_violation';
        END IF;
        total := coalesce(NEW.archive_for, NEW.cold_for);
        IF total < p.min_retention OR total > p.max_retention THEN
            RAISE EXCEPTION 'retention override for %: data would be kept for %, outside the legal bounds % to %',
                NEW.entity_type, total, p.min_retention, p.max_retention USING ERRCODE = 'check_violation';
        END IF;
        IF p.compliance AND NEW.archive_for IS NULL AND p.archive_for IS NOT NULL THEN
            RAISE EXCEPTION 'retention override for %: a compliance record must be archived, not deleted', NEW.entity_type
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER validate_tiers BEFORE INSERT OR UPDATE ON pms_retention.policies
    FOR EACH ROW EXECUTE FUNCTION pms_retention.validate_tiers();
CREATE TRIGGER validate_tiers BEFORE INSERT OR UPDATE ON retention_policy_overrides
    FOR EACH ROW EXECUTE FUNCTION pms_retention.validate_tiers();

-- The specification's retention table, and the other entity types that need one.
INSERT INTO pms_retention.policies
    (entity_type, hot_for, warm_for, cold_for, archive_for, compliance, managed_by, min_retention, max_retention, description)
VALUES
    ('PerformanceReview', '1 year', '3 years', '5 years', '7 years', true, 'ARCHIVER', '7 years', '15 years', 'reviews and their ratings'),
    ('Feedback', '6 months', '2 years', '4 years', '6 years', false, 'ARCHIVER', '1 month', '10 years', '360 and continuous feedback'),
    ('Goal', '1 year', '3 years', '5 years', '7 years', false, 'ARCHIVER', '1 month', '10 years', 'goals, OKRs and key results'),
    ('PIP', '2 years', '5 years', '7 years', '10 years', true, 'ARCHIVER', '10 years', '20 years', 'performance improvement plans'),
    ('AuditLog', '3 months', '1 year', '2 years', '3 years', true, 'ARCHIVER', '3 years', '10 years', 'row-level audit trail and security events'),
    ('Notification', '1 month', '3 months', '6 months', NULL, false, 'ARCHIVER', '1 month', '2 years', 'in-app and email notifications: deleted, never archived'),
    ('OneOnOne', '1 year', '2 years', '4 years', '6 years', false, 'ARCHIVER', '1 month', '10 years', '1:1 meetings and notes'),
    ('CalibrationSession', '1 year', '3 years', '5 years', '7 years', true, 'ARCHIVER', '7 years', '15 years', 'calibration decisions'),
    ('SurveyResponse', '6 months', '2 years', '3 years', '5 years', false, 'ARCHIVER', '1 month', '10 years', 'engagement and pulse survey answers'),
    ('SuccessionPlan', '1 year', '3 years', '5 years', '7 years', false, 'ARCHIVER', '1 month', '10 years', 'succession plans and candidates'),
    ('PerformanceMetricTS', '6 months', '2 years', '2 years', NULL, false, 'TIMESERIES', '1 month', '10 years', 'performance_metrics_ts: compressed after 6 months, dropped after 2 years'),
    ('EngagementMetricTS', '6 months', '3 years', '3 years', NULL, false, 'TIMESERIES', '1 month', '10 years', 'engagement_metrics_ts'),
    ('GoalProgressTS', '12 months', '5 years', '5 years', NULL, false, 'TIMESERIES', '1 month', '10 years', 'goal_progress_ts'),
    ('FeedbackActivityTS', '6 months', '3 years', '3 years', NULL, false, 'TIMESERIES', '1 month', '10 years', 'feedback_activity_ts');
