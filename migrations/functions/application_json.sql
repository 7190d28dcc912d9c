-- One application as the API shows it (reads of one object, the write
-- paths' events): applications_render() on one row, so that a list and a
-- single object cannot differ.
CREATE OR REPLACE FUNCTION application_json(a applications) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM applications_render(ARRAY[a]) r
$$;
