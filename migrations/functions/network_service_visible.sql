-- Who sees a network service: operators; everyone the exchange_lan; the owners;
-- the joining member of a p2p_vc; everyone a public one; accounts an allow rule
-- names; accounts with a config on it. The one place of the rule for services
-- (their features follow their service): this form for the write paths that
-- check one service, network_services_visible() for sets.
CREATE OR REPLACE FUNCTION network_service_visible(s network_services, viewer bigint, viewer_is_operator boolean)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT viewer_is_operator OR s.id IN (SELECT network_services_visible(scope_accounts(viewer)))
$$;
