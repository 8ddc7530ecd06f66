-- Team and department rollup rows follow membership changes (native engine).
--
-- The team and department grains of a materialized rollup are sums of its user rows over
-- timeseries.user_groups (users.department_id, current team_members). When that membership
-- changes, statement triggers on users and team_members (sql/replaceable/
-- 030_timeseries_06_membership.sql) queue the groups that gained or lost a member, one entry
-- per rollup; each rollup's refresh rebuilds the queued groups' rows below its watermark from
-- its own user rows and removes the entries it handled.
--
-- Append-only like timeseries.invalidations: no unique key, so concurrent membership changes
-- of the same group never wait on each other (the refresh takes the entries DISTINCT). No
-- foreign key to timeseries.rollups either: its check would lock the rollup's row, which a
-- running refresh holds FOR UPDATE, and stall the application's writes until it commits.
-- The application only inserts (through the triggers, under its tenant's policy); the
-- maintenance role reads and deletes.

CREATE TABLE timeseries.membership_invalidations (
    rollup      text NOT NULL,
    tenant_id   uuid NOT NULL REFERENCES public.tenants (id),
    grain       text NOT NULL CHECK (grain IN ('team', 'department')),
    subject_id  uuid NOT NULL,
    logged_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX membership_invalidations_rollup_idx ON timeseries.membership_invalidations (rollup);
CREATE INDEX membership_invalidations_tenant_idx ON timeseries.membership_invalidations (tenant_id);
SELECT pms_meta.enable_tenant_rls('timeseries.membership_invalidations');
GRANT INSERT ON timeseries.membership_invalidations TO pms_app;

COMMENT ON TABLE timeseries.membership_invalidations IS
    '[timeseries] Teams and departments whose membership changed, per rollup: the next refresh rebuilds their materialized rows';
COMMENT ON INDEX timeseries.membership_invalidations_rollup_idx IS 'entries of one rollup, taken by its refresh';
COMMENT ON INDEX timeseries.membership_invalidations_tenant_idx IS 'entries of a tenant; FK tenant_id -> tenants';
