-- Ports, connections and port reservations (IX-API 2.7.1). A member orders
-- a connection from a `connection` product offering; the exchange reserves
-- `port_quantity` ports for it (port reservations, `port` null until a port
-- is allocated) and later assigns ports from its inventory. Side effects on
-- the network are queued in `jobs` in the same transaction.

CREATE TABLE connections (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    state text NOT NULL DEFAULT 'requested' CHECK (state IN (
        'requested', 'allocated', 'testing', 'production', 'production_change_pending',
        'decommission_requested', 'decommissioned', 'archived', 'error', 'operator', 'scheduled')),
    managing_account bigint NOT NULL REFERENCES accounts (id),
    consuming_account bigint NOT NULL REFERENCES accounts (id),
    billing_account bigint NOT NULL REFERENCES accounts (id),
    external_ref text CHECK (char_length(external_ref) <= 128),
    purchase_order text NOT NULL DEFAULT '' CHECK (char_length(purchase_order) <= 80),
    contract_ref text CHECK (char_length(contract_ref) <= 128),
    name text NOT NULL DEFAULT '',
    mode text NOT NULL CHECK (mode IN ('lag_lacp', 'lag_static', 'flex_ethernet', 'standalone')),
    lacp_timeout text CHECK (lacp_timeout IN ('slow', 'fast')),
    product_offering bigint NOT NULL REFERENCES product_offerings (id),
    port_quantity integer NOT NULL CHECK (port_quantity > 0),
    subscriber_side_demarcs text[] NOT NULL DEFAULT '{}',
    connecting_party text CHECK (char_length(connecting_party) <= 128),
    decommission_at date,
    charged_until date,
    current_billing_start_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT connections_port_quantity_check2 CHECK (mode <> 'standalone' OR port_quantity = 1),
    CONSTRAINT connections_lacp_timeout_check2 CHECK (lacp_timeout IS NULL OR mode = 'lag_lacp')
);
CREATE INDEX connections_managing_account_idx ON connections (managing_account);
CREATE INDEX connections_consuming_account_idx ON connections (consuming_account);
-- An account with connections cannot be deleted (accounts have services).

CREATE TABLE connection_role_assignments (
    connection bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    role_assignment bigint NOT NULL REFERENCES role_assignments (id),
    PRIMARY KEY (connection, role_assignment)
);

CREATE TABLE ports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    device bigint NOT NULL REFERENCES devices (id),
    media_type text NOT NULL,
    speed integer CHECK (speed > 0),
    state text NOT NULL DEFAULT 'production' CHECK (state IN (
        'requested', 'allocated', 'testing', 'production', 'production_change_pending',
        'decommission_requested', 'decommissioned', 'archived', 'error', 'operator', 'scheduled')),
    operational_state text NOT NULL DEFAULT 'down' CHECK (operational_state IN ('up', 'down')),
    -- inventory belongs to the exchange's account until assigned
    managing_account bigint NOT NULL REFERENCES accounts (id),
    consuming_account bigint NOT NULL REFERENCES accounts (id),
    billing_account bigint NOT NULL REFERENCES accounts (id),
    external_ref text,
    purchase_order text NOT NULL DEFAULT '',
    contract_ref text,
    connection bigint REFERENCES connections (id)
);
CREATE INDEX ports_connection_idx ON ports (connection);

CREATE TABLE port_reservations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection bigint NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    state text NOT NULL DEFAULT 'requested' CHECK (state IN (
        'requested', 'allocated', 'testing', 'production', 'production_change_pending',
        'decommission_requested', 'decommissioned', 'archived', 'error', 'operator', 'scheduled')),
    port bigint REFERENCES ports (id),
    subscriber_side_demarc text,
    connecting_party text,
    cross_connect_id text,
    exchange_side_demarc text,
    external_ref text,
    purchase_order text NOT NULL DEFAULT '',
    contract_ref text,
    decommission_at date,
    charged_until date,
    current_billing_start_date date,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX port_reservations_connection_idx ON port_reservations (connection);
