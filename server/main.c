/*
 * ixapid: parse the command line and configuration, open the pool, start
 * the daemon, wait for a signal. Subcommands: serve (default), migrate,
 * seed-demo, routes, jobs.
 */
#include "app.h"
#include "auth/password.h"
#include "auth/revocations.h"
#include "core/log.h"
#include "db/migrate.h"
#include "jobs/jobs_cli.h"
#include "routeservers/rsdata_cli.h"
#include "resource/listing.h"
#include "http/router.h"
#include "http/server.h"
#include "jobs/adapters.h"
#include "jobs/worker.h"
#include "loa/loa_pdf.h"
#include "routes.h"
#include "seed/seed.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Generated from openapi/ixapi.json by the build (xxd -i). */
extern unsigned char openapi_ixapi_json[];
extern unsigned int openapi_ixapi_json_len;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ixapid [--config FILE] [COMMAND]\n\nAn IX-API v2 provisioning server (IX-API %s) on PostgreSQL.\n\nCommands:\n"
		"  serve                      serve the API under http://LISTEN:PORT/api/v2 (default)\n"
		"  migrate                    apply pending migrations from IXAPI_MIGRATIONS_DIR and exit\n"
		"  seed-demo --credentials F  create the demo exchange if missing; write new API keys to F\n"
		"  routes                     print the route table (METHOD PATH PRIVILEGE OPERATION)\n",
		IXAPI_SCHEMA_VERSION);
	jobs_cli_usage(out);
	rsdata_cli_usage(out);
	fprintf(out, "  --help, --version\n\n%s", config_usage());
}

static int migrate_now(const struct config *cfg)
{
	PGconn *conn = NULL;
	struct db_pool *pool = db_pool_new(cfg->database_url, 1, cfg->db_acquire_timeout_ms);
	struct problem *p = db_acquire(pool, &conn);
	int applied = 0;
	if (!p)
		p = migrate_apply(conn, cfg->migrations_dir, &applied);
	if (conn)
		db_release(pool, conn);
	db_pool_free(pool);
	if (p) {
		LOG_ERROR("migration failed: %s", problem_detail(p));
		problem_free(p);
		return -1;
	}
	LOG_INFO("schema up to date (%d migration(s) applied now)", applied);
	return 0;
}

static int print_routes(void)
{
	static const char *const privileges[] = {[PRIV_PUBLIC] = "public",
						 [PRIV_MEMBER] = "member",
						 [PRIV_OPERATOR] = "operator",
						 [PRIV_PORTAL] = "portal"};
	_Static_assert(sizeof(privileges) / sizeof(privileges[0]) == PRIV_PORTAL + 1, "a name for every privilege");
	for (size_t i = 0; i < routes_count; i++)
		printf("%s %s %s %s\n", http_method_name(routes_table[i].method), routes_table[i].pattern,
		       privileges[routes_table[i].privilege], routes_table[i].operation_id);
	return 0;
}

