/*
 * Configuration loading (see config.h). Every setting is parsed strictly: a
 * port that is not a number stops start-up with a message, never a default.
 */
#include "core/config.h"

#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum setting_type { SETTING_STRING, SETTING_INT, SETTING_LL, SETTING_BOOL, SETTING_LOG_LEVEL };

struct setting {
	const char *name;
	enum setting_type type;
	size_t offset;
	long long min, max;
	const char *help;
};

#define OFF(field) offsetof(struct config, field)

static const struct setting settings[] = {
	{"IXAPI_LISTEN", SETTING_STRING, OFF(listen_addr), 0, 0, "listen address (default 127.0.0.1)"},
	{"IXAPI_PORT", SETTING_INT, OFF(port), 0, 65535, "listen port (default 8080; 0 picks a free one)"},
	{"DATABASE_URL", SETTING_STRING, OFF(database_url), 0, 0,
	 "libpq conninfo or postgresql:// URI (default: libpq's PG* environment)"},
	{"IXAPI_THREADS", SETTING_INT, OFF(threads), 1, 1024, "HTTP worker threads (default: online cores)"},
	{"IXAPI_DB_POOL_SIZE", SETTING_INT, OFF(db_pool_size), 1, 1024,
	 "PostgreSQL connections in the pool (default: threads + 2 + workers)"},
	{"IXAPI_DB_ACQUIRE_TIMEOUT_MS", SETTING_INT, OFF(db_acquire_timeout_ms), 1, 600000,
	 "longest wait for a pooled connection before a 503 (default 5000)"},
	{"IXAPI_DB_STATEMENT_TIMEOUT_MS", SETTING_INT, OFF(db_statement_timeout_ms), 0, 3600000,
	 "longest a database statement may run before a 503 (default 10000; 0: no limit)"},
	{"IXAPI_DB_LOCK_TIMEOUT_MS", SETTING_INT, OFF(db_lock_timeout_ms), 0, 3600000,
	 "longest wait for a row or table lock before a 503 (default 1000; 0: no limit)"},
	{"IXAPI_DB_IDLE_TX_TIMEOUT_MS", SETTING_INT, OFF(db_idle_tx_timeout_ms), 0, 3600000,
	 "idle_in_transaction_session_timeout of pooled connections (default 60000)"},
	{"IXAPI_ACCESS_TOKEN_TTL", SETTING_LL, OFF(access_token_ttl_s), 1, 31536000,
	 "access token lifetime in seconds (default 3600)"},
	{"IXAPI_REFRESH_TOKEN_TTL", SETTING_LL, OFF(refresh_token_ttl_s), 1, 31536000,
	 "refresh token lifetime in seconds (default 604800)"},
	{"IXAPI_JWT_KEY_FILE", SETTING_STRING, OFF(jwt_key_file), 0, 0,
	 "HS256 key file, created with mode 0600 if missing (default var/jwt.key)"},
	{"IXAPI_JWT_ISSUER", SETTING_STRING, OFF(jwt_issuer), 0, 0, "the iss claim of tokens (default ixapid)"},
	{"IXAPI_LOG_LEVEL", SETTING_LOG_LEVEL, OFF(log_level), 0, 0, "debug, info, warn or error (default info)"},
	{"IXAPI_MIGRATE_ON_START", SETTING_BOOL, OFF(migrate_on_start), 0, 0,
	 "apply pending migrations before serving: 0 or 1 (default 0)"},
	{"IXAPI_MIGRATIONS_DIR", SETTING_STRING, OFF(migrations_dir), 0, 0,
	 "folder of NNN_name.sql migrations (default ./migrations)"},
	{"IXAPI_CONNECTION_TIMEOUT", SETTING_INT, OFF(connection_timeout_s), 1, 3600,
	 "idle/slow HTTP connection timeout in seconds (default 30)"},
	{"IXAPI_REQUEST_HEAD_TIMEOUT", SETTING_INT, OFF(request_head_timeout_s), 1, 3600,
	 "whole request line and headers must arrive within this, seconds (default 10)"},
	{"IXAPI_MAX_CONNECTIONS", SETTING_INT, OFF(max_connections), 4, 1000000,
	 "open HTTP connections at most (default 4096)"},
	{"IXAPI_MAX_CONNECTIONS_PER_IP", SETTING_INT, OFF(max_connections_per_ip), 0, 1000000,
	 "open HTTP connections per client address (default 64; 0: no limit)"},
	{"IXAPI_WORKERS", SETTING_INT, OFF(workers), 0, 64, "job worker threads of `serve` (default 2; 0: none)"},
	{"IXAPI_ADAPTERS_FILE", SETTING_STRING, OFF(adapters_file), 0, 0,
	 "JSON file naming the switch and route-server adapters (default none: jobs wait)"},
	{"IXAPI_JOB_POLL_MS", SETTING_INT, OFF(job_poll_ms), 10, 3600000,
	 "workers look for due jobs at least this often, besides NOTIFY (default 1000)"},
	{"IXAPI_JOB_LEASE_MS", SETTING_INT, OFF(job_lease_ms), 100, 86400000,
	 "a running job whose node went silent is claimed again after this (default 60000)"},
	{"IXAPI_JOB_MAX_ATTEMPTS", SETTING_INT, OFF(job_max_attempts), 1, 1000,
	 "attempts before a job is dead and its object in error (default 8)"},
	{"IXAPI_JOB_BACKOFF_BASE_MS", SETTING_INT, OFF(job_backoff_base_ms), 1, 86400000,
	 "retry backoff: full jitter up to base * 2^(attempt-1) (default 1000)"},
	{"IXAPI_JOB_BACKOFF_CAP_MS", SETTING_INT, OFF(job_backoff_cap_ms), 1, 86400000,
	 "retry backoff ceiling (default 300000)"},
	{"IXAPI_ADAPTER_CONNECT_TIMEOUT_MS", SETTING_INT, OFF(adapter_connect_timeout_ms), 1, 600000,
	 "connect timeout of adapter calls (default 2000)"},
	{"IXAPI_ADAPTER_TIMEOUT_MS", SETTING_INT, OFF(adapter_timeout_ms), 1, 3600000,
	 "total timeout of one adapter call (default 10000)"},
	{"IXAPI_ADAPTER_CHECK_MS", SETTING_INT, OFF(adapter_check_ms), 100, 86400000,
	 "workers read each adapter's boot_id this often; a new one re-pushes its ports (default 30000)"},
	{"IXAPI_QUARANTINE_SECONDS", SETTING_INT, OFF(quarantine_seconds), 1, 60,
	 "the quarantine test's capture window in seconds (default 10)"},
	{"IXAPI_QUARANTINE_PROBE_MAC", SETTING_STRING, OFF(quarantine_probe_mac), 0, 0,
	 "source MAC of the quarantine probes, locally administered (default 02:1a:70:00:00:01)"},
	{"IXAPI_RS_POLL_MS", SETTING_INT, OFF(rs_poll_ms), 100, 86400000,
	 "route-server session states (and observed prefix counts) are polled this often (default 60000)"},
	{"IXAPI_PEER_POLL_S", SETTING_INT, OFF(peer_poll_s), 1, 86400,
	 "per-peer traffic counters of the switch adapters are polled this often, in seconds (default 300)"},
	{"IXAPI_RTT_INTERVAL_S", SETTING_INT, OFF(rtt_interval_s), 1, 86400,
	 "the route servers' RTT probe pings every member LAN address this often, in seconds (default 300)"},
	{"IXAPI_STATS_INTERVAL_S", SETTING_INT, OFF(stats_interval_s), 1, 86400,
	 "every switch adapter's port counters are read this often, in seconds (default 300)"},
	{"IXAPI_STATS_MAX_GAP_S", SETTING_INT, OFF(stats_max_gap_s), 1, 604800,
	 "counters further apart than this (missed polls) are not spread over the slots between (default 900)"},
	{"IXAPI_STATS_RAW_DAYS", SETTING_INT, OFF(stats_raw_days), 1, 36500,
	 "5-minute statistics are kept this many days (default 35)"},
	{"IXAPI_STATS_HOURLY_DAYS", SETTING_INT, OFF(stats_hourly_days), 1, 36500,
	 "hourly statistics are kept this many days (default 400)"},
	{"IXAPI_ESIGN_HMAC_KEY", SETTING_STRING, OFF(esign_hmac_key), 0, 0,
	 "HMAC-SHA256 key of the e-signature provider's callbacks (default none: callbacks answer 503)"},
	{"IXAPI_SMTP_URL", SETTING_STRING, OFF(smtp_url), 0, 0,
	 "SMTP server of outgoing mail: smtp://host:port or smtps://host:port (default none: mail jobs wait)"},
	{"IXAPI_SMTP_STARTTLS", SETTING_BOOL, OFF(smtp_starttls), 0, 0,
	 "1: an smtp:// server must take STARTTLS, else no mail is sent (default 0: plain)"},
	{"IXAPI_SMTP_USER", SETTING_STRING, OFF(smtp_user), 0, 0, "SMTP AUTH user name (default none: no AUTH)"},
	{"IXAPI_SMTP_PASSWORD", SETTING_STRING, OFF(smtp_password), 0, 0,
	 "SMTP AUTH password (never logged; or IXAPI_SMTP_PASSWORD_FILE)"},
	{"IXAPI_SMTP_PASSWORD_FILE", SETTING_STRING, OFF(smtp_password_file), 0, 0,
	 "file whose first line is the SMTP AUTH password"},
	{"IXAPI_SMTP_CA_FILE", SETTING_STRING, OFF(smtp_ca_file), 0, 0,
	 "CA certificates (PEM) the SMTP server's certificate is checked against (default: the system's)"},
	{"IXAPI_SMTP_TIMEOUT_MS", SETTING_INT, OFF(smtp_timeout_ms), 100, 600000,
	 "longest one SMTP conversation may take; connecting at most 10 s of it (default 30000)"},
	{"IXAPI_MAIL_FROM", SETTING_STRING, OFF(mail_from), 0, 0,
	 "sender address of every mail (default noc@localhost)"},
	{"IXAPI_PORT_ASSIGNMENT", SETTING_STRING, OFF(port_assignment), 0, 0,
	 "onboarding: auto (the job picks free ports once the agreement is signed) or operator (default auto)"},
	{"IXAPI_SHUTDOWN_GRACE", SETTING_INT, OFF(shutdown_grace_s), 0, 3600,
	 "seconds to let in-flight requests finish on SIGTERM (default 10)"},
};

