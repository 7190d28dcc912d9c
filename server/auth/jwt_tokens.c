/*
 * Token signing and verification (see jwt_tokens.h).
 */
#include "auth/jwt_tokens.h"

#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <jwt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_LEN 64

static int make_parent(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = -1;
	}
	free(dir);
	return rc;
}

int token_key_load_or_create(const char *path, struct token_signer *s, char *err, size_t err_len)
{
	memset(s, 0, sizeof(*s));
	int fd = open(path, O_RDONLY);
	if (fd < 0 && errno == ENOENT) {
		unsigned char key[KEY_LEN];
		randombytes_buf(key, sizeof(key));
		if (make_parent(path) != 0) {
			snprintf(err, err_len, "%s: cannot create its folder: %s", path, strerror(errno));
			return -1;
		}
		int wfd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (wfd >= 0) {
			ssize_t n = write(wfd, key, sizeof(key));
			if (close(wfd) != 0 || n != (ssize_t)sizeof(key)) {
				unlink(path);
				snprintf(err, err_len, "%s: cannot write the key", path);
				return -1;
			}
		} else if (errno != EEXIST) { /* EEXIST: another node created it meanwhile */
			snprintf(err, err_len, "%s: %s", path, strerror(errno));
			return -1;
		}
		sodium_memzero(key, sizeof(key));
		fd = open(path, O_RDONLY);
	}
	if (fd < 0) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	int rc = -1;
	if (fstat(fd, &st) != 0) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, err_len, "%s: readable by group or others (mode %03o); chmod 600 it", path,
			 (unsigned)(st.st_mode & 0777));
		goto out;
	}
	if (st.st_size != KEY_LEN || read(fd, s->key, KEY_LEN) != KEY_LEN) {
		snprintf(err, err_len, "%s: expected exactly %d bytes", path, KEY_LEN);
		goto out;
	}
	s->key_len = KEY_LEN;
	snprintf(s->issuer, sizeof(s->issuer), "ixapid");
	rc = 0;
out:
	close(fd);
	return rc;
}

const char *token_role_name(enum token_role role)
{
	switch (role) {
	case TOKEN_ROLE_OPERATOR:
		return "operator";
	case TOKEN_ROLE_PORTAL:
		return "portal";
	case TOKEN_ROLE_MEMBER:
		break;
	}
	return "member";
}

bool token_role_parse(const char *name, enum token_role *out)
{
	static const enum token_role roles[] = {TOKEN_ROLE_MEMBER, TOKEN_ROLE_OPERATOR, TOKEN_ROLE_PORTAL};
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (name && strcmp(name, token_role_name(roles[i])) == 0) {
			*out = roles[i];
			return true;
		}
	return false;
}

char *token_issue(const struct token_signer *s, const struct token_claims *c)
{
	jwt_t *jwt = NULL;
	char *out = NULL;
	if (jwt_new(&jwt) != 0)
		return NULL;
	if (jwt_add_grant(jwt, "iss", s->issuer) || jwt_add_grant(jwt, "sub", c->sub) ||
	    jwt_add_grant_int(jwt, "iat", (long)c->iat) || jwt_add_grant_int(jwt, "exp", (long)c->exp) ||
	    jwt_add_grant(jwt, "typ", c->kind == TOKEN_REFRESH ? "refresh" : "access") ||
	    jwt_add_grant(jwt, "role", token_role_name(c->role)) || jwt_add_grant(jwt, "jti", c->jti) ||
	    jwt_add_grant(jwt, "key", c->key_id) || jwt_set_alg(jwt, JWT_ALG_HS256, s->key, (int)s->key_len))
		goto out;
	out = jwt_encode_str(jwt);
out:
	jwt_free(jwt);
	return out;
}

