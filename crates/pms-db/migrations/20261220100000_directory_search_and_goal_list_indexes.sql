-- The people directory (`GET /api/v1/people`) and the goal list at 100,000 people in a tenant.
--
-- * users_directory_idx serves the directory's order (last name, first name, id) and its
--   keyset cursor, so a page reads `limit` index entries instead of sorting the tenant.
-- * users_search_trgm serves `q`: each word of the query must start a word of the person's
--   names or their email. The API matches every word against the text
--   ' ' || lower(first_name) || ' ' || lower(last_name) || ' ' || email with LIKE '% word%';
--   pg_trgm indexes that text (a word start carries pg_trgm's leading padding, so even a
--   two-letter prefix is selective). The expression here and the API's must stay the same.

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE INDEX users_directory_idx ON public.users
    (tenant_id, lower(last_name || ' ' || first_name), id)
    WHERE deleted_at IS NULL;

CREATE INDEX users_search_trgm ON public.users
    USING gin ((' ' || lower(first_name) || ' ' || lower(last_name) || ' ' || email) public.gin_trgm_ops)
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
    'GET /people: the directory in name order, one page per keyset range';
COMMENT ON INDEX public.users_search_trgm IS
    'GET /people?q=: each query word LIKE ''% word%'' over names and email (pg_trgm)';
COMMENT ON INDEX public.goals_recent_idx IS
    'GET /goals: newest first, for HR and for managers of many people';
COMMENT ON INDEX public.goals_public_recent_idx IS
    'GET /goals: the PUBLIC goals, newest first';
COMMENT ON INDEX public.goals_owner_recent_idx IS
    'GET /goals?owner_id= and the goals of one person or of a small team, newest first';
