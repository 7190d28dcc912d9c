-- The IX-API representation of one account (reads, and the write paths'
-- events), rendered where the data is: ids are strings; `asns` are the ASNs it
-- registered with the exchange and those of its live service and feature
-- configs (2.7.1); billing_information, optional but not nullable, is left out
-- when unset (strict clients reject the null). The fields are written in
-- account_object, the ASNs and status entries come by key (account_asns,
-- account_status).
CREATE OR REPLACE FUNCTION account_json(a accounts) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT account_object(a, account_asns(a.id), account_status(a.id))
$$;
