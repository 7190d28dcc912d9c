-- Queues one mail in the caller's transaction: the message in `mails`, its
-- `mail.send` job in the outbox (payload: the mail's id only). The workers
-- send it through SMTP and retry it with the jobs' backoff. Returns the
-- mail's id.
CREATE OR REPLACE FUNCTION mail_queue(recipient text, subject text, body text, attachment_name text,
                                      attachment bytea, o_type text, o_id bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    m_id bigint;
BEGIN
    INSERT INTO mails (recipient, subject, body, attachment_name, attachment, object_type, object_id)
    VALUES (recipient, subject, body, attachment_name, attachment, o_type, o_id)
    RETURNING id INTO m_id;
    INSERT INTO jobs (kind, payload) VALUES ('mail.send', jsonb_build_object('id', m_id::text));
    RETURN m_id;
END
$$;
