-- needs: nfc_route_server_job
-- Issue 11: a route-server session's MD5 password is one the route servers
-- can use: at most 80 characters (a TCP-MD5 key is at most 80 bytes in Linux,
-- TCP_MD5SIG_MAXKEYLEN), printable ASCII without '"' and '\' (BIRD's
-- configuration quotes it). The API refuses anything else
-- (bgp_password_unusable_reason(), server/bgp/bgp_rules.c); the column's
-- limit follows (the field table's limit equals it, field_limits_itest).
--
-- A stored password outside the rule never reached a route server: the
-- route-server adapter refuses the whole desired state of the route server
-- that carries it. It is removed, with a status entry telling the member to
-- set a new one, and a route_server.session job pushes the session (and the
-- route server's other sessions) again.
CREATE TEMPORARY TABLE unusable_passwords ON COMMIT DROP AS
    SELECT id FROM network_feature_configs
     WHERE password <> '' AND (char_length(password) > 80 OR password !~ '^[ !#-\[\]-~]+$');
UPDATE network_feature_configs SET password = '', updated_at = now()
 WHERE id IN (SELECT id FROM unusable_passwords);
INSERT INTO status_entries (object_type, object_id, severity, tag, message)
    SELECT 'network_feature_config', id, 3, 'password',
           'The BGP password was removed: the route servers cannot use it (at most 80 printable ASCII'
           ' characters without " and \). Set a new one.'
      FROM unusable_passwords;
INSERT INTO jobs (kind, payload)
    SELECT 'route_server.session', nfc_route_server_job(f, 'configure')
      FROM network_feature_configs f
     WHERE f.id IN (SELECT id FROM unusable_passwords) AND f.state NOT IN ('decommissioned', 'archived');
ALTER TABLE network_feature_configs DROP CONSTRAINT network_feature_configs_password_check;
ALTER TABLE network_feature_configs ADD CONSTRAINT network_feature_configs_password_check
    CHECK (char_length(password) <= 80);
