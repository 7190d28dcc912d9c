-- The finishing transaction of a `mail.send` job that the SMTP server took
-- (server/mail/mail_job.c): the mail is `sent`, with the time and the
-- Message-ID it went out with. arg: {"id": mail, "message_id": "<...>"}. A
-- mail already sent keeps its first record. The `mail_failed` entry of this
-- mail (job_dead, before an operator re-drove it) goes. job_id: the job
-- (unused: the signature of the workers' finishing calls).
CREATE OR REPLACE FUNCTION mail_sent(job_id bigint, arg jsonb)
RETURNS void LANGUAGE sql AS $$
    UPDATE mails SET state = 'sent', sent_at = now(), message_id = arg->>'message_id'
     WHERE id = (arg->>'id')::bigint AND state = 'queued';
    DELETE FROM status_entries s
     USING mail_about((arg->>'id')::bigint) w
     WHERE s.object_type = w.o_type AND s.object_id = w.o_id AND s.tag = 'mail_failed'
       AND s.attrs->>'mail' = arg->>'id';
$$;
