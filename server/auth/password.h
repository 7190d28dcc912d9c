/*
 * API keys and secrets: random generation and argon2id hashing (libsodium).
 * Secrets are stored only as hashes and compared in constant time.
 */
#ifndef IXAPI_AUTH_PASSWORD_H
#define IXAPI_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_API_KEY_LEN    16 /* IX-API 2.1.0 fixes api_key at 16 characters */
#define PASSWORD_API_SECRET_LEN 86 /* and api_secret at 86 */

/* Initialises libsodium; 0 ok, -1 on failure. Hashes use argon2id with
 * libsodium's INTERACTIVE limits (64 MiB, 2 passes). */
int password_init(void);
/* Writes len uniformly random characters of [A-Za-z0-9] and a NUL into out
 * (which holds len + 1 bytes). */
void password_random_string(char *out, size_t len);
/* argon2id hash string of secret; caller frees; NULL on failure. */
char *password_hash_new(const char *secret);
/* Constant-time check of secret against an argon2id hash string. */
bool password_verify(const char *hash, const char *secret);
/* Spends the time of one verification, so that an unknown key answers as
 * slowly as a known one. */
void password_burn_time(const char *secret);

#endif
