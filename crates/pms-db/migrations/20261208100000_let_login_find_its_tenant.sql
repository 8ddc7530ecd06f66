-- A login names its tenant by slug before any tenant is set. This policy shows pms_app the
-- one tenant row whose slug the transaction names in app.login_slug (set by the login
-- handler for its own transaction only): the caller already knows the slug, and learns only
-- whether it is an active tenant. Nothing else about any tenant is visible without
-- app.tenant_id.
CREATE POLICY login_by_slug ON tenants AS PERMISSIVE FOR SELECT TO pms_app
    USING (slug = nullif(current_setting('app.login_slug', true), ''));

-- Creating POSTs may carry an Idempotency-Key: the first response is kept for a day and
-- replayed to a retry with the same key and body, so a retried create never creates twice.
CREATE TABLE api_idempotency_keys (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    user_id       uuid NOT NULL,
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash  bytea NOT NULL CHECK (length(request_hash) = 32),
    status        smallint,
    response      jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, key),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
SELECT pms_meta.enable_tenant_rls('api_idempotency_keys');
SELECT pms_meta.add_updated_at_trigger('api_idempotency_keys');
CREATE INDEX api_idempotency_keys_created_idx ON api_idempotency_keys (created_at);
COMMENT ON TABLE api_idempotency_keys IS '[identity] First responses of creating POSTs by Idempotency-Key, replayed to retries for 24 h';
COMMENT ON INDEX api_idempotency_keys_created_idx IS 'purge of idempotency keys older than a day';
