-- Issue 12, mail: GET /mails shows each mail with its mail.send job (the
-- job's payload names the mail); a small index over those jobs only.
CREATE INDEX jobs_mail_send_idx ON jobs ((payload->>'id'), id) WHERE kind = 'mail.send';
