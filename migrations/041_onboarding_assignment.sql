-- needs: onboarding_production_follow
-- Issue 12, port assignment and billing start: an onboarded application's
-- connection (or the peering-LAN config on it) reaching `production` moves
-- the application to `production` and starts billing, in the transaction
-- of that change, whichever path made it (onboarding_production_follow).
CREATE TRIGGER connections_onboarding_production AFTER UPDATE OF state ON connections
    FOR EACH ROW WHEN (NEW.state = 'production' AND OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION onboarding_production_follow();
CREATE TRIGGER network_service_configs_onboarding_production AFTER UPDATE OF state ON network_service_configs
    FOR EACH ROW WHEN (NEW.state = 'production' AND OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION onboarding_production_follow();
