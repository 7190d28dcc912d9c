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

CREATE FUNCTION port_json(p ports) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'id', p.id::text, 'state', p.state, 'status', '[]'::jsonb,
        'managing_account', p.managing_account::text, 'consuming_account', p.consuming_account::text,
        'billing_account', p.billing_account::text, 'external_ref', p.external_ref,
        'purchase_order', p.purchase_order, 'contract_ref', p.contract_ref, 'role_assignments', '[]'::jsonb,
        'connection', p.connection::text, 'speed', p.speed, 'name', p.name, 'media_type', p.media_type,
        'operational_state', p.operational_state, 'device', p.device::text,
        'pop', (SELECT d.pop::text FROM devices d WHERE d.id = p.device));
END
$$;

CREATE FUNCTION connection_json(c connections) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    o product_offerings;
BEGIN
    SELECT * INTO o FROM product_offerings WHERE id = c.product_offering;
    RETURN jsonb_build_object(
        'id', c.id::text, 'state', c.state, 'status', '[]'::jsonb,
        'decommission_at', to_char(c.decommission_at, 'YYYY-MM-DD'),
        'charged_until', to_char(c.charged_until, 'YYYY-MM-DD'),
        'current_billing_start_date', to_char(c.current_billing_start_date, 'YYYY-MM-DD'),
        'managing_account', c.managing_account::text, 'consuming_account', c.consuming_account::text,
        'billing_account', c.billing_account::text, 'external_ref', c.external_ref,
        'purchase_order', c.purchase_order, 'contract_ref', c.contract_ref,
        'role_assignments', (SELECT coalesce(jsonb_agg(r.role_assignment::text ORDER BY r.role_assignment), '[]'::jsonb)
                               FROM connection_role_assignments r WHERE r.connection = c.id),
        'mode', c.mode, 'lacp_timeout', c.lacp_timeout, 'product_offering', c.product_offering::text,
        'name', c.name,
        'ports', (SELECT coalesce(jsonb_agg(p.id::text ORDER BY p.id), '[]'::jsonb) FROM ports p WHERE p.connection = c.id),
        'port_reservations', (SELECT coalesce(jsonb_agg(r.id::text ORDER BY r.id), '[]'::jsonb)
                                FROM port_reservations r WHERE r.connection = c.id),
        'pop', o.handover_pop::text,
        'speed', o.physical_port_speed,
        'capacity_allocated', 0,
        'capacity_allocation_limit', CASE WHEN o.physical_port_speed IS NULL THEN NULL
                                          ELSE o.physical_port_speed * c.port_quantity END,
        'vlan_types', '["port", "dot1q", "qinq"]'::jsonb,
        'outer_vlan_ethertypes', '["0x8100", "0x88a8"]'::jsonb,
        'port_quantity', c.port_quantity,
        'subscriber_side_demarcs', to_jsonb(c.subscriber_side_demarcs),
        'metro_area', o.handover_metro_area::text,
        'metro_area_network', o.handover_metro_area_network::text);
END
$$;

CREATE FUNCTION port_reservation_json(r port_reservations) RETURNS jsonb LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN jsonb_build_object(
        'id', r.id::text, 'state', r.state, 'status', '[]'::jsonb,
        'decommission_at', to_char(r.decommission_at, 'YYYY-MM-DD'),
        'charged_until', to_char(r.charged_until, 'YYYY-MM-DD'),
        'current_billing_start_date', to_char(r.current_billing_start_date, 'YYYY-MM-DD'),
        'purchase_order', r.purchase_order, 'contract_ref', r.contract_ref, 'external_ref', r.external_ref,
        'subscriber_side_demarc', r.subscriber_side_demarc, 'connecting_party', r.connecting_party,
        'cross_connect_id', r.cross_connect_id, 'connection', r.connection::text,
        -- only once a port is allocated or in production (2.7.1)
        'exchange_side_demarc', CASE WHEN r.state IN ('allocated', 'production') THEN r.exchange_side_demarc END,
        'port', r.port::text);
END
$$;

-- The cancellation policy of a contract that started on `started` under
-- an offering's periods: the first possible decommission date on or after
-- `requested` (the notice period counts from `today`), and the day the
-- obligation to pay ends (the end of the initial period, or of the renewal
-- period the decommissioning falls in). Without periods: the requested day.
CREATE FUNCTION cancellation_policy(started date, requested date, today date, o product_offerings,
                                    OUT decommission_at date, OUT charged_until date)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    initial_end date;
    notice interval;
    period_end date;
BEGIN
    IF o.contract_initial_period IS NULL THEN
        decommission_at := greatest(requested, today);
        charged_until := decommission_at;
        RETURN;
    END IF;
    initial_end := (started + o.contract_initial_period::interval)::date;
    IF today < initial_end THEN
        notice := coalesce(o.contract_initial_notice_period, 'P0D')::interval;
    ELSE
        notice := coalesce(o.contract_renewal_notice_period, 'P0D')::interval;
    END IF;
    decommission_at := greatest(requested, (today + notice)::date);
    IF decommission_at <= initial_end OR o.contract_renewal_period IS NULL THEN
        charged_until := greatest(initial_end, decommission_at);
        RETURN;
    END IF;
    period_end := initial_end;
    WHILE period_end < decommission_at LOOP
        period_end := (period_end + o.contract_renewal_period::interval)::date;
    END LOOP;
    charged_until := period_end;
END
$$;
