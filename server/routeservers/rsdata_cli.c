/*
 * `ixapid rs-data` (see rsdata_cli.h).
 */
#include "routeservers/rsdata_cli.h"

#include "core/problem.h"
#include "routeservers/rsdata_api.h"

#include <jansson.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rsdata_cli_usage(FILE *out)
{
	fputs("  rs-data roas FILE          load the route servers' ROA table (rpki-client/Routinator JSON; - for stdin)\n"
	      "  rs-data as-set AS-SET@SOURCE FILE\n"
	      "                             load an AS-SET's expansion (bgpq4 -j output; - for stdin)\n",
	      out);
}

static json_t *read_json(const char *path, FILE *err)
{
	json_error_t e;
	json_t *j = strcmp(path, "-") == 0 ? json_loadf(stdin, 0, &e) : json_load_file(path, 0, &e);
	if (!j)
		fprintf(err, "ixapid rs-data: %s: not JSON: %s (line %d, column %d)\n", path, e.text, e.line, e.column);
	return j;
}

int rsdata_cli(struct db_pool *pool, int argc, char **argv, FILE *out, FILE *err)
{
	bool is_roas = argc == 2 && strcmp(argv[0], "roas") == 0;
	bool is_set = argc == 3 && strcmp(argv[0], "as-set") == 0;
	if (!is_roas && !is_set) {
		fputs("Usage: ixapid rs-data roas FILE | ixapid rs-data as-set AS-SET@SOURCE FILE\n", err);
		return 2;
	}
	json_t *j = read_json(argv[argc - 1], err);
	if (!j)
		return 1;
	/* The audit event names no account or key: its request id names the
	 * command line and the system user who ran it. */
	char who[64];
	const struct passwd *pw = getpwuid(geteuid());
	snprintf(who, sizeof(who), "cli:%s", pw ? pw->pw_name : "unknown");
	struct actor actor = {.is_operator = true, .key_id = "", .request_id = who};
	char *json = NULL;
	struct problem *p = is_roas ? rsdata_load_roas(pool, &actor, j, &json)
				    : rsdata_load_as_set(pool, &actor, argv[1], j, &json);
	json_decref(j);
	if (p) {
		json_t *j_p = problem_to_json(p, NULL);
		char *text = json_dumps(j_p, JSON_COMPACT);
		fprintf(err, "ixapid rs-data: %s\n", text);
		free(text);
		json_decref(j_p);
		problem_free(p);
		return 1;
	}
	fprintf(out, "%s\n", json);
	free(json);
	return 0;
}
