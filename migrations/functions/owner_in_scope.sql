-- The tenant scope of an object owned through a managing and a consuming
-- account: seen by whoever sees either (account_in_scope stays the one rule).
CREATE OR REPLACE FUNCTION owner_in_scope(managing bigint, consuming bigint, viewer bigint, viewer_is_operator boolean)
RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN account_in_scope(managing, viewer, viewer_is_operator)
        OR account_in_scope(consuming, viewer, viewer_is_operator);
END
$$;
