-- One port reservation as IX-API shows it (reads of one object, the write
-- paths' events): port_reservations_render() applied to one row, so that a list
-- and a single object cannot differ.
CREATE OR REPLACE FUNCTION port_reservation_json(r port_reservations) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT x.j FROM port_reservations_render(ARRAY[r]) x
$$;
