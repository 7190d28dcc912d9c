-- One facility as IX-API shows it (reads of one object, the write paths'
-- events): facilities_render() applied to one row, so that a list and a single
-- object cannot differ.
CREATE OR REPLACE FUNCTION facility_json(f facilities) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM facilities_render(ARRAY[f]) r
$$;
