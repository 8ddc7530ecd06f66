-- Audit and security storage: the row-change log, security events, the per-tenant hash-chain
-- heads and the suspicious-activity thresholds.
--
-- audit_log and security_events are append-only for everyone but pms_owner: no role but the
-- owner holds INSERT, UPDATE, DELETE or TRUNCATE on them; rows arrive only through the
-- SECURITY DEFINER trigger and record_security_event(). Both are partitioned by month (retention
-- 3 years: hot 3 months, warm 1 year, cold 2 years), so retention drops whole partitions. Their
-- primary keys carry the partition key (occurred_at), which PostgreSQL requires.

CREATE TABLE audit_log (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    seq           bigint NOT NULL CHECK (seq > 0),
    occurred_at   timestamptz NOT NULL,
    table_name    text NOT NULL,
    entity_type   text NOT NULL,
    operation     text NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
    row_id        uuid,
    changes       jsonb NOT NULL,
    actor_user_id uuid,
    request_id    text,
    db_user       text NOT NULL,
    txid          bigint NOT NULL,
    prev_hash     bytea CHECK (length(prev_hash) = 32),
    hash          bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (tenant_id, id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX audit_log_chain_idx ON audit_log (tenant_id, seq);
CREATE INDEX audit_log_entity_idx ON audit_log (tenant_id, entity_type, row_id, occurred_at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, occurred_at DESC) WHERE actor_user_id IS NOT NULL;

CREATE TABLE security_events (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    seq           bigint NOT NULL CHECK (seq > 0),
    occurred_at   timestamptz NOT NULL,
    event_type    text NOT NULL CHECK (event_type IN ('LOGIN_SUCCESS', 'LOGIN_FAILURE', 'LOGOUT', 'PASSWORD_CHANGE',
                                                      'PERMISSION_DENIED', 'ROLE_CHANGE', 'DATA_EXPORT', 'SENSITIVE_READ')),
    severity      text NOT NULL CHECK (severity IN ('INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    user_id       uuid,
    -- The login name that was tried, when no account is known (failed logins).
    account       text CHECK (length(account) <= 320),
    ip_address    inet,
    user_agent    text CHECK (length(user_agent) <= 1000),
    resource_type text CHECK (resource_type ~ '^[A-Za-z_]{1,64}$'),
    resource_id   uuid,
    details       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
    request_id    text,
    db_user       text NOT NULL,
    prev_hash     bytea CHECK (length(prev_hash) = 32),
    hash          bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (tenant_id, id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX security_events_chain_idx ON security_events (tenant_id, seq);
CREATE INDEX security_events_type_idx ON security_events (tenant_id, event_type, occurred_at DESC);
CREATE INDEX security_events_time_idx ON security_events (tenant_id, occurred_at DESC);

-- One row per tenant and stream: the last link of each hash chain. Writers lock it, so a
-- tenant's entries are numbered and linked one at a time, whatever the concurrency. anchor_*
-- is where verification starts once retention has dropped the oldest partitions.
CREATE TABLE audit_chain_heads (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    stream      text NOT NULL CHECK (stream IN ('audit', 'security')),
    seq         bigint NOT NULL DEFAULT 0 CHECK (seq >= 0),
    hash        bytea CHECK (length(hash) = 32),
    anchor_seq  bigint NOT NULL DEFAULT 0 CHECK (anchor_seq >= 0 AND anchor_seq <= seq),
    anchor_hash bytea CHECK (length(anchor_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, stream)
);

-- Per-tenant thresholds of detect_suspicious_activity(); a tenant without a row gets the
-- defaults. Changes to it are themselves audited.
CREATE TABLE security_alert_settings (
    tenant_id              uuid NOT NULL REFERENCES tenants (id),
    id                     uuid NOT NULL DEFAULT gen_random_uuid(),
    failed_logins          integer NOT NULL DEFAULT 5 CHECK (failed_logins BETWEEN 1 AND 100000),
    sensitive_reads        integer NOT NULL DEFAULT 100 CHECK (sensitive_reads BETWEEN 1 AND 10000000),
    permission_denials     integer NOT NULL DEFAULT 10 CHECK (permission_denials BETWEEN 1 AND 100000),
    bulk_export_rows       integer NOT NULL DEFAULT 1000 CHECK (bulk_export_rows BETWEEN 1 AND 1000000000),
    distinct_addresses     integer NOT NULL DEFAULT 5 CHECK (distinct_addresses BETWEEN 2 AND 100000),
    address_window_minutes integer NOT NULL DEFAULT 60 CHECK (address_window_minutes BETWEEN 1 AND 10080),
    work_day_start         time NOT NULL DEFAULT '08:00',
    work_day_end           time NOT NULL DEFAULT '18:00',
    work_days              smallint[] NOT NULL DEFAULT '{1,2,3,4,5}' CHECK (work_days <@ '{1,2,3,4,5,6,7}'::smallint[]),
    timezone               text NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id),
    CHECK (work_day_start <> work_day_end)
);

SELECT pms_meta.enable_tenant_rls(t)
FROM unnest(ARRAY['audit_log', 'security_events', 'audit_chain_heads']::regclass[]) AS t;
SELECT pms_meta.enable_tenant_rls('security_alert_settings'), pms_meta.add_updated_at_trigger('security_alert_settings');

-- Append-only: only pms_owner (through the definer functions) writes these.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log, security_events, audit_chain_heads
    FROM PUBLIC, pms_app, pms_maintenance, pms_readonly;
-- Thresholds are tenant configuration: the application may set them (and each change is audited).
REVOKE TRUNCATE, REFERENCES, TRIGGER ON security_alert_settings FROM PUBLIC, pms_app, pms_maintenance, pms_readonly;

-- The tables that carry the audit trigger, and the entity type each is known by.
CREATE TABLE pms_meta.audited_tables (
    table_name    text PRIMARY KEY,
    entity_type   text NOT NULL UNIQUE CHECK (entity_type ~ '^[A-Z][A-Za-z]{1,63}$'),
    tenant_column text NOT NULL,
    row_id_column text,
    enabled_at    timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON pms_meta.audited_tables FROM PUBLIC, pms_app, pms_maintenance;
GRANT SELECT ON pms_meta.audited_tables TO pms_maintenance, pms_readonly;

-- Creates the monthly partitions of audit_log and security_events for the months from p_from
-- through p_months after it (existing ones are left alone); returns how many it created. Each
-- partition is closed to every role but the owner: reads go through the parent, where RLS
-- applies, and nobody may write a partition directly.
CREATE FUNCTION pms_meta.audit_ensure_partitions(p_from date, p_months integer)
    RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_parent text;
    v_start date;
    v_name text;
    v_created integer := 0;
BEGIN
    IF p_from IS NULL OR p_months IS NULL OR p_months < 0 OR p_months > 120 THEN
        RAISE EXCEPTION 'audit partitions: months ahead must be between 0 and 120, got %', p_months
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH v_parent IN ARRAY ARRAY['audit_log', 'security_events'] LOOP
        FOR i IN 0..p_months LOOP
            v_start := (date_trunc('month', p_from) + make_interval(months => i))::date;
            v_name := format('%s_p%s', v_parent, to_char(v_start, 'YYYYMM'));
            CONTINUE WHEN to_regclass('public.' || v_name) IS NOT NULL;
            EXECUTE format('CREATE TABLE public.%I PARTITION OF public.%I FOR VALUES FROM (%L) TO (%L)',
                           v_name, v_parent, v_start::timestamp AT TIME ZONE 'UTC',
                           (v_start + interval '1 month')::timestamp AT TIME ZONE 'UTC');
            EXECUTE format('REVOKE ALL ON public.%I FROM PUBLIC, pms_app, pms_maintenance, pms_readonly', v_name);
            EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', v_name);
            v_created := v_created + 1;
        END LOOP;
    END LOOP;
    RETURN v_created;
END
$$;
REVOKE EXECUTE ON FUNCTION pms_meta.audit_ensure_partitions(date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pms_meta.audit_ensure_partitions(date, integer) TO pms_maintenance;

SELECT pms_meta.audit_ensure_partitions((now() - interval '1 month')::date, 13);