#define SETTING_COUNT (sizeof(settings) / sizeof(settings[0]))

static int apply(struct config *cfg, const struct setting *s, const char *value, char *err, size_t err_len)
{
	char *base = (char *)cfg;
	long long v = 0;
	switch (s->type) {
	case SETTING_STRING: {
		char **slot = (char **)(base + s->offset);
		free(*slot);
		*slot = xstrdup(value);
		return 0;
	}
	case SETTING_INT:
	case SETTING_LL:
		if (!util_parse_ll(value, s->min, s->max, &v)) {
			snprintf(err, err_len, "%s: expected an integer in [%lld, %lld], got '%s'", s->name, s->min,
				 s->max, value);
			return -1;
		}
		if (s->type == SETTING_INT)
			*(int *)(base + s->offset) = (int)v;
		else
			*(long long *)(base + s->offset) = v;
		return 0;
	case SETTING_BOOL:
		if (strcmp(value, "1") == 0 || strcmp(value, "true") == 0 || strcmp(value, "yes") == 0)
			*(bool *)(base + s->offset) = true;
		else if (strcmp(value, "0") == 0 || strcmp(value, "false") == 0 || strcmp(value, "no") == 0 || !*value)
			*(bool *)(base + s->offset) = false;
		else {
			snprintf(err, err_len, "%s: expected 0 or 1, got '%s'", s->name, value);
			return -1;
		}
		return 0;
	case SETTING_LOG_LEVEL: {
		int level = log_level_parse(value);
		if (level < 0) {
			snprintf(err, err_len, "%s: expected debug, info, warn or error, got '%s'", s->name, value);
			return -1;
		}
		*(int *)(base + s->offset) = level;
		return 0;
	}
	}
	return -1;
}

