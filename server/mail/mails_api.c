/*
 * GET /mails (see mails_api.h). One statement: the mails and their jobs.
 */
#include "mail/mails_api.h"

#include "app.h"
#include "core/util.h"
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const mail_states[] = {"queued", "sent", NULL};

const struct filter_spec mails_filters[] = {
	{"object_type", FILTER_TEXT, NULL},
	{"object_id", FILTER_TEXT, NULL},
	{"state", FILTER_ENUM, mail_states},
	{NULL, 0, NULL},
};

static const char list_sql[] =
	"SELECT coalesce(jsonb_agg(jsonb_build_object("
	"         'id', m.id::text, 'recipient', m.recipient, 'subject', m.subject, 'state', m.state,"
	"         'object_type', m.object_type, 'object_id', m.object_id::text,"
	"         'body_size', octet_length(m.body), 'attachment_name', m.attachment_name,"
	"         'attachment_size', octet_length(m.attachment), 'message_id', m.message_id,"
	"         'sent_at', to_char(m.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	"         'created_at', to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	"         'job', (SELECT jsonb_build_object('id', j.id::text, 'state', j.state, 'attempts', j.attempts,"
	"                                           'last_error', j.last_error)"
	"                   FROM jobs j WHERE j.kind = 'mail.send' AND j.payload->>'id' = m.id::text"
	"                  ORDER BY j.id DESC LIMIT 1))"
	"       ORDER BY m.id DESC), '[]'::jsonb)::text AS list"
	"  FROM (SELECT * FROM mails"
	"         WHERE ($1::text IS NULL OR object_type = $1) AND ($2::bigint IS NULL OR object_id = $2::bigint)"
	"           AND ($3::text IS NULL OR state = $3)"
	"         ORDER BY id DESC LIMIT 1000) AS m";

struct problem *mails_list(struct request *req, struct response *res)
{
	struct filter_values v;
	struct problem *p = filters_parse(req, mails_filters, &v);
	if (p)
		return p;
	if (v.values[1] && !util_is_id(v.values[1])) {
		filters_clear(&v);
		return problem_invalid("object_id", "an object id (a whole number from 1)");
	}
	PGresult *r = NULL;
	p = db_query(req->app->pool, list_sql, 3, v.values, &r);
	filters_clear(&v);
	if (p)
		return p;
	const char *list = db_get(r, 0, "list");
	response_raw(res, 200, xstrdup(list), strlen(list));
	PQclear(r);
	return NULL;
}
