-- Port reservations as their own orders (IX-API 2.7.1): a member adds a
-- reservation to a connection, an operator allocates a port to it, either
-- decommissions it; each reservation can carry its own LOA. And the
-- virtual-circuit product offerings (p2p_vc, p2mp_vc, mp2mp_vc, cloud_vc)
-- with the cloud fields of 2.7.1.

-- A port serves at most one reservation that is not gone yet (the storage
-- layer checks first and answers 400; this is the last line under races).
CREATE UNIQUE INDEX port_reservations_port_key ON port_reservations (port)
    WHERE port IS NOT NULL AND state NOT IN ('decommissioned', 'archived');
ALTER TABLE port_reservations
    ADD CONSTRAINT port_reservations_subscriber_side_demarc_check CHECK (char_length(subscriber_side_demarc) <= 128),
    ADD CONSTRAINT port_reservations_connecting_party_check CHECK (char_length(connecting_party) <= 128),
    ADD CONSTRAINT port_reservations_cross_connect_id_check CHECK (char_length(cross_connect_id) <= 128),
    ADD CONSTRAINT port_reservations_exchange_side_demarc_check CHECK (char_length(exchange_side_demarc) <= 128),
    ADD CONSTRAINT port_reservations_external_ref_check CHECK (char_length(external_ref) <= 128),
    ADD CONSTRAINT port_reservations_purchase_order_check CHECK (char_length(purchase_order) <= 80),
    ADD CONSTRAINT port_reservations_contract_ref_check CHECK (char_length(contract_ref) <= 128);

-- Letters of authorisation uploaded for one reservation (POST
-- /port-reservations/{id}/loa): the latest is served back by GET; without
-- one, the exchange renders the LOA of that reservation's demarc.
CREATE TABLE port_reservation_loas (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    port_reservation bigint NOT NULL REFERENCES port_reservations (id) ON DELETE CASCADE,
    pdf bytea NOT NULL CHECK (octet_length(pdf) BETWEEN 8 AND 1048576 AND substr(pdf, 1, 5) = '\x255044462d'::bytea),
    uploaded_by bigint,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX port_reservation_loas_port_reservation_idx ON port_reservation_loas (port_reservation, id DESC);

-- Cloud offerings (2.7.1 CloudNetworkProductOffering). cloud_key_pattern is
-- not rendered: it is how this exchange answers the `cloud_key` filter of
-- a provider_first workflow without asking the provider (a key the
-- subscriber got from the cloud provider matches the offerings whose
-- pattern, a POSIX regular expression, it matches).
ALTER TABLE product_offerings
    ADD COLUMN service_provider_region text,
    ADD COLUMN service_provider_pop text CHECK (char_length(service_provider_pop) <= 16),
    ADD COLUMN service_provider_workflow text CHECK (service_provider_workflow IN ('exchange_first', 'provider_first')),
    ADD COLUMN delivery_method text CHECK (delivery_method IN ('dedicated', 'shared')),
    ADD COLUMN diversity integer CHECK (diversity >= 1),
    -- compiling the pattern here refuses one that is not a regular expression
    ADD COLUMN cloud_key_pattern text CHECK (cloud_key_pattern IS NULL OR ('' ~ cloud_key_pattern) IS NOT NULL),
    ADD CONSTRAINT product_offerings_cloud_check CHECK (type <> 'cloud_vc' OR (
        service_provider_workflow IS NOT NULL AND delivery_method IS NOT NULL AND diversity IS NOT NULL));
