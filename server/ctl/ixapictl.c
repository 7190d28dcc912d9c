/*
 * ixapictl: the operator's command line of ixapid. It talks to the API over
 * HTTP with an operator key (never to the database): the onboarding
 * applications (list by step, review, approve or reject, assign ports), the
 * agreements (read, upload a signed copy), the jobs outbox (list, re-drive
 * a dead job) and an account's onboarding timeline from GET /events.
 * Tables for people by default, the API's JSON with --json for scripts.
 * Exit status: 0 done, 1 refused by the API (or unreachable), 2 usage.
 */
#include "ctl/ctl_args.h"
#include "ctl/ctl_config.h"
#include "ctl/ctl_http.h"
#include "ctl/ctl_table.h"
#include "ctl/ctl_text.h"

#include "core/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The widest cell of a table, in characters. */
#define CELL_MAX 60
/* The most events a timeline reads (pages of EVENTS_PAGE). */
#define EVENTS_MAX  100000
#define EVENTS_PAGE 1000
/* The largest signed copy uploaded (agreements.signed_document's bound). */
#define PDF_MAX_BYTES (4u * 1024 * 1024)

struct ctx {
	struct ctl_client *client;
	const struct ctl_args *args;
	FILE *out, *err;
	bool is_tty;
};

/* ---- small helpers ---- */

static int print_json(const struct ctx *x, json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_ENCODE_ANY);
	fprintf(x->out, "%s\n", text ? text : "null");
	free(text);
	return 0;
}

/* An object id of the API as given on the command line: the path it goes
 * into is built from it, so only ids' characters are taken. */
