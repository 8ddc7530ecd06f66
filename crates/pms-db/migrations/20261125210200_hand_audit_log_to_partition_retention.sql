-- audit_log and security_events are append-only and hash-chained (the audit area): no role may
-- update or delete a row, so the archiver cannot archive them row by row. Their retention is
-- the dropping of whole monthly partitions past 3 years (worker job audit_partitions,
-- pms_meta.audit_drop_expired_partitions, which anchors each tenant's chain first). The
-- AuditLog policy therefore names that manager, and the table leaves the entity registry the
-- archiver, tiering and erasure work from (erasure cannot rewrite a chained record; see
-- docs/ARCHITECTURE.md, privacy).

ALTER TABLE pms_retention.policies DROP CONSTRAINT policies_managed_by_check;
ALTER TABLE pms_retention.policies ADD CONSTRAINT policies_managed_by_check
    CHECK (managed_by IN ('ARCHIVER', 'TIMESERIES', 'AUDIT_PARTITIONS'));

UPDATE pms_retention.policies
SET managed_by = 'AUDIT_PARTITIONS',
    description = 'row-level audit trail and security events: append-only, hash-chained; whole monthly partitions dropped after 3 years (job audit_partitions)',
    updated_at = now()
WHERE entity_type = 'AuditLog';

DELETE FROM pms_retention.entities WHERE entity_type = 'AuditLog';
