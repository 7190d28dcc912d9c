-- One network service as IX-API shows it (reads of one object, the write paths'
-- events): network_services_render() applied to one row, so that a list and a
-- single object cannot differ.
CREATE OR REPLACE FUNCTION network_service_json(s network_services) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM network_services_render(ARRAY[s]) r
$$;
