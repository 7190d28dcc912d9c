/*
 * Server configuration: defaults, then an optional KEY=VALUE file
 * (IXAPI_CONFIG or --config), then environment variables. `ixapid --help`
 * prints config_usage().
 */
#ifndef IXAPI_CORE_CONFIG_H
#define IXAPI_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config {
	char *listen_addr;              /* IXAPI_LISTEN */
	int port;                       /* IXAPI_PORT */
	char *database_url;             /* DATABASE_URL */
	int threads;                    /* IXAPI_THREADS, default: online cores */
	int db_pool_size;               /* IXAPI_DB_POOL_SIZE */
	int db_acquire_timeout_ms;      /* IXAPI_DB_ACQUIRE_TIMEOUT_MS */
	int db_statement_timeout_ms;    /* IXAPI_DB_STATEMENT_TIMEOUT_MS, 0: none */
	int db_lock_timeout_ms;         /* IXAPI_DB_LOCK_TIMEOUT_MS, 0: none */
	int db_idle_tx_timeout_ms;      /* IXAPI_DB_IDLE_TX_TIMEOUT_MS, 0: none */
	long long access_token_ttl_s;   /* IXAPI_ACCESS_TOKEN_TTL */
	long long refresh_token_ttl_s;  /* IXAPI_REFRESH_TOKEN_TTL */
	char *jwt_key_file;             /* IXAPI_JWT_KEY_FILE */
	char *jwt_issuer;               /* IXAPI_JWT_ISSUER */
	int log_level;                  /* IXAPI_LOG_LEVEL */
	bool migrate_on_start;          /* IXAPI_MIGRATE_ON_START */
	char *migrations_dir;           /* IXAPI_MIGRATIONS_DIR */
	int connection_timeout_s;       /* IXAPI_CONNECTION_TIMEOUT */
	int shutdown_grace_s;           /* IXAPI_SHUTDOWN_GRACE */
	int request_head_timeout_s;     /* IXAPI_REQUEST_HEAD_TIMEOUT */
	int max_connections;            /* IXAPI_MAX_CONNECTIONS */
	int max_connections_per_ip;     /* IXAPI_MAX_CONNECTIONS_PER_IP, 0: none */
	int workers;                    /* IXAPI_WORKERS: job worker threads, 0: none */
	char *adapters_file;            /* IXAPI_ADAPTERS_FILE: JSON of the switch adapters, "" none */
	int job_poll_ms;                /* IXAPI_JOB_POLL_MS: polling fallback to NOTIFY */
	int job_lease_ms;               /* IXAPI_JOB_LEASE_MS: a running job is claimed again after this */
	int job_max_attempts;           /* IXAPI_JOB_MAX_ATTEMPTS: then the job is dead */
	int job_backoff_base_ms;        /* IXAPI_JOB_BACKOFF_BASE_MS */
	int job_backoff_cap_ms;         /* IXAPI_JOB_BACKOFF_CAP_MS */
	int adapter_connect_timeout_ms; /* IXAPI_ADAPTER_CONNECT_TIMEOUT_MS */
	int adapter_timeout_ms;         /* IXAPI_ADAPTER_TIMEOUT_MS: a whole adapter call */
	int adapter_check_ms;           /* IXAPI_ADAPTER_CHECK_MS: how often each adapter's boot_id is read */
	int quarantine_seconds;         /* IXAPI_QUARANTINE_SECONDS: the capture window */
	char *quarantine_probe_mac;     /* IXAPI_QUARANTINE_PROBE_MAC: the probes' source MAC */
	int rs_poll_ms;                 /* IXAPI_RS_POLL_MS: route-server session state poll interval */
	int peer_poll_s;                /* IXAPI_PEER_POLL_S: per-peer counters poll interval */
	int rtt_interval_s;             /* IXAPI_RTT_INTERVAL_S: RTT probe interval */
	int stats_interval_s;           /* IXAPI_STATS_INTERVAL_S: counters poll interval */
	int stats_max_gap_s;            /* IXAPI_STATS_MAX_GAP_S: a longer gap is not spread */
	int stats_raw_days;             /* IXAPI_STATS_RAW_DAYS: 5-minute retention */
	int stats_hourly_days;          /* IXAPI_STATS_HOURLY_DAYS: hourly retention */
	char *esign_hmac_key;     /* IXAPI_ESIGN_HMAC_KEY: e-signature callbacks' HMAC key, "" none (never logged) */
	char *smtp_url;           /* IXAPI_SMTP_URL: smtp://host:port or smtps://..., "" none: mail waits */
	bool smtp_starttls;       /* IXAPI_SMTP_STARTTLS: smtp:// must switch to TLS */
	char *smtp_user;          /* IXAPI_SMTP_USER, "" no AUTH */
	char *smtp_password;      /* IXAPI_SMTP_PASSWORD (or read from IXAPI_SMTP_PASSWORD_FILE); never logged */
	char *smtp_password_file; /* IXAPI_SMTP_PASSWORD_FILE */
	char *smtp_ca_file;       /* IXAPI_SMTP_CA_FILE, "" the system's CAs */
	int smtp_timeout_ms;      /* IXAPI_SMTP_TIMEOUT_MS: one whole SMTP conversation */
	char *mail_from;          /* IXAPI_MAIL_FROM: sender of every mail */
	char *port_assignment;    /* IXAPI_PORT_ASSIGNMENT: "auto" or "operator" (onboarding) */
};

/* Fills cfg from defaults, the config file (path may be NULL: then
 * $IXAPI_CONFIG) and the environment. Returns 0, or -1 with a message in err.
 * The strings in cfg are owned by cfg (config_free). */
int config_load(struct config *cfg, const char *file_path, char *err, size_t err_len);
void config_free(struct config *cfg);
/* Static help text listing every setting. */
const char *config_usage(void);

#endif
