/*
 * ixapictl's command line: the global options (--url, --key, --secret,
 * --credentials, --as, --json, --help) anywhere on the line, one command
 * (`agreement upload` is a command of two words), its positional arguments
 * and its own options. Parsing only: no I/O, so unit tests drive it.
 */
#ifndef IXAPI_CTL_ARGS_H
#define IXAPI_CTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum ctl_command_id {
	CTL_CMD_NONE,
	CTL_CMD_APPLICATIONS,
	CTL_CMD_APPLICATION,
	CTL_CMD_CONFIRM_COLOCATION,
	CTL_CMD_APPROVE,
	CTL_CMD_REJECT,
	CTL_CMD_ASSIGN_PORTS,
	CTL_CMD_AGREEMENT,
	CTL_CMD_AGREEMENT_UPLOAD,
	CTL_CMD_JOBS,
	CTL_CMD_RETRY,
	CTL_CMD_TIMELINE,
};

/* One option of a command: "--state" takes a value; `required` ones must
 * be given, `repeatable` ones may be given more than once (--port);
 * `choices` (NULL-terminated, or NULL) are the values it accepts. */
struct ctl_option {
	const char *name;
	bool required, repeatable;
	const char *const *choices;
};

struct ctl_command {
	enum ctl_command_id id;
	const char *name;  /* "agreement upload" */
	const char *usage; /* the arguments after the name */
	const char *help;  /* one line */
	size_t min_args, max_args;
	struct ctl_option options[4];
};

#define CTL_MAX_ARGS    4
#define CTL_MAX_OPTIONS 32

struct ctl_args {
	/* global options (borrowed from argv; NULL when not given) */
	const char *url, *key, *secret, *credentials, *as;
	bool json, help;
	const struct ctl_command *command; /* NULL: none given */
	const char *args[CTL_MAX_ARGS];
	size_t n_args;
	struct {
		const char *name, *value;
	} options[CTL_MAX_OPTIONS];
	size_t n_options;
};

/* The commands, ending with one whose name is NULL. */
extern const struct ctl_command ctl_commands[];

/* Parses argv[1..argc-1] into a. 0, or 2 (a usage error) with a message of
 * one line in err. --help (alone or after a command) is not an error: the
 * caller prints the usage. */
int ctl_args_parse(int argc, char **argv, struct ctl_args *a, char *err, size_t err_len);
/* The last value of option `name` (NULL when not given). */
const char *ctl_args_option(const struct ctl_args *a, const char *name);
/* The i-th value of a repeatable option (NULL past the last). */
const char *ctl_args_option_at(const struct ctl_args *a, const char *name, size_t i);
/* The usage of every command (command == NULL) or of one. */
void ctl_usage(FILE *out, const struct ctl_command *command);

#endif
