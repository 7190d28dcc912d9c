-- Tenant scope of a contact: seen by whoever sees its managing or its
-- consuming account (account_in_scope stays the one rule).
CREATE OR REPLACE FUNCTION contact_in_scope(c contacts, viewer bigint, viewer_is_operator boolean)
RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN account_in_scope(c.managing_account, viewer, viewer_is_operator)
        OR account_in_scope(c.consuming_account, viewer, viewer_is_operator);
END
$$;
