-- A one-on-one's private notes are for the person who wrote them and nobody else (issue 15).
-- Row-level security decides which rows a role sees, never which columns: as a column of
-- one_on_ones, which the employee and the manager's chain may read, private_notes could not be
-- kept from them. The notes move to a table of their own, one row per note and writer, whose
-- visibility policy (070_visibility_03_policies.sql) shows a note to its author only. The notes
-- that exist were the manager's (the upstream meaning of the column), so the manager becomes
-- their author.
CREATE TABLE one_on_one_private_notes (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    one_on_one_id uuid NOT NULL,
    author_id     uuid NOT NULL,
    body          text NOT NULL CHECK (length(trim(body)) > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, one_on_one_id) REFERENCES one_on_ones (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE one_on_one_private_notes IS
    '[performance] Private notes on a one-on-one, each seen and written by its author only';
CREATE UNIQUE INDEX one_on_one_private_notes_author_meeting_key ON one_on_one_private_notes (tenant_id, author_id, one_on_one_id);
COMMENT ON INDEX one_on_one_private_notes_author_meeting_key IS
    'my note on a meeting (one per author and meeting); also FK author_id -> users';
CREATE INDEX one_on_one_private_notes_meeting_idx ON one_on_one_private_notes (tenant_id, one_on_one_id);
COMMENT ON INDEX one_on_one_private_notes_meeting_idx IS
    'FK one_on_one_id -> one_on_ones: the lookup behind ON DELETE of a meeting';
SELECT pms_meta.enable_tenant_rls('one_on_one_private_notes'),
       pms_meta.add_updated_at_trigger('one_on_one_private_notes');

ALTER TABLE one_on_ones NO FORCE ROW LEVEL SECURITY;
ALTER TABLE one_on_one_private_notes NO FORCE ROW LEVEL SECURITY;
INSERT INTO one_on_one_private_notes (tenant_id, one_on_one_id, author_id, body, created_at)
SELECT tenant_id, id, manager_id, private_notes, created_at
  FROM one_on_ones
 WHERE length(trim(coalesce(private_notes, ''))) > 0;
ALTER TABLE one_on_ones FORCE ROW LEVEL SECURITY;
ALTER TABLE one_on_one_private_notes FORCE ROW LEVEL SECURITY;

ALTER TABLE one_on_ones DROP COLUMN private_notes;
