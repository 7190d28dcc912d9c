-- Where a mail's delivery shows (its status entries): a mail about an
-- application or its agreement on the applicant's account (where a portal
-- reads an application's progress), one about an account, a connection, a
-- port reservation or a network service config on that object. NULLs for any
-- other object, or when the object is gone.
CREATE OR REPLACE FUNCTION mail_about(m_id bigint, OUT o_type text, OUT o_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT CASE
               WHEN m.object_type IN ('agreement', 'application') THEN 'account'
               WHEN m.object_type IN ('account', 'connection', 'port_reservation', 'network_service_config')
                   THEN m.object_type
           END,
           CASE m.object_type
               WHEN 'agreement' THEN (SELECT p.account FROM agreements a JOIN applications p ON p.id = a.application
                                       WHERE a.id = m.object_id)
               WHEN 'application' THEN (SELECT p.account FROM applications p WHERE p.id = m.object_id)
               WHEN 'account' THEN (SELECT a.id FROM accounts a WHERE a.id = m.object_id)
               WHEN 'connection' THEN (SELECT c.id FROM connections c WHERE c.id = m.object_id)
               WHEN 'port_reservation' THEN (SELECT r.id FROM port_reservations r WHERE r.id = m.object_id)
               WHEN 'network_service_config' THEN (SELECT n.id FROM network_service_configs n
                                                    WHERE n.id = m.object_id)
           END
      FROM mails m
     WHERE m.id = m_id;
$$;
