-- One metro area as IX-API shows it (reads of one object, the write paths'
-- events): metro_areas_render() applied to one row, so that a list and a single
-- object cannot differ.
CREATE OR REPLACE FUNCTION metro_area_json(m metro_areas) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM metro_areas_render(ARRAY[m]) r
$$;