static const struct setting *find_setting(const char *name)
{
	for (size_t i = 0; i < SETTING_COUNT; i++)
		if (strcmp(settings[i].name, name) == 0)
			return &settings[i];
	return NULL;
}

static int load_file(struct config *cfg, const char *path, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_len, "config file %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = 0;
	char line[4096];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		char *eq = strchr(p, '=');
		if (!eq) {
			snprintf(err, err_len, "%s:%d: expected KEY=VALUE", path, lineno);
			rc = -1;
			goto out;
		}
		*eq = '\0';
		const struct setting *s = find_setting(p);
		if (!s) {
			snprintf(err, err_len, "%s:%d: unknown setting '%s'", path, lineno, p);
			rc = -1;
			goto out;
		}
		if (apply(cfg, s, eq + 1, err, err_len) < 0) {
			rc = -1;
			goto out;
		}
	}
out:
	fclose(f);
	return rc;
}

/* The first line of a secret file into *slot (the line end dropped). */
static int read_secret_file(const char *name, const char *path, char **slot, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_len, "%s %s: %s", name, path, strerror(errno));
		return -1;
	}
	char line[1024];
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	free(*slot);
	*slot = xstrdup(line);
	explicit_bzero(line, sizeof(line));
	return 0;
}

/* The mail settings that can be judged without a server. */
static int check_mail(struct config *cfg, char *err, size_t err_len)
{
	const char *url = cfg->smtp_url;
	if (*url && strncasecmp(url, "smtp://", 7) != 0 && strncasecmp(url, "smtps://", 8) != 0) {
		snprintf(err, err_len, "IXAPI_SMTP_URL: expected smtp://host:port or smtps://host:port");
		return -1;
	}
	if (strchr(url, '@') || strpbrk(url, " \t\r\n")) {
		/* the URL is in job errors and logs; credentials are not */
		snprintf(err, err_len,
			 "IXAPI_SMTP_URL: no user or password in the URL (IXAPI_SMTP_USER, "
			 "IXAPI_SMTP_PASSWORD)");
		return -1;
	}
	if (*cfg->smtp_password_file) {
		if (*cfg->smtp_password) {
			snprintf(err, err_len, "IXAPI_SMTP_PASSWORD and IXAPI_SMTP_PASSWORD_FILE: set one");
			return -1;
		}
		if (read_secret_file("IXAPI_SMTP_PASSWORD_FILE", cfg->smtp_password_file, &cfg->smtp_password, err,
				     err_len) != 0)
			return -1;
	}
	const char *from = cfg->mail_from, *at = strchr(from, '@');
	if (!at || at == from || !at[1] || strchr(at + 1, '@') || strpbrk(from, " \t\r\n<>\",;:()[]\\")) {
		snprintf(err, err_len, "IXAPI_MAIL_FROM: expected a plain address such as noc@example.net");
		return -1;
	}
	return 0;
}

