/*
 * JWT access and refresh tokens (HS256 via libjwt) and the key file they are
 * signed with. Verification checks the header's algorithm itself before
 * libjwt sees the token: only HS256 is ever accepted (no "none", no other
 * algorithm confusion).
 */
#ifndef IXAPI_AUTH_JWT_TOKENS_H
#define IXAPI_AUTH_JWT_TOKENS_H

#include "core/problem.h"

#include <stdbool.h>
#include <stddef.h>

enum token_kind { TOKEN_ACCESS, TOKEN_REFRESH };
/* portal: the member-portal backend's key (submits applications, reads their progress) */
enum token_role { TOKEN_ROLE_MEMBER, TOKEN_ROLE_OPERATOR, TOKEN_ROLE_PORTAL };

struct token_claims {
	char sub[64];         /* account id as a string */
	enum token_kind kind; /* claim "typ": "access" or "refresh" */
	enum token_role role; /* claim "role": "operator", "member" or "portal" */
	long long iat, exp;   /* integer seconds since the epoch */
	char jti[64];         /* unique token id; refresh tokens are tracked by it */
	char key_id[64];      /* claim "key": the API key the token descends from */
};

struct token_signer {
	unsigned char key[64]; /* HS256 secret */
	size_t key_len;
	char issuer[128]; /* "iss" */
};

#define TOKEN_MAX_LEN 4096
/* Clock skew tolerated between nodes: a token "issued" or "not before"
 * further in the future than this is refused. */
#define TOKEN_LEEWAY_S 60

/* Reads the 64-byte key file, creating it (mode 0600, parent 0700) with
 * random bytes if missing. Refuses a wrong size or a group/other-readable
 * file. 0 ok, -1 with err filled. */
int token_key_load_or_create(const char *path, struct token_signer *s, char *err, size_t err_len);
/* Signs the claims; returns a JWT the caller frees, NULL on failure. */
char *token_issue(const struct token_signer *s, const struct token_claims *c);
/* Verifies a token of the expected kind at time `now`: NULL with *out filled,
 * or an authentication (signature-expired when only the expiry fails)
 * problem. Refused besides a bad signature or algorithm: another issuer,
 * `iat` or `nbf` (optional, an integer when present) more than
 * TOKEN_LEEWAY_S in the future, `exp` not after `iat`. The token never
 * appears in a problem's detail. */
/* The claim's text of a role: "operator", "member" or "portal". */
const char *token_role_name(enum token_role role);
/* The role of an api_keys.role text; false when it is none of them. */
bool token_role_parse(const char *name, enum token_role *out);
struct problem *token_verify(const struct token_signer *s, const char *token, enum token_kind expected_kind,
			     long long now, struct token_claims *out);

#endif
