-- One contact as IX-API shows it (reads of one object, the write paths'
-- events): contacts_render() applied to one row, so that a list and a single
-- object cannot differ.
CREATE OR REPLACE FUNCTION contact_json(c contacts) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT r.j FROM contacts_render(ARRAY[c]) r
$$;
