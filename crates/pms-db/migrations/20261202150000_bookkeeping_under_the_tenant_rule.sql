-- The bookkeeping tables that carry tenant_id obey the tenant rule like every other tenant
-- table: forced row-level security with the tenant policy. pms_maintenance keeps its BYPASSRLS
-- (cross-tenant jobs); pms_readonly, which RLS is meant to confine, now sees only the tenant of
-- its transaction. The functions that write them (060_bulk_load_verify.sql,
-- 060_tenant_partitions.sql) write under the row's tenant.
--
-- The functions first created by earlier migrations and restated by later ones now live in
-- sql/replaceable/ (040_audit_canonical.sql, 040_audit_row_change.sql, 060_bulk_load_verify.sql,
-- 060_tenant_partitions.sql): nothing to drop here, their signatures are unchanged.

ALTER TABLE pms_meta.bulk_loads ENABLE ROW LEVEL SECURITY;
ALTER TABLE pms_meta.bulk_loads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pms_meta.bulk_loads
    USING (tenant_id = public.pms_current_tenant())
    WITH CHECK (tenant_id = public.pms_current_tenant());

ALTER TABLE pms_meta.tenant_partition_builds ENABLE ROW LEVEL SECURITY;
ALTER TABLE pms_meta.tenant_partition_builds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pms_meta.tenant_partition_builds
    USING (tenant_id = public.pms_current_tenant())
    WITH CHECK (tenant_id = public.pms_current_tenant());
