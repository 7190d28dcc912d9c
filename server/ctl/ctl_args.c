/*
 * ixapictl's command line (see ctl_args.h).
 */
#include "ctl/ctl_args.h"

#include <stdarg.h>
#include <string.h>

static const char *const steps[] = {"review",   "agreement", "port_assignment", "quarantine", "production",
				    "rejected", NULL};
static const char *const job_states[] = {"pending", "running", "failed", "dead", "done", NULL};

const struct ctl_command ctl_commands[] = {
	{CTL_CMD_APPLICATIONS,
	 "applications",
	 "[--step S] [--account A]",
	 "the applications (newest first): step, type, legal name, ASNs, facility, review due, age",
	 0,
	 0,
	 {{"--step", false, false, steps}, {"--account", false, false, NULL}}},
	{CTL_CMD_APPLICATION,
	 "application",
	 "ID",
	 "one application in full, with its account's status entries",
	 1,
	 1,
	 {{0}}},
	{CTL_CMD_CONFIRM_COLOCATION,
	 "confirm-colocation",
	 "ID --confirmation TEXT",
	 "record the colocation provider's confirmation",
	 1,
	 1,
	 {{"--confirmation", true, false, NULL}}},
	{CTL_CMD_APPROVE,
	 "approve",
	 "ID",
	 "approve (a member application needs a second approval, by another operator key)",
	 1,
	 1,
	 {{0}}},
	{CTL_CMD_REJECT,
	 "reject",
	 "ID --reason TEXT",
	 "reject, with the reason the applicant reads",
	 1,
	 1,
	 {{"--reason", true, false, NULL}}},
	{CTL_CMD_ASSIGN_PORTS,
	 "assign-ports",
	 "ID [--port P]...",
	 "assign these ports to the application's connection (none: the auto-assign policy)",
	 1,
	 1,
	 {{"--port", false, true, NULL}}},
	{CTL_CMD_AGREEMENT_UPLOAD,
	 "agreement upload",
	 "ID FILE --signer-name N --signer-email E [--signed-at T]",
	 "record the signed copy (a PDF) of agreement ID; T is RFC 3339 (default: now)",
	 2,
	 2,
	 {{"--signer-name", true, false, NULL},
	  {"--signer-email", true, false, NULL},
	  {"--signed-at", false, false, NULL}}},
	{CTL_CMD_AGREEMENT,
	 "agreement",
	 "ID",
	 "one agreement: variant, state, signer, signed at, SHA-256",
	 1,
	 1,
	 {{0}}},
	{CTL_CMD_JOBS,
	 "jobs",
	 "[--state S] [--kind K] [--object O]",
	 "the outbox, newest first (at most 1,000)",
	 0,
	 0,
	 {{"--state", false, false, job_states}, {"--kind", false, false, NULL}, {"--object", false, false, NULL}}},
	{CTL_CMD_RETRY, "retry", "JOB", "re-drive a dead or failed job now", 1, 1, {{0}}},
	{CTL_CMD_TIMELINE,
	 "timeline",
	 "ACCOUNT",
	 "the account's onboarding timeline (its events, oldest first) and its current status entries",
	 1,
	 1,
	 {{0}}},
	{CTL_CMD_NONE, NULL, NULL, NULL, 0, 0, {{0}}},
};

/* Global options that take a value, in struct order. */
static const char *const value_globals[] = {"--url", "--key", "--secret", "--credentials", "--as", NULL};

static const char **global_slot(struct ctl_args *a, size_t i)
{
	const char **slots[] = {&a->url, &a->key, &a->secret, &a->credentials, &a->as};
	return slots[i];
}

static const struct ctl_command *find_command(const char *word, const char *next)
{
	for (const struct ctl_command *c = ctl_commands; c->name; c++) {
		const char *space = strchr(c->name, ' ');
		if (space) {
			size_t n = (size_t)(space - c->name);
			if (next && strncmp(c->name, word, n) == 0 && word[n] == '\0' && strcmp(space + 1, next) == 0)
				return c;
		} else if (strcmp(c->name, word) == 0)
			return c;
	}
	return NULL;
}

static bool is_choice(const char *const *choices, const char *v)
{
	for (size_t i = 0; choices[i]; i++)
		if (strcmp(choices[i], v) == 0)
			return true;
	return false;
}

