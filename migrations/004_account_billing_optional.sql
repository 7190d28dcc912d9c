-- IX-API: billing_information is an optional, non-nullable property of an
-- Account (2.1.0 schema; 2.7.1 likewise). An account without it omits the
-- key instead of sending null, which strict clients reject.
CREATE OR REPLACE FUNCTION account_json(a accounts) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    j jsonb;
BEGIN
    j := jsonb_build_object(
        'id', a.id::text,
        'state', a.state,
        'status', '[]'::jsonb,
        'managing_account', a.managing_account::text,
        'name', a.name,
        'legal_name', a.legal_name,
        'external_ref', a.external_ref,
        'discoverable', a.discoverable,
        'metro_area_network_presence', to_jsonb(a.metro_area_network_presence),
        'address', a.address,
        'asns', (SELECT coalesce(jsonb_agg(x.asn ORDER BY x.asn), '[]'::jsonb)
                   FROM account_asns x WHERE x.account_id = a.id));
    IF a.billing_information IS NOT NULL THEN
        j := j || jsonb_build_object('billing_information', a.billing_information);
    END IF;
    RETURN j;
END
$$;