int config_load(struct config *cfg, const char *file_path, char *err, size_t err_len)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen_addr = xstrdup("127.0.0.1");
	cfg->port = 8080;
	cfg->database_url = xstrdup("");
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->threads = cores > 0 ? (int)cores : 2;
	cfg->db_acquire_timeout_ms = 5000;
	cfg->db_statement_timeout_ms = 10000;
	cfg->db_lock_timeout_ms = 1000;
	cfg->db_idle_tx_timeout_ms = 60000;
	cfg->access_token_ttl_s = 3600;
	cfg->refresh_token_ttl_s = 7 * 24 * 3600;
	cfg->jwt_key_file = xstrdup("var/jwt.key");
	cfg->jwt_issuer = xstrdup("ixapid");
	cfg->log_level = LOG_LEVEL_INFO;
	cfg->migrations_dir = xstrdup("migrations");
	cfg->connection_timeout_s = 30;
	cfg->shutdown_grace_s = 10;
	cfg->request_head_timeout_s = 10;
	cfg->max_connections = 4096;
	cfg->max_connections_per_ip = 64;
	cfg->workers = 2;
	cfg->adapters_file = xstrdup("");
	cfg->job_poll_ms = 1000;
	cfg->job_lease_ms = 60000;
	cfg->job_max_attempts = 8;
	cfg->job_backoff_base_ms = 1000;
	cfg->job_backoff_cap_ms = 300000;
	cfg->adapter_connect_timeout_ms = 2000;
	cfg->adapter_timeout_ms = 10000;
	cfg->adapter_check_ms = 30000;
	cfg->quarantine_seconds = 10;
	cfg->quarantine_probe_mac = xstrdup("02:1a:70:00:00:01");
	cfg->rs_poll_ms = 60000;
	cfg->peer_poll_s = 300;
	cfg->rtt_interval_s = 300;
	cfg->stats_interval_s = 300;
	cfg->stats_max_gap_s = 900;
	cfg->stats_raw_days = 35;
	cfg->stats_hourly_days = 400;
	cfg->esign_hmac_key = xstrdup("");
	cfg->smtp_url = xstrdup("");
	cfg->smtp_user = xstrdup("");
	cfg->smtp_password = xstrdup("");
	cfg->smtp_password_file = xstrdup("");
	cfg->smtp_ca_file = xstrdup("");
	cfg->smtp_timeout_ms = 30000;
	cfg->mail_from = xstrdup("noc@localhost");
	cfg->port_assignment = xstrdup("auto");

	if (!file_path || !*file_path)
		file_path = getenv("IXAPI_CONFIG");
	if (file_path && *file_path && load_file(cfg, file_path, err, err_len) < 0)
		return -1;
	for (size_t i = 0; i < SETTING_COUNT; i++) {
		const char *v = getenv(settings[i].name);
		if (v && apply(cfg, &settings[i], v, err, err_len) < 0)
			return -1;
	}
	if (strcmp(cfg->port_assignment, "auto") != 0 && strcmp(cfg->port_assignment, "operator") != 0) {
		snprintf(err, err_len, "IXAPI_PORT_ASSIGNMENT: expected auto or operator, got '%s'",
			 cfg->port_assignment);
		return -1;
	}
	if (cfg->db_pool_size == 0)
		cfg->db_pool_size = cfg->threads + 2 + cfg->workers;
	return check_mail(cfg, err, err_len);
}

void config_free(struct config *cfg)
{
	if (cfg->smtp_password)
		explicit_bzero(cfg->smtp_password, strlen(cfg->smtp_password));
	for (size_t i = 0; i < SETTING_COUNT; i++)
		if (settings[i].type == SETTING_STRING) {
			char **slot = (char **)((char *)cfg + settings[i].offset);
			free(*slot);
			*slot = NULL;
		}
}

const char *config_usage(void)
{
	static char text[16384];
	static int done;
	if (!done) {
		size_t n = 0;
		n += (size_t)snprintf(
			text + n, sizeof(text) - n,
			"Settings (environment variables; the same KEY=VALUE lines may be put in\na file named by IXAPI_CONFIG or --config FILE; the environment wins):\n");
		for (size_t i = 0; i < SETTING_COUNT && n < sizeof(text); i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "  %-28s %s\n", settings[i].name,
					      settings[i].help);
		done = 1;
	}
	return text;
}
