/*
 * The process-wide context every handler reaches through its request:
 * configuration, the database pool, the token signer and the OpenAPI
 * document. Built once in main.c; read-only while serving.
 */
#ifndef IXAPI_APP_H
#define IXAPI_APP_H

#include "auth/jwt_tokens.h"
#include "core/config.h"
#include "db/db.h"

#include <stddef.h>

struct app {
	const struct config *cfg;
	struct db_pool *pool;
	struct token_signer signer;
	const char *openapi_json; /* the embedded document (static) */
	size_t openapi_len;
};

#define IXAPI_SCHEMA_VERSION  "2.7.1"
#define IXAPI_SERVICE_VERSION "0.1.0"

#endif
