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
