/*
 * `ixapid jobs` (see jobs_cli.h).
 */
#include "jobs/jobs_cli.h"

#include "jobs/jobs_api.h"

#include <jansson.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void jobs_cli_usage(FILE *out)
{
	fputs("  jobs [list] [--state S] [--kind K] [--object O] [--json]\n"
	      "                             the outbox, newest first (at most 1,000); S is one of\n"
	      "                             pending, running, failed, dead, done\n"
	      "  jobs retry ID              re-drive a dead or failed job now (attempts from zero)\n",
	      out);
}

static int fail(FILE *err, struct problem *p)
{
	fprintf(err, "ixapid jobs: %s\n", problem_detail(p));
	problem_free(p);
	return 1;
}

static const char *text_of(json_t *job, const char *key)
{
	const char *s = json_string_value(json_object_get(job, key));
	return s ? s : "-";
}

/* One line per job: what an operator scans for (the payload stays in --json). */
static void print_table(const char *list, FILE *out)
{
	json_t *jobs = json_loads(list, 0, NULL);
	fprintf(out, "%-8s %-24s %-8s %8s  %-32s %-20s %s\n", "ID", "KIND", "STATE", "ATTEMPTS", "OBJECT", "RUN_AFTER",
		"LAST_ERROR");
	size_t i;
	json_t *job;
	json_array_foreach (jobs, i, job) {
		fprintf(out, "%-8s %-24s %-8s %8lld  %-32s %-20s %s\n", text_of(job, "id"), text_of(job, "kind"),
			text_of(job, "state"), (long long)json_integer_value(json_object_get(job, "attempts")),
			text_of(job, "object"), text_of(job, "run_after"), text_of(job, "last_error"));
	}
	json_decref(jobs);
}

static int list(struct db_pool *pool, int argc, char **argv, FILE *out, FILE *err)
{
	const char *values[3] = {NULL, NULL, NULL};
	static const char *const options[] = {"--state", "--kind", "--object"};
	bool as_json = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			as_json = true;
			continue;
		}
		size_t k = 0;
		while (k < 3 && strcmp(argv[i], options[k]) != 0)
			k++;
		if (k == 3 || i + 1 == argc) {
			fprintf(err, "ixapid jobs: %s %s\n", argv[i], k == 3 ? "is not an option" : "needs a value");
			return 2;
		}
		values[k] = argv[++i];
	}
	if (values[0]) {
		size_t s = 0;
		while (job_states[s] && strcmp(job_states[s], values[0]) != 0)
			s++;
		if (!job_states[s]) {
			fprintf(err, "ixapid jobs: --state %s: not one of pending, running, failed, dead, done\n",
				values[0]);
			return 2;
		}
	}
	char *text = NULL;
	struct problem *p = jobs_list_text(pool, values, &text);
	if (p)
		return fail(err, p);
	if (as_json)
		fprintf(out, "%s\n", text);
	else
		print_table(text, out);
	free(text);
	return 0;
}

static int retry(struct db_pool *pool, const char *id, FILE *out, FILE *err)
{
	/* The audit event names no account or key: its request id names the
	 * command line and the system user who ran it. */
	char who[64];
	const struct passwd *pw = getpwuid(geteuid());
	snprintf(who, sizeof(who), "cli:%s", pw ? pw->pw_name : "unknown");
	struct actor actor = {.is_operator = true, .key_id = "", .request_id = who};
	char *json = NULL;
	struct problem *p = jobs_retry_now(pool, id, &actor, &json);
	if (p)
		return fail(err, p);
	fprintf(out, "%s\n", json);
	free(json);
	return 0;
}

int jobs_cli(struct db_pool *pool, int argc, char **argv, FILE *out, FILE *err)
{
	if (argc > 0 && strcmp(argv[0], "retry") == 0) {
		if (argc != 2) {
			fputs("ixapid jobs retry: needs exactly one job id\n", err);
			return 2;
		}
		return retry(pool, argv[1], out, err);
	}
	if (argc > 0 && strcmp(argv[0], "list") == 0)
		return list(pool, argc - 1, argv + 1, out, err);
	return list(pool, argc, argv, out, err);
}
