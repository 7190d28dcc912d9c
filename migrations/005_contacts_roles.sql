-- Roles, contacts and role assignments (IX-API "contacts", "roles",
-- "role-assignments"). A contact belongs to a managing and a consuming
-- account and is visible to whoever sees either; a role names the contact
-- fields it needs, enforced when it is assigned and while it stays assigned.

CREATE TABLE roles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 80),
    required_fields text[] NOT NULL DEFAULT '{}'
        CHECK (required_fields <@ ARRAY['name', 'email', 'telephone']::text[])
);

-- The IX-API roles and what an exchange needs of each.
INSERT INTO roles (name, required_fields) VALUES
    ('implementation', '{name,email,telephone}'),
    ('noc', '{email,telephone}'),
    ('peering', '{email}'),
    ('billing', '{name,email}'),
    ('legal', '{name,email}'),
    ('abuse', '{email}');

CREATE TABLE contacts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    managing_account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    consuming_account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    external_ref text CHECK (char_length(external_ref) <= 128),
    name text CHECK (char_length(name) <= 128),
    telephone text CHECK (telephone ~ '^\+[1-9][0-9]{1,14}$'),
    email text CHECK (char_length(email) <= 80 AND email ~ '^[^@\s]+@[^@\s]+$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_managing_account_idx ON contacts (managing_account);
CREATE INDEX contacts_consuming_account_idx ON contacts (consuming_account);

CREATE TABLE role_assignments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    role bigint NOT NULL REFERENCES roles (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (contact, role)
);
CREATE INDEX role_assignments_role_idx ON role_assignments (role);

-- Tenant scope of a contact: seen by whoever sees its managing or its
-- consuming account (account_in_scope stays the one rule).
CREATE FUNCTION contact_in_scope(c contacts, viewer bigint, viewer_is_operator boolean)
RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN account_in_scope(c.managing_account, viewer, viewer_is_operator)
        OR account_in_scope(c.consuming_account, viewer, viewer_is_operator);
END
$$;

CREATE FUNCTION role_json(r roles) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object('id', r.id::text, 'name', r.name, 'required_fields', to_jsonb(r.required_fields));
END
$$;

CREATE FUNCTION contact_json(c contacts) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'id', c.id::text,
        'managing_account', c.managing_account::text,
        'consuming_account', c.consuming_account::text,
        'external_ref', c.external_ref,
        'name', c.name,
        'telephone', c.telephone,
        'email', c.email);
END
$$;

CREATE FUNCTION role_assignment_json(a role_assignments) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object('id', a.id::text, 'role', a.role::text, 'contact', a.contact::text);
END
$$;

-- The required fields of the contact's assigned roles that it lacks, as
-- "role: field" texts; empty when every assignment is satisfied.
CREATE FUNCTION contact_missing_fields(c contacts) RETURNS text[] LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
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
