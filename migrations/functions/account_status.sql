-- The IX-API `status` array of one account, by key (PL/pgSQL: its plan is
-- kept per session): its onboarding conditions (review due, colocation
-- unconfirmed, agreement unsigned, ...), NULL when it has none.
CREATE OR REPLACE FUNCTION account_status(acc bigint) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (SELECT r.j::jsonb FROM status_entries_render('account', ARRAY[acc]) r);
END
$$;
