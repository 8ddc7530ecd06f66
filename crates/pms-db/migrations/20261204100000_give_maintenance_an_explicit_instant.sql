-- The maintenance entry points take the instant they run at (p_now timestamptz DEFAULT now()),
-- like refresh_all_rollups, compress_due_chunks and apply_retention already did: tests and
-- the worker can then run a pass and its repeat at one instant, whatever the clock does in
-- between (a month boundary, midnight). The replaceable SQL creates the new signatures; the
-- old ones go here, since CREATE OR REPLACE with another argument list makes an overload and a
-- call without arguments would then be ambiguous.
DROP FUNCTION IF EXISTS timeseries.create_future_chunks();
DROP FUNCTION IF EXISTS public.timeseries_maintenance();
DROP FUNCTION IF EXISTS pms_meta.audit_maintain_partitions();
DROP FUNCTION IF EXISTS pms_meta.audit_drop_expired_partitions(integer);
