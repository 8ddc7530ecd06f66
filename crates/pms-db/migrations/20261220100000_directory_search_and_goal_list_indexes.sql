-- The people directory (`GET /api/v1/people`) and the goal list at 100,000 people in a tenant.
--
-- Under forced row-level security PostgreSQL uses a condition of the query as an index
-- condition only when every function in it is leakproof: plain comparisons of a column are;
-- lower(), || and LIKE are not, so neither an expression index on lower(name) nor a pg_trgm
-- index could serve these queries for pms_app (checked with EXPLAIN at 100,000 people). Hence
-- stored generated keys in the "C" collation (byte order, whatever the database's), compared
-- with plain >= and < (and email with the pattern operators ~>=~ and ~<~, the same order):
-- * directory_key = lower(last name || ' ' || first name): the directory's order and its keyset
--   cursor, and a last-name prefix (a prefix without spaces of the key is one of the last name);
-- * first_key = lower(first name): a first-name prefix;
-- * email (lower case by its check): an email prefix.
-- `q` then finds, for each word, the people whose first name, last name or email starts with
-- it: one index range per column and word, OR-ed and AND-ed in a bitmap.

ALTER TABLE public.users
    ADD COLUMN directory_key text COLLATE "C" GENERATED ALWAYS AS (lower(last_name || ' ' || first_name)) STORED,
    ADD COLUMN first_key text COLLATE "C" GENERATED ALWAYS AS (lower(first_name)) STORED;
COMMENT ON COLUMN public.users.directory_key IS 'lower(last_name || '' '' || first_name): the directory''s order and last-name search';
COMMENT ON COLUMN public.users.first_key IS 'lower(first_name): first-name search';

CREATE INDEX users_directory_idx ON public.users (tenant_id, directory_key, id)
    WHERE deleted_at IS NULL;
CREATE INDEX users_first_key_idx ON public.users (tenant_id, first_key)
    WHERE deleted_at IS NULL;
CREATE INDEX users_email_prefix_idx ON public.users (tenant_id, email text_pattern_ops)
    WHERE deleted_at IS NULL;

-- The goal list (`GET /api/v1/goals`, newest first) reads the union of a few streams in
-- (created_at, id) order, each cut at the page size (see VISIBLE_CANDIDATES in the API's
-- routes/goals.rs): HR's (every goal), PUBLIC goals, one owner's goals. Before these, every
-- list sorted the tenant's goals and checked each one.
CREATE INDEX goals_recent_idx ON public.goals (tenant_id, created_at, id)
    WHERE deleted_at IS NULL;
CREATE INDEX goals_public_recent_idx ON public.goals (tenant_id, created_at, id)
    WHERE visibility = 'PUBLIC' AND deleted_at IS NULL;
CREATE INDEX goals_owner_recent_idx ON public.goals (tenant_id, owner_id, created_at, id)
    WHERE deleted_at IS NULL;

COMMENT ON INDEX public.users_directory_idx IS
    'GET /people: the directory in name order, one page per keyset range; q: last-name prefixes';
COMMENT ON INDEX public.users_first_key_idx IS
    'GET /people?q=: first-name prefixes';
COMMENT ON INDEX public.users_email_prefix_idx IS
    'GET /people?q=: email prefixes';
COMMENT ON INDEX public.goals_recent_idx IS
    'GET /goals: newest first, for HR and for managers of many people';
COMMENT ON INDEX public.goals_public_recent_idx IS
    'GET /goals: the PUBLIC goals, newest first';
COMMENT ON INDEX public.goals_owner_recent_idx IS
    'GET /goals?owner_id= and the goals of one person or of a small team, newest first';
