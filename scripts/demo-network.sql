-- The demo member's network, for `make run`'s lab and tests/e2e/network.sh
-- (not part of `ixapid seed-demo`, whose demo member the integration tests
-- expect bare): a NOC/implementation contact, the MAC of its router
-- (02:00:00:00:00:01, the lab's m1) and a 10G connection in production on
-- port p1 of ams-sp-sw1.demo-ix.net (wired into the lab as m1's port), so a
-- peering-LAN config can be ordered on it at once.
-- One transaction; does nothing when p1 is already on a connection.
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f scripts/demo-network.sql
BEGIN;
WITH member AS (SELECT id FROM accounts WHERE external_ref = 'demo:member'),
 free AS (SELECT p.id FROM ports p JOIN devices d ON d.id = p.device
           WHERE d.name = 'ams-sp-sw1.demo-ix.net' AND p.name = 'p1' AND p.connection IS NULL),
 ct AS (INSERT INTO contacts (managing_account, consuming_account, name, email, telephone)
        SELECT member.id, member.id, 'Demo NOC', 'noc@member.example', '+31200000000' FROM member, free
        RETURNING id),
 ra AS (INSERT INTO role_assignments (contact, role)
        SELECT ct.id, r.id FROM ct, roles r WHERE r.name IN ('noc', 'implementation') RETURNING id),
 mac AS (INSERT INTO macs (managing_account, consuming_account, address)
         SELECT member.id, member.id, '02:00:00:00:00:01' FROM member, free RETURNING id),
 k AS (INSERT INTO connections (state, managing_account, consuming_account, billing_account, name, mode,
                                product_offering, port_quantity)
       SELECT 'production', member.id, member.id, member.id, 'demo-member-ams-sp', 'standalone', o.id, 1
         FROM member, free, product_offerings o WHERE o.type = 'connection' AND o.name = 'AMS-SP-10G'
       RETURNING id),
 cra AS (INSERT INTO connection_role_assignments (connection, role_assignment) SELECT k.id, ra.id FROM k, ra),
 port AS (UPDATE ports p SET connection = k.id, managing_account = member.id, consuming_account = member.id,
                 billing_account = member.id
            FROM k, member, free WHERE p.id = free.id RETURNING p.id)
INSERT INTO port_reservations (connection, state, port) SELECT k.id, 'production', port.id FROM k, port;
COMMIT;
