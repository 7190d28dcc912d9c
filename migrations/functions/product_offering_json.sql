-- One product offering as IX-API shows it (reads of one object, the write
-- paths' events): product_offerings_render() applied to one row, so that a list
-- and a single object cannot differ.
CREATE OR REPLACE FUNCTION product_offering_json(o product_offerings) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM product_offerings_render(ARRAY[o]) r
$$;
