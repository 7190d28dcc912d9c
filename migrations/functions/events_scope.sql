-- The accounts whose events a member or portal key sees (GET /events, its
-- webhooks): its tenant scope (scope_accounts) and the applicant accounts of
-- the applications its account submitted. Operators see every event.
CREATE OR REPLACE FUNCTION events_scope(viewer bigint) RETURNS bigint[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT scope_accounts(viewer)
        || coalesce((SELECT array_agg(a.account) FROM applications a WHERE a.submitted_by_account = viewer), '{}')
$$;
