/*
 * The `mail.send` job (payload {"id": mail}): reads the mail queued by
 * mail_queue() (migrations/functions/mail_queue.sql), sends it through SMTP
 * (smtp.h) and has the job's finishing transaction mark it `sent`
 * (mail_sent.sql). A failure is the job's: retried with the jobs' backoff,
 * dead after IXAPI_JOB_MAX_ATTEMPTS (an operator re-drives it with POST
 * /jobs/{id}/retry). A mail already `sent` is not sent again. The
 * Message-ID is fixed before the first try (mails.message_id), so a resend
 * after a crash between the server's 250 and the commit carries the same
 * Message-ID.
 */
#ifndef IXAPI_MAIL_MAIL_JOB_H
#define IXAPI_MAIL_MAIL_JOB_H

#include "jobs/handlers.h"

int mail_handle_send(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		     char *err, size_t err_len);

#endif
