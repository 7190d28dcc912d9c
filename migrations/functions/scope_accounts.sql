-- The tenant rule as a set: the viewer's account and, recursively, the accounts
-- it manages (depth capped against cycles), computed once per statement. List
-- and read statements (server/resource/listing.c) join owned tables to it
-- through their indexed owner columns instead of running owner_in_scope() on
-- every row.
CREATE OR REPLACE FUNCTION scope_accounts(viewer bigint) RETURNS bigint[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH RECURSIVE tree (id, depth) AS (
        SELECT a.id, 0 FROM accounts a WHERE a.id = viewer
        UNION ALL
        SELECT a.id, t.depth + 1 FROM accounts a JOIN tree t ON a.managing_account = t.id WHERE t.depth < 32)
    SELECT coalesce(array_agg(id), '{}') FROM tree
$$;
