-- The required fields of the contact's assigned roles that it lacks, as
-- "role: field" texts; empty when every assignment is satisfied.
CREATE OR REPLACE FUNCTION contact_missing_fields(c contacts) RETURNS text[] LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN ARRAY(
        SELECT r.name || ': ' || f
          FROM role_assignments a JOIN roles r ON r.id = a.role, unnest(r.required_fields) AS f
         WHERE a.contact = c.id
           AND coalesce(CASE f WHEN 'name' THEN c.name WHEN 'email' THEN c.email
                               WHEN 'telephone' THEN c.telephone END, '') = ''
         ORDER BY r.name, f);
END
$$;
