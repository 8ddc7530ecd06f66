-- The reporting chain as a closure table (issue 15): one row per (ancestor, descendant) pair of
-- the management tree that users.manager_id draws, the person themself included at depth 0. The
-- visibility policies (sql/replaceable/070_visibility_*.sql) ask it "is X above Y" and "who is
-- below X", each one index probe, so that a manager's team list stays index-only at 100,000
-- people.
--
-- The source is users.manager_id alone: it is the one solid line a person has, so the chain is a
-- tree (a person has one set of ancestors). reporting_lines keeps the history of lines and the
-- matrix (DOTTED, FUNCTIONAL, PROJECT) lines; none of them widens visibility, and a primary SOLID
-- line is expected to agree with users.manager_id (the application writes both).
--
-- Maintained by statement-level triggers on users (070_visibility_01_chain.sql): a move
-- re-parents the whole subtree in one delete and one insert, set-based; a cycle is refused.
-- Nobody writes the table directly: pms_app and pms_maintenance may only read it.
CREATE TABLE reporting_chain (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    ancestor_id   uuid NOT NULL,
    descendant_id uuid NOT NULL,
    depth         smallint NOT NULL CHECK (depth >= 0),
    PRIMARY KEY (tenant_id, ancestor_id, descendant_id) INCLUDE (depth),
    CHECK ((depth = 0) = (ancestor_id = descendant_id))
);
COMMENT ON TABLE reporting_chain IS
    '[identity] The management chain as a closure: every (ancestor, descendant) pair of users.manager_id, self at depth 0; maintained by triggers on users, read by the visibility policies';
COMMENT ON INDEX reporting_chain_pkey IS
    'everyone below a manager (a team, direct and indirect), and "is X above Y": one index-only probe';
CREATE INDEX reporting_chain_descendant_idx ON reporting_chain (tenant_id, descendant_id, ancestor_id) INCLUDE (depth);
COMMENT ON INDEX reporting_chain_descendant_idx IS
    'everyone above a person (their management chain), index-only';

SELECT pms_meta.enable_tenant_rls('reporting_chain');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON reporting_chain FROM pms_app, pms_maintenance;

-- The chain of the people already there, every tenant at once: the owner is briefly not subject
-- to the forced policies of these two tables (inside this migration's transaction only).
ALTER TABLE users NO FORCE ROW LEVEL SECURITY;
ALTER TABLE reporting_chain NO FORCE ROW LEVEL SECURITY;
INSERT INTO reporting_chain (tenant_id, ancestor_id, descendant_id, depth)
WITH RECURSIVE up (tenant_id, descendant_id, ancestor_id, depth) AS (
    SELECT u.tenant_id, u.id, u.id, 0 FROM users u
    UNION ALL
    SELECT up.tenant_id, up.descendant_id, m.manager_id, up.depth + 1
      FROM up JOIN users m ON m.tenant_id = up.tenant_id AND m.id = up.ancestor_id
     WHERE m.manager_id IS NOT NULL
) CYCLE ancestor_id SET looped USING path
SELECT tenant_id, ancestor_id, descendant_id, depth FROM up WHERE NOT looped;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE reporting_chain FORCE ROW LEVEL SECURITY;