static int serve(const struct config *cfg)
{
	int rc = 1;
	struct app app = {
		.cfg = cfg, .openapi_json = (const char *)openapi_ixapi_json, .openapi_len = openapi_ixapi_json_len};
	char err[256];
	if (router_check(routes_table, routes_count, err, sizeof(err)) != 0 ||
	    listing_prepare(routes_table, routes_count, err, sizeof(err)) != 0) {
		LOG_ERROR("route table: %s", err);
		return 1;
	}
	if (token_key_load_or_create(cfg->jwt_key_file, &app.signer, err, sizeof(err)) != 0) {
		LOG_ERROR("JWT key: %s", err);
		return 1;
	}
	snprintf(app.signer.issuer, sizeof(app.signer.issuer), "%s", cfg->jwt_issuer);
	if (cfg->migrate_on_start && migrate_now(cfg) != 0)
		return 1;
	struct switch_adapters adapters = {0};
	if (cfg->adapters_file && *cfg->adapters_file &&
	    adapters_load(cfg->adapters_file, &adapters, err, sizeof(err)) != 0) {
		LOG_ERROR("switch adapters: %s", err);
		return 1;
	}
	struct jobs_workers *workers = NULL;
	curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread: it is not thread-safe */

	/* Signals are taken by sigwait below; every thread started from here
	 * on (libmicrohttpd's pool) inherits the blocked mask. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Revoked keys and deleted accounts reach every node through the pooled
	 * sessions (auth/revocations.h); tokens older than the window expired. */
	revocations_init(cfg->access_token_ttl_s + TOKEN_LEEWAY_S + 60);
	static const struct db_session_hooks hooks = {revocations_on_connect, revocations_after_statement};
	db_set_session_hooks(&hooks);
	app.pool = db_pool_new(cfg->database_url, cfg->db_pool_size, cfg->db_acquire_timeout_ms);
	db_pool_set_timeouts(app.pool, cfg->db_statement_timeout_ms, cfg->db_lock_timeout_ms,
			     cfg->db_idle_tx_timeout_ms);
	struct http_server *srv = http_server_start(&app, routes_table, routes_count);
	if (!srv)
		goto out;
	workers = jobs_workers_start(cfg, app.pool, &adapters);
	LOG_INFO("ixapid %s serving IX-API %s on http://%s:%d/api/v2 (%d threads, %d database connections)",
		 IXAPI_SERVICE_VERSION, IXAPI_SCHEMA_VERSION, cfg->listen_addr, http_server_port(srv), cfg->threads,
		 cfg->db_pool_size);
	int sig = 0;
	sigwait(&stop, &sig);
	LOG_INFO("signal %d: finishing in-flight requests", sig);
	jobs_workers_stop(workers);
	http_server_stop(srv, cfg->shutdown_grace_s);
	rc = 0;
out:
	db_pool_free(app.pool);
	adapters_free(&adapters);
	curl_global_cleanup();
	LOG_INFO("stopped");
	return rc;
}

int main(int argc, char **argv)
{
	const char *config_path = NULL;
	const char *command = "serve";
	const char *credentials = NULL;
	int command_argc = 0;
	char **command_argv = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("ixapid %s (IX-API %s)\n", IXAPI_SERVICE_VERSION, IXAPI_SCHEMA_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config_path = argv[++i];
		} else if (strcmp(argv[i], "--credentials") == 0 && i + 1 < argc) {
			credentials = argv[++i];
		} else if (argv[i][0] != '-') {
			command = argv[i];
			if (strcmp(command, "jobs") == 0 ||
			    strcmp(command, "rs-data") == 0) { /* the rest is the subcommand's */
				command_argc = argc - i - 1;
				command_argv = argv + i + 1;
				break;
			}
		} else {
			fprintf(stderr, "ixapid: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	struct config cfg;
	char err[512];
	if (config_load(&cfg, config_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "ixapid: %s\n", err);
		return 2;
	}
	log_set_level((enum log_level)cfg.log_level);
	if (password_init() != 0) {
		LOG_ERROR("libsodium failed to initialise");
		return 1;
	}
	int rc = 2;
	if (strcmp(command, "serve") == 0)
		rc = serve(&cfg);
	else if (strcmp(command, "migrate") == 0)
		rc = migrate_now(&cfg) == 0 ? 0 : 1;
	else if (strcmp(command, "routes") == 0)
		rc = print_routes();
	else if (strcmp(command, "jobs") == 0) {
		struct db_pool *pool = db_pool_new(cfg.database_url, 1, cfg.db_acquire_timeout_ms);
		rc = jobs_cli(pool, command_argc, command_argv, stdout, stderr);
		db_pool_free(pool);
	} else if (strcmp(command, "rs-data") == 0) {
		struct db_pool *pool = db_pool_new(cfg.database_url, 1, cfg.db_acquire_timeout_ms);
		/* a full RPKI table is half a million rows: bounded, more widely */
		db_pool_set_timeouts(pool, RSDATA_CLI_STATEMENT_TIMEOUT_MS, cfg.db_lock_timeout_ms,
				     cfg.db_idle_tx_timeout_ms);
		rc = rsdata_cli(pool, command_argc, command_argv, stdout, stderr);
		db_pool_free(pool);
	} else if (strcmp(command, "seed-demo") == 0) {
		if (!credentials) {
			fprintf(stderr, "ixapid: seed-demo needs --credentials FILE\n");
		} else {
			struct db_pool *pool = db_pool_new(cfg.database_url, 1, cfg.db_acquire_timeout_ms);
			rc = seed_demo(pool, credentials) == 0 ? 0 : 1;
			db_pool_free(pool);
		}
	} else {
		fprintf(stderr, "ixapid: unknown command %s\n", command);
		usage(stderr);
	}
	config_free(&cfg);
	loa_pdf_cleanup();
	return rc;
}
