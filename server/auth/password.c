/*
 * argon2id hashing and random strings (see password.h).
 */
#include "auth/password.h"

#include "core/util.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const unsigned long long opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static const size_t memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

int password_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void password_random_string(char *out, size_t len)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[len] = '\0';
}

char *password_hash_new(const char *secret)
{
	char *out = xmalloc(crypto_pwhash_STRBYTES);
	if (crypto_pwhash_str_alg(out, secret, strlen(secret), opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

bool password_verify(const char *hash, const char *secret)
{
	return crypto_pwhash_str_verify(hash, secret, strlen(secret)) == 0;
}

static void make_dummy(void)
{
	char secret[PASSWORD_API_SECRET_LEN + 1];
	password_random_string(secret, PASSWORD_API_SECRET_LEN);
	if (crypto_pwhash_str_alg(dummy_hash, secret, strlen(secret), opslimit, memlimit,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		dummy_hash[0] = '\0';
}

void password_burn_time(const char *secret)
{
	pthread_once(&dummy_once, make_dummy);
	static volatile int sink; /* the result does not matter, only the time spent */
	if (dummy_hash[0])
		sink = crypto_pwhash_str_verify(dummy_hash, secret, strlen(secret));
	(void)sink;
}
