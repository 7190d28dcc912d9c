DROP FUNCTION IF EXISTS account_object(accounts, jsonb);
-- The fields of one account, the one place they are written: accounts_render()
-- gathers the ASNs and status entries once for a whole page, account_asns()
-- and account_status() by key for the single account a read (the hot path)
-- renders. An account's ASNs are its registered ones and those of its live
-- configs; its status lists its open onboarding conditions (issue 12).
CREATE OR REPLACE FUNCTION account_object(a accounts, asns jsonb, status jsonb) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object(
               'id', a.id::text,
               'state', a.state,
               'status', coalesce(status, '[]'::jsonb),
               'managing_account', a.managing_account::text,
               'name', a.name,
               'legal_name', a.legal_name,
               'external_ref', a.external_ref,
               'discoverable', a.discoverable,
               'metro_area_network_presence', to_jsonb(a.metro_area_network_presence),
               'address', a.address,
               'asns', coalesce(asns, '[]'::jsonb))
           || CASE WHEN a.billing_information IS NOT NULL
                   THEN jsonb_build_object('billing_information', a.billing_information) ELSE '{}'::jsonb END
$$;
