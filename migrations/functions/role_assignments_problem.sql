-- The role assignments a service config or feature config names: each a
-- visible assignment of a contact of the object's accounts, together
-- covering the roles `required` lists. NULL when fine, else the reason.
CREATE OR REPLACE FUNCTION role_assignments_problem(given jsonb, managing text, consuming text, required bigint[],
                                         viewer bigint, viewer_is_operator boolean)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    n_given integer;
    n_ok integer;
    missing text;
BEGIN
    SELECT count(*) INTO n_given FROM jsonb_array_elements_text(coalesce(given, '[]')) AS g;
    SELECT count(*) INTO n_ok
      FROM jsonb_array_elements_text(coalesce(given, '[]')) AS g
      JOIN role_assignments a ON a.id::text = g JOIN contacts c ON c.id = a.contact
     WHERE contact_in_scope(c, viewer, viewer_is_operator)
       AND (c.consuming_account::text IN (managing, consuming) OR c.managing_account::text IN (managing, consuming));
    IF n_given <> n_ok THEN
        RETURN 'Every item must be a role assignment of a contact of the object''s accounts.';
    END IF;
    SELECT string_agg(r.name, ', ' ORDER BY r.name) INTO missing
      FROM unnest(required) AS need JOIN roles r ON r.id = need
     WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(given, '[]')) AS g
                         JOIN role_assignments a ON a.id::text = g WHERE a.role = need);
    IF missing IS NOT NULL THEN
        RETURN 'Contacts with these roles are required: ' || missing || '.';
    END IF;
    RETURN NULL;
END
$$;