/* Decodes the base64url header segment and checks {"alg": "HS256"}. */
static bool header_is_hs256(const char *token, size_t header_len)
{
	if (header_len == 0 || header_len > 512)
		return false;
	unsigned char decoded[512];
	size_t decoded_len = 0;
	if (sodium_base642bin(decoded, sizeof(decoded) - 1, token, header_len, NULL, &decoded_len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return false;
	json_t *j = json_loadb((const char *)decoded, decoded_len, 0, NULL);
	const char *alg = json_string_value(json_object_get(j, "alg"));
	bool ok = alg && strcmp(alg, "HS256") == 0;
	json_decref(j);
	return ok;
}

static bool copy_claim(jwt_t *jwt, const char *name, char *out, size_t len)
{
	const char *v = jwt_get_grant(jwt, name);
	if (!v || strlen(v) >= len)
		return false;
	memcpy(out, v, strlen(v) + 1);
	return true;
}

/* Integer claims must be JSON integers (not strings, not floats). */
static bool integer_claim(jwt_t *jwt, const char *name, long long *out)
{
	char *text = jwt_get_grants_json(jwt, name);
	json_t *j = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	bool ok = json_is_integer(j);
	if (ok)
		*out = json_integer_value(j);
	json_decref(j);
	free(text);
	return ok;
}

struct problem *token_verify(const struct token_signer *s, const char *token, enum token_kind expected_kind,
			     long long now, struct token_claims *out)
{
	memset(out, 0, sizeof(*out));
	if (!token || !*token || strlen(token) > TOKEN_MAX_LEN)
		return problem_new(PROBLEM_AUTHENTICATION, "The token is missing or malformed.");
	const char *dot1 = strchr(token, '.');
	const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (!dot1 || !dot2 || strchr(dot2 + 1, '.') || dot2[1] == '\0')
		return problem_new(PROBLEM_AUTHENTICATION, "The token is missing or malformed.");
	if (!header_is_hs256(token, (size_t)(dot1 - token)))
		return problem_new(PROBLEM_AUTHENTICATION, "The token's algorithm is not accepted.");
	jwt_t *jwt = NULL;
	struct problem *p = NULL;
	if (jwt_decode(&jwt, token, s->key, (int)s->key_len) != 0 || !jwt) {
		p = problem_new(PROBLEM_AUTHENTICATION, "The token's signature is not valid.");
		goto out;
	}
	if (jwt_get_alg(jwt) != JWT_ALG_HS256) {
		p = problem_new(PROBLEM_AUTHENTICATION, "The token's algorithm is not accepted.");
		goto out;
	}
	const char *iss = jwt_get_grant(jwt, "iss");
	const char *typ = jwt_get_grant(jwt, "typ");
	const char *role = jwt_get_grant(jwt, "role");
	if (!iss || strcmp(iss, s->issuer) != 0 || !typ || !role ||
	    !copy_claim(jwt, "sub", out->sub, sizeof(out->sub)) ||
	    !copy_claim(jwt, "jti", out->jti, sizeof(out->jti)) ||
	    !copy_claim(jwt, "key", out->key_id, sizeof(out->key_id)) || !integer_claim(jwt, "iat", &out->iat) ||
	    !integer_claim(jwt, "exp", &out->exp)) {
		p = problem_new(PROBLEM_AUTHENTICATION, "The token's claims are not valid.");
		goto out;
	}
	if (strcmp(typ, "access") == 0)
		out->kind = TOKEN_ACCESS;
	else if (strcmp(typ, "refresh") == 0)
		out->kind = TOKEN_REFRESH;
	else {
		p = problem_new(PROBLEM_AUTHENTICATION, "The token's claims are not valid.");
		goto out;
	}
	if (!token_role_parse(role, &out->role)) {
		p = problem_new(PROBLEM_AUTHENTICATION, "The token's claims are not valid.");
		goto out;
	}
	if (out->kind != expected_kind) {
		p = problem_new(PROBLEM_AUTHENTICATION, expected_kind == TOKEN_ACCESS
								? "A refresh token cannot be used as an access token."
								: "An access token cannot be used as a refresh token.");
		goto out;
	}
	/* A token from the future was minted by a node with a broken clock or
	 * by someone holding the key; either way it is not ours to honour. */
	long long nbf = 0;
	char *nbf_text = jwt_get_grants_json(jwt, "nbf");
	bool has_nbf = nbf_text != NULL;
	free(nbf_text);
	if (out->iat > now + TOKEN_LEEWAY_S || out->exp <= out->iat ||
	    (has_nbf && (!integer_claim(jwt, "nbf", &nbf) || nbf > now + TOKEN_LEEWAY_S))) {
		p = problem_new(PROBLEM_AUTHENTICATION, "The token is not valid yet or its times are inconsistent.");
		goto out;
	}
	if (out->exp <= now)
		p = problem_new(PROBLEM_SIGNATURE_EXPIRED, "The token has expired.");
out:
	jwt_free(jwt);
	if (p)
		memset(out, 0, sizeof(*out));
	return p;
}