static bool is_id_arg(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

/* A time as "YYYY-MM-DD HH:MM" (UTC). */
static void short_time(const char *s, char *buf, size_t len)
{
	ctl_time_text(s, false, buf, len);
}

/* IX-API status entries (severity, tag, message, attrs, timestamp). */
static void print_status(const struct ctx *x, const char *title, json_t *status)
{
	fprintf(x->out, "\n%s\n", title);
	if (json_array_size(status) == 0) {
		fputs("  (none)\n", x->out);
		return;
	}
	static const char *const header[] = {"SEVERITY", "TAG", "MESSAGE", "DUE", "SINCE", NULL};
	struct ctl_table t;
	ctl_table_init(&t, header, CELL_MAX);
	size_t i;
	json_t *e;
	json_array_foreach (status, i, e) {
		char sev[16], due[32] = "", since[32] = "";
		ctl_scalar_text(json_object_get(e, "severity"), sev, sizeof(sev));
		const char *due_at = ctl_str(json_object_get(e, "attrs"), "due_at");
		if (due_at)
			short_time(due_at, due, sizeof(due));
		if (ctl_str(e, "timestamp"))
			short_time(ctl_str(e, "timestamp"), since, sizeof(since));
		const char *row[] = {sev, ctl_str(e, "tag"), ctl_str(e, "message"), due, since};
		ctl_table_add_row(&t, row);
	}
	ctl_table_print(&t, x->out, x->is_tty);
	ctl_table_free(&t);
}

/* One API call on a path it frees; the answer in *out. 0, or the exit
 * status (the problem printed). */
static int call_path(const struct ctx *x, const char *method, char *path, const char *body, json_t **out)
{
	int rc = ctl_call(x->client, method, path, body, out, x->err);
	free(path);
	return rc;
}

/* With --json the command's answer is the API's document: printed and
 * dropped, true (the command is done). */
static bool done_as_json(const struct ctx *x, json_t *j)
{
	if (!x->args->json)
		return false;
	print_json(x, j);
	json_decref(j);
	return true;
}

/* GET of an account's status entries (new reference, NULL when unreadable:
 * the problem is printed). */
static json_t *account_status(const struct ctx *x, const char *account)
{
	if (!account || !is_id_arg(account))
		return NULL;
	char *path = xasprintf("/accounts/%s", account);
	json_t *j = NULL;
	int rc = call_path(x, "GET", path, NULL, &j);
	if (rc)
		return NULL;
	json_t *status = json_incref(json_object_get(j, "status"));
	json_decref(j);
	return status ? status : json_array();
}

/* ---- the commands ---- */

static int needs_id(const struct ctx *x, const char *arg)
{
	if (is_id_arg(arg))
		return 0;
	fprintf(x->err, "ixapictl %s: %s: not an id\n", x->args->command->name, arg);
	return 2;
}

static const char *legal_name_of(json_t *a)
{
	const char *n = ctl_str(json_object_get(a, "legal_entity"), "name");
	if (!n)
		n = ctl_str(a, "legal_name");
	return n ? n : ctl_str(a, "name");
}

static void asns_text(json_t *asns, struct strbuf *b)
{
	size_t i;
	json_t *e;
	json_array_foreach (asns, i, e) {
		json_t *asn = json_is_object(e) ? json_object_get(e, "asn") : e;
		char buf[32];
		if (b->len)
			strbuf_puts(b, " ");
		strbuf_puts(b, "AS");
		strbuf_puts(b, ctl_scalar_text(asn, buf, sizeof(buf)));
	}
}

/* id -> name of the facilities (a JSON object; empty when unreadable). */
static json_t *facility_names(const struct ctx *x)
{
	json_t *names = json_object();
	struct ctl_response r;
	if (ctl_request(x->client, "GET", "/facilities", NULL, NULL, 0, &r, x->err))
		return names;
	size_t i;
	json_t *f;
	json_array_foreach (r.j, i, f)
		if (ctl_str(f, "id") && ctl_str(f, "name"))
			json_object_set_new(names, ctl_str(f, "id"), json_string(ctl_str(f, "name")));
	ctl_response_free(&r);
	return names;
}

static int cmd_applications(const struct ctx *x)
{
	char *path = xstrdup("/applications");
	path = ctl_query_add(path, "step", ctl_args_option(x->args, "--step"));
	path = ctl_query_add(path, "account", ctl_args_option(x->args, "--account"));
	json_t *list = NULL;
	int rc = call_path(x, "GET", path, NULL, &list);
	if (rc)
		return rc;
	if (done_as_json(x, list))
		return 0;
	json_t *facilities = json_array_size(list) ? facility_names(x) : json_object();
	static const char *const header[] = {"ID",       "STEP", "TYPE", "LEGAL NAME", "ASNS",
					     "FACILITY", "DUE",  "AGE",  NULL};
	struct ctl_table t;
	ctl_table_init(&t, header, CELL_MAX);
	long long now = (long long)time(NULL);
	size_t i;
	json_t *a;
	json_array_foreach (list, i, a) {
		struct strbuf asns = {0};
		asns_text(json_object_get(a, "asns"), &asns);
		char due[48] = "", age[32] = "";
		const char *step = ctl_str(a, "step");
		const char *due_at = ctl_str(a, "review_due_at");
		if (due_at && step && strcmp(step, "review") == 0) {
			short_time(due_at, due, sizeof(due));
			long long t_due = ctl_parse_time(due_at);
			if (t_due >= 0 && t_due < now)
				strncat(due, " overdue", sizeof(due) - strlen(due) - 1);
		}
		const char *created = ctl_str(a, "created_at");
		if (!created)
			created = ctl_str(a, "submitted_at");
		long long t_created = ctl_parse_time(created);
		if (t_created >= 0)
			ctl_duration_text(now - t_created, age, sizeof(age));
		const char *facility = ctl_str(a, "facility");
		const char *facility_name = facility ? ctl_str(facilities, facility) : NULL;
		const char *row[] = {ctl_str(a, "id"),
				     step,
				     ctl_str(a, "type"),
				     legal_name_of(a),
				     asns.text,
				     facility_name ? facility_name : facility,
				     due,
				     age};
		ctl_table_add_row(&t, row);
		free(asns.text);
	}
	ctl_table_print(&t, x->out, x->is_tty);
	ctl_table_free(&t);
	json_decref(facilities);
	json_decref(list);
	return 0;
}

static int cmd_application(const struct ctx *x)
{
	const char *id = x->args->args[0];
	if (needs_id(x, id))
		return 2;
	char *path = xasprintf("/applications/%s", id);
	json_t *a = NULL;
	int rc = call_path(x, "GET", path, NULL, &a);
	if (rc)
		return rc;
	if (done_as_json(x, a))
		return 0;
	static const char *const skip[] = {"status", NULL};
	static const char *const order[] = {"id",
					    "step",
					    "type",
					    "account",
					    "legal_entity",
					    "asns",
					    "articles_of_association_accepted",
					    "facility",
					    "colocation_statement",
					    "colocation_confirmation",
					    "port_order",
					    "envisioned_assignment_date",
					    "review_due_at",
					    "approvals",
					    "rejection_reason",
					    "rejected_at",
					    "connection",
					    "agreement",
					    "agreement_state",
					    "credentials_issued",
					    "ports_assigned_at",
					    "production_at",
					    "contacts",
					    "submitted_by_account",
					    "created_at",
					    "updated_at",
					    NULL};
	const char *facility = ctl_str(a, "facility");
	if (facility) {
		json_t *names = facility_names(x);
		const char *name = ctl_str(names, facility);
		if (name)
			json_object_set_new(a, "facility", json_sprintf("%s (%s)", facility, name));
		json_decref(names);
	}
	struct ctl_kv kv = {0};
	ctl_kv_flatten(&kv, "", a, order, skip);
	ctl_kv_print(&kv, x->out);
	if (json_is_array(json_object_get(a, "status")))
		print_status(x, "Status of the application:", json_object_get(a, "status"));
	const char *account = ctl_str(a, "account");
	json_t *status = account_status(x, account);
	if (status) {
		char title[80];
		snprintf(title, sizeof(title), "Status of account %s:", account);
		print_status(x, title, status);
	}
	json_decref(status);
	json_decref(a);
	return status || !account ? 0 : 1;
}

/* POST to /applications/ID/<action> with body (or none); prints what
 * changed. */
static int application_action(const struct ctx *x, const char *action, json_t *body, const char *done)
{
	const char *id = x->args->args[0];
	if (needs_id(x, id)) {
		json_decref(body);
		return 2;
	}
	char *path = xasprintf("/applications/%s/%s", id, action);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	json_t *a = NULL;
	int rc = call_path(x, "POST", path, text, &a);
	free(text);
	if (rc)
		return rc;
	if (done_as_json(x, a))
		return 0;
	const char *step = ctl_str(a, "step");
	fprintf(x->out, "application %s: %s (step %s)\n", id, done, step ? step : "-");
	if (strcmp(action, "approve") == 0 && step && strcmp(step, "review") == 0)
		fputs("a member application needs the management approval too: a second operator (another API key) "
		      "runs `ixapictl approve` again\n",
		      x->out);
	json_decref(a);
	return 0;
}

static int cmd_assign_ports(const struct ctx *x)
{
	json_t *body = json_object();
	const char *port;
	if (ctl_args_option_at(x->args, "--port", 0)) {
		json_t *ports = json_array();
		for (size_t i = 0; (port = ctl_args_option_at(x->args, "--port", i)); i++) {
			if (!is_id_arg(port)) {
				fprintf(x->err, "ixapictl assign-ports: --port %s: not an id\n", port);
				json_decref(ports);
				json_decref(body);
				return 2;
			}
			json_array_append_new(ports, json_string(port));
		}
		json_object_set_new(body, "ports", ports);
	}
	return application_action(x, "port-assignment", body,
				  json_object_size(body) ? "ports assigned"
							 : "ports assigned by the auto-assign policy");
}

static int cmd_agreement(const struct ctx *x)
{
	const char *id = x->args->args[0];
	if (needs_id(x, id))
		return 2;
	char *path = xasprintf("/agreements/%s", id);
	json_t *a = NULL;
	int rc = call_path(x, "GET", path, NULL, &a);
	if (rc)
		return rc;
	if (x->args->json)
		print_json(x, a);
	else {
		static const char *const order[] = {"id",          "application",      "variant",       "state",
						    "envelope_id", "document_sha256",  "signer_name",   "signer_email",
						    "signed_at",   "signature_source", "signed_sha256", NULL};
		struct ctl_kv kv = {0};
		ctl_kv_flatten(&kv, "", a, order, NULL);
		ctl_kv_print(&kv, x->out);
	}
	json_decref(a);
	return 0;
}

/* The whole file into a new buffer (at most max bytes). 0, or 1 (printed). */
static int read_file(const struct ctx *x, const char *name, size_t max, char **out, size_t *len)
{
	FILE *f = fopen(name, "rb");
	if (!f) {
		fprintf(x->err, "error: %s: %s\n", name, strerror(errno));
		return 1;
	}
	char *buf = xmalloc(max + 1);
	size_t n = fread(buf, 1, max + 1, f);
	bool failed = ferror(f);
	fclose(f);
	if (failed || n > max) {
		fprintf(x->err, "error: %s: %s\n", name, failed ? "cannot be read" : "larger than 4 MiB");
		free(buf);
		return 1;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int cmd_agreement_upload(const struct ctx *x)
{
	const char *id = x->args->args[0];
	if (needs_id(x, id))
		return 2;
	char *pdf = NULL;
	size_t len = 0;
	if (read_file(x, x->args->args[1], PDF_MAX_BYTES, &pdf, &len))
		return 1;
	char *path = xasprintf("/agreements/%s/signed-copy", id);
	path = ctl_query_add(path, "signer_name", ctl_args_option(x->args, "--signer-name"));
	path = ctl_query_add(path, "signer_email", ctl_args_option(x->args, "--signer-email"));
	/* the API needs the time of the signature: now, unless given */
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	const char *signed_at = ctl_args_option(x->args, "--signed-at");
	path = ctl_query_add(path, "signed_at", signed_at ? signed_at : now);
	struct ctl_response r;
	int rc = ctl_request(x->client, "POST", path, "application/pdf", pdf, len, &r, x->err);
	free(path);
	free(pdf);
	if (rc)
		return 1;
	rc = 1;
	if (r.status < 200 || r.status > 299)
		ctl_print_problem(r.status, r.body, x->err);
	else if (x->args->json) {
		print_json(x, r.j);
		rc = 0;
	} else {
		fprintf(x->out, "agreement %s: signed copy recorded (state %s, signed by %s at %s, SHA-256 %s)\n", id,
			ctl_str(r.j, "state") ? ctl_str(r.j, "state") : "-",
			ctl_str(r.j, "signer_name") ? ctl_str(r.j, "signer_name") : "-",
			ctl_str(r.j, "signed_at") ? ctl_str(r.j, "signed_at") : "-",
			ctl_str(r.j, "signed_sha256") ? ctl_str(r.j, "signed_sha256") : "-");
		rc = 0;
	}
	ctl_response_free(&r);
	return rc;
}

static int cmd_jobs(const struct ctx *x)
{
	char *path = xstrdup("/jobs");
	path = ctl_query_add(path, "state", ctl_args_option(x->args, "--state"));
	path = ctl_query_add(path, "kind", ctl_args_option(x->args, "--kind"));
	path = ctl_query_add(path, "object", ctl_args_option(x->args, "--object"));
	json_t *list = NULL;
	int rc = call_path(x, "GET", path, NULL, &list);
	if (rc)
		return rc;
	if (done_as_json(x, list))
		return 0;
	static const char *const header[] = {"ID",     "KIND",      "STATE",      "ATTEMPTS",
					     "OBJECT", "RUN AFTER", "LAST ERROR", NULL};
	struct ctl_table t;
	ctl_table_init(&t, header, CELL_MAX);
	size_t i;
	json_t *job;
	json_array_foreach (list, i, job) {
		char attempts[24], run_after[32];
		ctl_scalar_text(json_object_get(job, "attempts"), attempts, sizeof(attempts));
		short_time(ctl_str(job, "run_after"), run_after, sizeof(run_after));
		const char *row[] = {ctl_str(job, "id"),        ctl_str(job, "kind"),
				     ctl_str(job, "state"),     attempts,
				     ctl_str(job, "object"),    run_after,
				     ctl_str(job, "last_error")};
		ctl_table_add_row(&t, row);
	}
	ctl_table_print(&t, x->out, x->is_tty);
	ctl_table_free(&t);
	json_decref(list);
	return 0;
}

static int cmd_retry(const struct ctx *x)
{
	const char *id = x->args->args[0];
	if (needs_id(x, id))
		return 2;
	char *path = xasprintf("/jobs/%s/retry", id);
	json_t *job = NULL;
	int rc = call_path(x, "POST", path, NULL, &job);
	if (rc)
		return rc;
	if (x->args->json)
		print_json(x, job);
	else
		fprintf(x->out, "job %s (%s, %s): %s again, attempts from zero\n", id,
			ctl_str(job, "kind") ? ctl_str(job, "kind") : "-",
			ctl_str(job, "object") ? ctl_str(job, "object") : "-",
			ctl_str(job, "state") ? ctl_str(job, "state") : "-");
	json_decref(job);
	return 0;
}

/* All events of the account, following the cursor: an object {"events",
 * "next"} or a list with X-Next-After. 0 and a new array, or 1. */
static int read_events(const struct ctx *x, const char *account, json_t **out)
{
	json_t *all = json_array();
	char after[32] = "";
	int rc = 1;
	for (;;) {
		char *path = xstrdup("/events");
		path = ctl_query_add(path, "account", account);
		char limit[16];
		snprintf(limit, sizeof(limit), "%d", EVENTS_PAGE);
		path = ctl_query_add(path, "limit", limit);
		path = ctl_query_add(path, "after", *after ? after : NULL);
		struct ctl_response r;
		int failed = ctl_request(x->client, "GET", path, NULL, NULL, 0, &r, x->err);
		free(path);
		if (failed)
			goto out;
		if (r.status != 200) {
			ctl_print_problem(r.status, r.body, x->err);
			ctl_response_free(&r);
			goto out;
		}
		json_t *page = json_is_array(r.j) ? r.j : json_object_get(r.j, "events");
		if (!json_is_array(page)) {
			fprintf(x->err, "error: GET /events answered no list of events\n");
			ctl_response_free(&r);
			goto out;
		}
		json_array_extend(all, page);
		char next[32] = "";
		json_t *j_next = json_is_object(r.j) ? json_object_get(r.j, "next") : NULL;
		char buf[32];
		if (j_next && !json_is_null(j_next))
			snprintf(next, sizeof(next), "%s", ctl_scalar_text(j_next, buf, sizeof(buf)));
		else if (*r.next_after)
			snprintf(next, sizeof(next), "%s", r.next_after);
		else if (json_array_size(page))
			snprintf(next, sizeof(next), "%s",
				 ctl_scalar_text(json_object_get(json_array_get(page, json_array_size(page) - 1), "id"),
						 buf, sizeof(buf)));
		size_t got = json_array_size(page);
		ctl_response_free(&r);
		if (got < EVENTS_PAGE || !*next || strcmp(next, after) == 0 || json_array_size(all) >= EVENTS_MAX)
			break;
		snprintf(after, sizeof(after), "%s", next);
	}
	*out = all;
	all = NULL;
	rc = 0;
out:
	json_decref(all);
	return rc;
}

static int cmd_timeline(const struct ctx *x)
{
	const char *account = x->args->args[0];
	if (needs_id(x, account))
		return 2;
	json_t *events = NULL;
	if (read_events(x, account, &events))
		return 1;
	json_t *status = account_status(x, account);
	if (!status) {
		json_decref(events);
		return 1;
	}
	if (x->args->json) {
		json_t *doc = json_pack("{s:s, s:o, s:o}", "account", account, "events", events, "status", status);
		print_json(x, doc);
		json_decref(doc);
		return 0;
	}
	static const char *const header[] = {"TIME", "ACTION", "OBJECT", "CHANGE", NULL};
	struct ctl_table t;
	ctl_table_init(&t, header, 100);
	size_t i;
	json_t *e;
	json_array_foreach (events, i, e) {
		char when[32], object[96], id[32];
		const char *occurred = ctl_str(e, "occurred_at");
		if (!occurred)
			occurred = ctl_str(e, "timestamp");
		ctl_time_text(occurred, true, when, sizeof(when));
		snprintf(object, sizeof(object), "%s %s", ctl_str(e, "object_type") ? ctl_str(e, "object_type") : "?",
			 ctl_scalar_text(json_object_get(e, "object_id"), id, sizeof(id)));
		struct strbuf change = {0};
		ctl_event_summary(e, &change);
		const char *row[] = {when, ctl_str(e, "action"), object, change.text};
		ctl_table_add_row(&t, row);
		free(change.text);
	}
	fprintf(x->out, "Timeline of account %s (%zu events):\n", account, json_array_size(events));
	ctl_table_print(&t, x->out, x->is_tty);
	ctl_table_free(&t);
	char title[80];
	snprintf(title, sizeof(title), "Status of account %s now:", account);
	print_status(x, title, status);
	json_decref(status);
	json_decref(events);
	return 0;
}

static int run(const struct ctx *x)
{
	json_t *body;
	switch (x->args->command->id) {
	case CTL_CMD_APPLICATIONS:
		return cmd_applications(x);
	case CTL_CMD_APPLICATION:
		return cmd_application(x);
	case CTL_CMD_CONFIRM_COLOCATION:
		body = json_pack("{s:s}", "confirmation", ctl_args_option(x->args, "--confirmation"));
		return application_action(x, "colocation-confirmation", body, "colocation confirmation recorded");
	case CTL_CMD_APPROVE:
		return application_action(x, "approve", NULL, "approval recorded");
	case CTL_CMD_REJECT:
		body = json_pack("{s:s}", "reason", ctl_args_option(x->args, "--reason"));
		return application_action(x, "reject", body, "rejected");
	case CTL_CMD_ASSIGN_PORTS:
		return cmd_assign_ports(x);
	case CTL_CMD_AGREEMENT:
		return cmd_agreement(x);
	case CTL_CMD_AGREEMENT_UPLOAD:
		return cmd_agreement_upload(x);
	case CTL_CMD_JOBS:
		return cmd_jobs(x);
	case CTL_CMD_RETRY:
		return cmd_retry(x);
	case CTL_CMD_TIMELINE:
		return cmd_timeline(x);
	case CTL_CMD_NONE:
		break;
	}
	return 2;
}

int main(int argc, char **argv)
{
	struct ctl_args args;
	char err[512];
	if (ctl_args_parse(argc, argv, &args, err, sizeof(err))) {
		fprintf(stderr, "ixapictl: %s\n", err);
		return 2;
	}
	if (args.help) {
		ctl_usage(stdout, args.command);
		return 0;
	}
	struct ctl_config cfg;
	if (ctl_config_resolve(&args, &cfg, err, sizeof(err))) {
		fprintf(stderr, "ixapictl: %s\n", err);
		return 2;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fputs("ixapictl: libcurl cannot start\n", stderr);
		return 1;
	}
	struct ctl_client client;
	int rc = 1;
	if (ctl_client_init(&client, cfg.url, cfg.key, cfg.secret) == 0) {
		const char *term = getenv("TERM");
		struct ctx x = {.client = &client,
				.args = &args,
				.out = stdout,
				.err = stderr,
				.is_tty = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
					  !(term && !strcmp(term, "dumb"))};
		rc = run(&x);
	} else
		fputs("ixapictl: libcurl cannot start\n", stderr);
	ctl_client_free(&client);
	explicit_bzero(&cfg, sizeof(cfg));
	curl_global_cleanup();
	return rc;
}