static int usage_error(char *err, size_t err_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int usage_error(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return 2;
}

int ctl_args_parse(int argc, char **argv, struct ctl_args *a, char *err, size_t err_len)
{
	memset(a, 0, sizeof(*a));
	/* Options may come before the command: find the command first (the
	 * first word that is no option and no option's value). */
	const char *words[64];
	size_t n_words = 0;
	const char *pending[64][2];
	size_t n_pending = 0;
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		if (strcmp(w, "-h") == 0) {
			a->help = true;
			continue;
		}
		if (strncmp(w, "--", 2) != 0 || w[2] == '\0') {
			if (n_words == sizeof(words) / sizeof(words[0]))
				return usage_error(err, err_len, "too many arguments");
			words[n_words++] = w;
			continue;
		}
		const char *eq = strchr(w, '=');
		char name[64];
		size_t name_len = eq ? (size_t)(eq - w) : strlen(w);
		if (name_len >= sizeof(name))
			return usage_error(err, err_len, "%.60s: not an option", w);
		memcpy(name, w, name_len);
		name[name_len] = '\0';
		if (strcmp(name, "--json") == 0 || strcmp(name, "--help") == 0) {
			if (eq)
				return usage_error(err, err_len, "%s takes no value", name);
			*(name[2] == 'j' ? &a->json : &a->help) = true;
			continue;
		}
		const char *value = eq ? eq + 1 : NULL;
		if (!value) {
			if (i + 1 == argc)
				return usage_error(err, err_len, "%s needs a value", name);
			value = argv[++i];
		}
		size_t g = 0;
		while (value_globals[g] && strcmp(value_globals[g], name) != 0)
			g++;
		if (value_globals[g]) {
			*global_slot(a, g) = value;
			continue;
		}
		if (n_pending == sizeof(pending) / sizeof(pending[0]))
			return usage_error(err, err_len, "too many options");
		/* the name stays in argv: point at it there (its own string up to '=') */
		pending[n_pending][0] = w;
		pending[n_pending][1] = value;
		n_pending++;
	}
	size_t first_arg = 0;
	if (n_words > 0) {
		a->command = find_command(words[0], n_words > 1 ? words[1] : NULL);
		if (!a->command) {
			if (strcmp(words[0], "help") == 0) {
				a->help = true;
				a->command = n_words > 1 ? find_command(words[1], n_words > 2 ? words[2] : NULL) : NULL;
				return 0;
			}
			return usage_error(err, err_len, "%s: no such command (ixapictl --help lists them)", words[0]);
		}
		first_arg = strchr(a->command->name, ' ') ? 2 : 1;
	}
	for (size_t p = 0; p < n_pending; p++) {
		const char *w = pending[p][0];
		size_t name_len = strcspn(w, "=");
		const struct ctl_option *o = NULL;
		for (size_t i = 0; a->command && i < sizeof(a->command->options) / sizeof(a->command->options[0]) &&
				   a->command->options[i].name;
		     i++)
			if (strlen(a->command->options[i].name) == name_len &&
			    strncmp(a->command->options[i].name, w, name_len) == 0)
				o = &a->command->options[i];
		if (!o) {
			snprintf(err, err_len, "%.*s: not an option of %s", (int)name_len, w,
				 a->command ? a->command->name : "ixapictl (ixapictl --help lists them)");
			return 2;
		}
		if (!o->repeatable && ctl_args_option(a, o->name))
			return usage_error(err, err_len, "%s given twice", o->name);
		if (o->choices && !is_choice(o->choices, pending[p][1])) {
			char list[256] = "";
			for (size_t c = 0; o->choices[c]; c++) {
				if (c)
					strncat(list, ", ", sizeof(list) - strlen(list) - 1);
				strncat(list, o->choices[c], sizeof(list) - strlen(list) - 1);
			}
			snprintf(err, err_len, "%s %s: not one of %s", o->name, pending[p][1], list);
			return 2;
		}
		a->options[a->n_options].name = o->name;
		a->options[a->n_options].value = pending[p][1];
		a->n_options++;
	}
	if (a->help)
		return 0;
	if (!a->command)
		return usage_error(err, err_len, "no command given (ixapictl --help lists them)");
	for (size_t i = first_arg; i < n_words; i++) {
		if (a->n_args == CTL_MAX_ARGS || a->n_args == a->command->max_args)
			return usage_error(err, err_len, "%s: one argument too many (%s)", words[i], a->command->name);
		a->args[a->n_args++] = words[i];
	}
	if (a->n_args < a->command->min_args)
		return usage_error(err, err_len, "usage: ixapictl %s %s", a->command->name, a->command->usage);
	for (size_t i = 0; i < sizeof(a->command->options) / sizeof(a->command->options[0]); i++) {
		const struct ctl_option *o = &a->command->options[i];
		if (o->name && o->required && !ctl_args_option(a, o->name))
			return usage_error(err, err_len, "%s %s is required", a->command->name, o->name);
	}
	return 0;
}

const char *ctl_args_option(const struct ctl_args *a, const char *name)
{
	const char *v = NULL;
	for (size_t i = 0; i < a->n_options; i++)
		if (strcmp(a->options[i].name, name) == 0)
			v = a->options[i].value;
	return v;
}

const char *ctl_args_option_at(const struct ctl_args *a, const char *name, size_t at)
{
	for (size_t i = 0; i < a->n_options; i++)
		if (strcmp(a->options[i].name, name) == 0 && at-- == 0)
			return a->options[i].value;
	return NULL;
}

void ctl_usage(FILE *out, const struct ctl_command *command)
{
	if (command) {
		fprintf(out, "usage: ixapictl [global options] %s %s\n  %s\n", command->name, command->usage,
			command->help);
		return;
	}
	fputs("usage: ixapictl [global options] COMMAND [arguments]\n"
	      "The operator's command line of ixapid: it talks to the API over HTTP with an operator key.\n\n"
	      "Commands:\n",
	      out);
	for (const struct ctl_command *c = ctl_commands; c->name; c++) {
		fprintf(out, "  %s %s\n      %s\n", c->name, c->usage, c->help);
	}
	fputs("\nGlobal options (anywhere on the line):\n"
	      "  --url URL           the API (IXAPI_URL; default http://127.0.0.1:8080/api/v2)\n"
	      "  --key K --secret S  the API key and secret (IXAPI_API_KEY, IXAPI_API_SECRET)\n"
	      "  --credentials FILE  take them from a credentials file (make run's var/demo-credentials.json):\n"
	      "                      its \"operator\" entry, or the one --as names (IXAPI_CREDENTIALS)\n"
	      "  --as NAME           that entry (e.g. operator2, member, portal)\n"
	      "  --json              print the API's JSON (one document) instead of tables\n"
	      "  --help              this text; ixapictl COMMAND --help: the command's\n\n"
	      "Exit status: 0 done, 1 the API refused (the problem is printed as \"error STATUS: title: detail\")\n"
	      "or could not be reached, 2 a usage error.\n",
	      out);
}
