/*
 * The mail.send job (see mail_job.h). No transaction is open while the SMTP
 * server is talked to: the mail is read (and its Message-ID fixed) by one
 * statement, sent, and marked by the job's finishing transaction.
 */
#include "mail/mail_job.h"

#include "core/log.h"
#include "core/util.h"
#include "mail/smtp.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Fixes the Message-ID of a mail not sent yet (the first try's stays) and
 * reads what is sent. */
static const char read_sql[] = "UPDATE mails SET message_id = coalesce(message_id, $2) WHERE id = $1::bigint"
			       " RETURNING state, recipient, subject, body, attachment_name, attachment, message_id";

int mail_handle_send(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		     char *err, size_t err_len)
{
	json_t *j_id = json_object_get(payload, "id");
	char id[24] = "";
	if (json_is_string(j_id))
		snprintf(id, sizeof(id), "%s", json_string_value(j_id));
	else if (json_is_integer(j_id))
		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(j_id));
	if (!util_is_id(id)) {
		snprintf(err, err_len, "the payload names no mail (\"id\")");
		return -1;
	}
	if (!ctx->smtp) {
		/* not claimed without IXAPI_SMTP_URL (jobs_claimable_kinds) */
		snprintf(err, err_len, "no SMTP server configured (IXAPI_SMTP_URL)");
		return -1;
	}
	char fresh_id[128];
	if (mail_message_id_new(ctx->smtp->from, fresh_id, sizeof(fresh_id)) != 0) {
		snprintf(err, err_len, "IXAPI_MAIL_FROM: not a plain address (cannot make a Message-ID)");
		return -1;
	}
	const char *params[] = {id, fresh_id};
	PGresult *res = NULL;
	struct problem *p = db_query(ctx->pool, read_sql, 2, params, &res);
	if (p) {
		snprintf(err, err_len, "database: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	int rc = -1;
	unsigned char *attachment = NULL;
	if (PQntuples(res) == 0) {
		LOG_WARN("job %s: mail %s is gone: nothing to send", job_id, id);
		rc = 0;
		goto out;
	}
	if (strcmp(db_get(res, 0, "state"), "sent") == 0) {
		LOG_INFO("job %s: mail %s was sent already: not again", job_id, id);
		rc = 0;
		goto out;
	}
	size_t attachment_len = 0;
	const char *attachment_name = db_get(res, 0, "attachment_name");
	if (attachment_name) {
		attachment = PQunescapeBytea((const unsigned char *)db_get(res, 0, "attachment"), &attachment_len);
		if (!attachment) {
			snprintf(err, err_len, "mail %s: its attachment cannot be read", id);
			goto out;
		}
	}
	const char *message_id = db_get(res, 0, "message_id");
	struct mail_message m = {.from = ctx->smtp->from,
				 .to = db_get(res, 0, "recipient"),
				 .subject = db_get(res, 0, "subject"),
				 .body = db_get(res, 0, "body"),
				 .attachment_name = attachment_name,
				 .attachment = attachment,
				 .attachment_len = attachment_len,
				 .message_id = message_id,
				 .date = time(NULL)};
	char why[768];
	if (smtp_send(ctx->smtp, &m, why, sizeof(why)) != 0) {
		snprintf(err, err_len, "mail %s: %s", id, why);
		goto out;
	}
	json_t *arg = json_pack("{s:s, s:s}", "id", id, "message_id", message_id);
	outcome->kind = OUTCOME_CALL;
	outcome->call_sql = "SELECT mail_sent($1::bigint, $2::jsonb)";
	outcome->entries = json_dumps(arg, JSON_COMPACT);
	json_decref(arg);
	LOG_INFO("job %s: mail %s sent (Message-ID %s, %zu-byte attachment)", job_id, id, message_id, attachment_len);
	rc = 0;
out:
	if (attachment)
		PQfreemem(attachment);
	PQclear(res);
	return rc;
}
