-- Who sees a network service (the rule of network_service_visible, as a
-- set): everyone the exchange_lan and public services; the owners; the
-- joining member of a p2p_vc; accounts a rule of the service allows;
-- accounts with a config on it. `accounts`: the caller's (scope_accounts).
CREATE OR REPLACE FUNCTION network_services_visible(accounts bigint[]) RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT s.id FROM network_services s WHERE s.type = 'exchange_lan' OR s.public
    UNION
    SELECT s.id FROM network_services s WHERE s.managing_account = ANY (accounts)
    UNION
    SELECT s.id FROM network_services s WHERE s.consuming_account = ANY (accounts)
    UNION
    SELECT s.id FROM network_services s WHERE s.joining_member_account = ANY (accounts)
    UNION
    SELECT r.network_service FROM member_joining_rules r WHERE r.type = 'allow' AND r.consuming_account = ANY (accounts)
    UNION
    SELECT c.network_service FROM network_service_configs c WHERE c.managing_account = ANY (accounts)
    UNION
    SELECT c.network_service FROM network_service_configs c WHERE c.consuming_account = ANY (accounts)
$$;
