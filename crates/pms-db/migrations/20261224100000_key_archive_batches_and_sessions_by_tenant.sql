-- Citus (issue 19): a table distributed by tenant_id can enforce a unique key only when the key
-- contains tenant_id, since each shard checks its own rows. Three keys did not: the archive
-- ledger's `id` and `object_key`, and the session's `token_hash`. Each becomes unique per
-- tenant (the archiver writes object keys under the tenant's prefix, batch ids are UUIDv7 and
-- token hashes SHA-256 of 32 random bytes, so nothing that was unique stops being so), and a
-- plain index keeps the lookups by the column alone (the archive reads a batch by id, a request
-- finds its session by token hash) as fast as before.

DROP INDEX public.archive_batches_id_key;
CREATE INDEX archive_batches_id_idx ON public.archive_batches (id);
COMMENT ON INDEX public.archive_batches_id_idx IS 'batch lookup by id alone (archive reads by object, across tenants for the archiver); unique with the tenant by the primary key';

ALTER TABLE public.archive_batches DROP CONSTRAINT archive_batches_object_key_key;
ALTER TABLE public.archive_batches ADD CONSTRAINT archive_batches_object_key_key UNIQUE (tenant_id, object_key);
COMMENT ON INDEX public.archive_batches_object_key_key IS 'one ledger row per archive object key in a tenant (store reconciliation)';
CREATE INDEX archive_batches_object_key_idx ON public.archive_batches (object_key);
COMMENT ON INDEX public.archive_batches_object_key_idx IS 'ledger lookup by object key alone (store reconciliation across tenants)';

DROP INDEX public.sessions_token_hash_key;
CREATE UNIQUE INDEX sessions_token_hash_key ON public.sessions (tenant_id, token_hash);
COMMENT ON INDEX public.sessions_token_hash_key IS 'one session per token hash in a tenant';
CREATE INDEX sessions_token_hash_idx ON public.sessions (token_hash);
COMMENT ON INDEX public.sessions_token_hash_idx IS 'session lookup by token hash on every request';
