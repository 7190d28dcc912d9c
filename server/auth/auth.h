/*
 * IX-API authentication endpoints: POST /auth/token (API key and secret for
 * an access and a refresh token) and POST /auth/refresh (rotation).
 */
#ifndef IXAPI_AUTH_AUTH_H
#define IXAPI_AUTH_AUTH_H

#include "http/request.h"

struct problem *auth_token_create(struct request *req, struct response *res);
struct problem *auth_token_refresh(struct request *req, struct response *res);

#endif
