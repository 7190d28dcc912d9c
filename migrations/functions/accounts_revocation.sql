-- Trigger of accounts: a deleted account is recorded and announced
-- (auth_revocation_record); its keys' tokens stop working on every node.
CREATE OR REPLACE FUNCTION accounts_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM auth_revocation_record('account', OLD.id);
    RETURN OLD;
END
$$;
