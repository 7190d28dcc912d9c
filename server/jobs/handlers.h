/*
 * What each job kind does (the workers' table): switch jobs compute each
 * affected port's desired state from the database when they run
 * (switch_port_desired.sql: the latest state wins), PUT it to the port's
 * adapter, read the desired state again and PUT once more if it changed
 * meanwhile, and name what the IX-API states follow once it is confirmed
 * (switch_follow.sql, in the transaction that marks the job done).
 */
#ifndef IXAPI_JOBS_HANDLERS_H
#define IXAPI_JOBS_HANDLERS_H

#include "db/db.h"
#include "jobs/adapter_client.h"
#include "jobs/adapters.h"
#include "mail/smtp.h"

#include <jansson.h>
#include <stdbool.h>

struct job_context {
	struct db_pool *pool;
	const struct switch_adapters *adapters;
	struct adapter_timeouts timeouts;
	int quarantine_seconds;           /* the capture window */
	const char *quarantine_probe_mac; /* the probes' source MAC */
	int rs_poll_ms;                   /* route_server.poll: the pause between rounds */
	int peer_poll_s;                  /* stats.peer_poll: the pause between rounds */
	int rtt_interval_s;               /* stats.rtt: the pause between rounds */
	int job_max_attempts;             /* IXAPI_JOB_MAX_ATTEMPTS */
	bool port_assignment_auto;        /* IXAPI_PORT_ASSIGNMENT=auto: onboarding.assign picks the ports */
	int stats_interval_s;             /* stats.*: see statistics/collect.h */
	int stats_max_gap_s;
	int stats_raw_days;
	int stats_hourly_days;
	const struct smtp_settings *smtp; /* mail.send: NULL without IXAPI_SMTP_URL (then not claimed) */
	bool (*stopping)(void *arg);      /* the workers are stopping: a long wait ends early */
	void *stopping_arg;
};

/* What the finishing transaction runs after marking the job done. */
struct job_outcome {
	enum { OUTCOME_NONE, OUTCOME_FOLLOW, OUTCOME_ARCHIVE, OUTCOME_VERDICT, OUTCOME_CALL } kind;
	char connection[24];  /* OUTCOME_FOLLOW: the connection whose objects follow */
	bool wired;           /* OUTCOME_FOLLOW: its ports exist and were confirmed */
	char object_type[40]; /* OUTCOME_ARCHIVE */
	char object_id[24];
	char config[24];      /* OUTCOME_VERDICT: the config the quarantine test judged */
	bool passed;          /* OUTCOME_VERDICT */
	char *entries;        /* OUTCOME_VERDICT: its status entries, JSON text (freed by the worker);
			       * OUTCOME_CALL: the argument $2 of call_sql */
	const char *call_sql; /* OUTCOME_CALL: "SELECT f($1::bigint, $2::jsonb)", $1 the job (static text) */
	bool unavailable;     /* a failure: the route server was unreachable (its adapter did not answer, or
			       * answered 502/503/504); the try is a wait, not an attempt (jobs.waits) */
};

typedef int (*job_handler)(const struct job_context *ctx, const char *job_id, json_t *payload,
			   struct job_outcome *outcome, char *err, size_t err_len);

/* The handler of a kind, or NULL (jobs of that kind are not claimed: they
 * wait for the code that carries them out). */
job_handler jobs_handler_for(const char *kind);
/* The kinds with a handler, as a PostgreSQL text[] literal (static). */
const char *jobs_handled_kinds(void);
/* The kinds this node claims, as a text[] literal (static): the switch
 * side's only with switch adapters, the route servers' only with
 * route-server adapters, mail only with an SMTP server (else they wait for
 * a node that has them). */
const char *jobs_claimable_kinds(bool switch_side, bool rs_side, bool mail_side);

#endif
