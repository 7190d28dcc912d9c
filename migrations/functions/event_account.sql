-- The account an audit event is about (events.account, the tenant scope of
-- GET /events and of webhooks): an account's own id; an application's (and
-- its agreement's) applicant account; a role assignment's contact's account;
-- an API key's login: the key's account (the actor); a webhook: its owner;
-- an object with owners: its consuming account, else its managing account
-- (read from the new value, else the old); NULL for what no tenant owns
-- (jobs, catalogue objects): operators only.
CREATE OR REPLACE FUNCTION event_account(o_type text, o_id text, old_value jsonb, new_value jsonb,
                                         actor_account bigint)
RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    v jsonb := coalesce(new_value, old_value);
    acc bigint;
BEGIN
    IF o_type = 'account' THEN
        RETURN id_or_null(o_id);
    ELSIF o_type = 'application' THEN
        SELECT a.account INTO acc FROM applications a WHERE a.id = id_or_null(o_id);
        RETURN coalesce(acc, id_or_null(v->>'account'));
    ELSIF o_type = 'agreement' THEN
        SELECT a.account INTO acc
          FROM agreements g JOIN applications a ON a.id = g.application
         WHERE g.id = id_or_null(o_id);
        RETURN coalesce(acc, id_or_null(v->>'account'));
    ELSIF o_type = 'role_assignment' THEN
        SELECT coalesce(c.consuming_account, c.managing_account) INTO acc
          FROM contacts c WHERE c.id = id_or_null(v->>'contact');
        RETURN acc;
    ELSIF o_type = 'api_key' THEN
        RETURN actor_account;
    ELSIF o_type = 'webhook' THEN
        RETURN id_or_null(v->>'account');
    END IF;
    RETURN coalesce(id_or_null(v->>'consuming_account'), id_or_null(v->>'managing_account'));
END
$$;
