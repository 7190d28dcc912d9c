/*
 * The process-wide set of revoked API keys and accounts (see revocations.h).
 *
 * An open-addressing hash set of (kind, id) under a read-write lock; the
 * bearer check reads it on every request, writers are rare (a revocation, a
 * new database connection). An empty set costs one atomic load. Entries
 * older than the token window are dropped when the set is rebuilt.
 */
#include "auth/revocations.h"

#include "core/log.h"
#include "core/util.h"
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	uint64_t tag; /* id << 1 | kind; 0 = empty slot */
	long long at_s;
};

static struct {
	pthread_rwlock_t lock;
	struct entry *slots;
	size_t cap; /* power of two, or 0 */
	size_t count;
	long long window_s;
	long long last_prune_s;
	atomic_size_t published_count; /* count, readable without the lock */
	atomic_ulong generation;       /* bumped on every new entry */
} set = {.lock = PTHREAD_RWLOCK_INITIALIZER, .window_s = 3600 + 300};

static __thread struct {
	bool active;
	bool is_revoked; /* sticky: every later statement of the request fails too */
	long long key_id, account_id;
	unsigned long generation_seen;
} bearer;

#define PRUNE_INTERVAL_S 60

static uint64_t tag_of(enum revocation_kind kind, long long id)
{
	return ((uint64_t)id << 1) | (kind == REVOCATION_ACCOUNT ? 1u : 0u);
}

static size_t slot_of(uint64_t tag, size_t cap)
{
	uint64_t h = tag * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 32) & (cap - 1);
}

/* Inserts without growing; the caller made room. Keeps the later time. */
static bool place(struct entry *slots, size_t cap, uint64_t tag, long long at_s)
{
	for (size_t i = slot_of(tag, cap);; i = (i + 1) & (cap - 1)) {
		if (slots[i].tag == tag) {
			if (at_s > slots[i].at_s)
				slots[i].at_s = at_s;
			return false;
		}
		if (slots[i].tag == 0) {
			slots[i].tag = tag;
			slots[i].at_s = at_s;
			return true;
		}
	}
}

/* Rebuilds into a table fit for `need` entries, dropping expired ones.
 * Called with the write lock held. */
static void rebuild(size_t need, long long now_s)
{
	size_t cap = 16;
	while (cap < need * 2)
		cap *= 2;
	struct entry *slots = xcalloc(cap, sizeof(*slots));
	size_t count = 0;
	for (size_t i = 0; i < set.cap; i++)
		if (set.slots[i].tag && set.slots[i].at_s >= now_s - set.window_s)
			count += place(slots, cap, set.slots[i].tag, set.slots[i].at_s);
	free(set.slots);
	set.slots = slots;
	set.cap = cap;
	set.count = count;
	set.last_prune_s = now_s;
}

void revocations_init(long long window_s)
{
	pthread_rwlock_wrlock(&set.lock);
	set.window_s = window_s;
	pthread_rwlock_unlock(&set.lock);
}

void revocations_note(enum revocation_kind kind, long long id, long long at_s)
{
	if (id <= 0)
		return;
	long long now_s = util_now_s();
	pthread_rwlock_wrlock(&set.lock);
	if (at_s < now_s - set.window_s) {
		pthread_rwlock_unlock(&set.lock);
		return; /* every token it could concern has expired */
	}
	if ((set.count + 1) * 2 > set.cap || now_s - set.last_prune_s > PRUNE_INTERVAL_S)
		rebuild(set.count + 1, now_s);
	bool added = place(set.slots, set.cap, tag_of(kind, id), at_s);
	if (added) {
		set.count++;
		atomic_store(&set.published_count, set.count);
		atomic_fetch_add(&set.generation, 1);
	}
	pthread_rwlock_unlock(&set.lock);
}

static bool contains_locked(uint64_t tag)
{
	for (size_t i = slot_of(tag, set.cap);; i = (i + 1) & (set.cap - 1)) {
		if (set.slots[i].tag == tag)
			return true;
		if (set.slots[i].tag == 0)
			return false;
	}
}

bool revocations_contains(long long key_id, long long account_id)
{
	if (atomic_load(&set.published_count) == 0)
		return false;
	pthread_rwlock_rdlock(&set.lock);
	bool found = set.cap && ((key_id > 0 && contains_locked(tag_of(REVOCATION_KEY, key_id))) ||
				 (account_id > 0 && contains_locked(tag_of(REVOCATION_ACCOUNT, account_id))));
	pthread_rwlock_unlock(&set.lock);
	return found;
}

void revocations_reset(void)
{
	pthread_rwlock_wrlock(&set.lock);
	free(set.slots);
	set.slots = NULL;
	set.cap = set.count = 0;
	atomic_store(&set.published_count, 0);
	atomic_fetch_add(&set.generation, 1);
	pthread_rwlock_unlock(&set.lock);
}

unsigned long revocations_generation(void)
{
	return atomic_load(&set.generation);
}

void revocations_bearer_begin(long long key_id, long long account_id, unsigned long checked_generation)
{
	bearer.active = true;
	bearer.is_revoked = false;
	bearer.key_id = key_id;
	bearer.account_id = account_id;
	bearer.generation_seen = checked_generation;
}

void revocations_bearer_end(void)
{
	bearer.active = false;
}

bool revocations_parse_payload(const char *payload, enum revocation_kind *kind, long long *id)
{
	const char *rest = NULL;
	if (strncmp(payload, "key:", 4) == 0) {
		*kind = REVOCATION_KEY;
		rest = payload + 4;
	} else if (strncmp(payload, "account:", 8) == 0) {
		*kind = REVOCATION_ACCOUNT;
		rest = payload + 8;
	} else {
		return false;
	}
	return util_parse_ll(rest, 1, INT64_MAX / 2, id);
}

static struct problem *revoked_problem(void)
{
	return problem_new(PROBLEM_AUTHENTICATION, "The token's API key or account has been revoked.");
}

struct problem *revocations_on_connect(PGconn *conn)
{
	/* LISTEN first: a revocation committed while the rows are read is then
	 * either in the rows or in a notification, never in neither. */
	PGresult *res = PQexec(conn, "LISTEN ixapi_revocations");
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok)
		return problem_new(PROBLEM_UNAVAILABLE, "The database is unavailable; try again shortly.");
	char window[24];
	pthread_rwlock_rdlock(&set.lock);
	snprintf(window, sizeof(window), "%lld", set.window_s);
	pthread_rwlock_unlock(&set.lock);
	const char *params[] = {window};
	res = PQexecParams(
		conn,
		"SELECT kind, object_id::text AS object_id, extract(epoch FROM revoked_at)::bigint::text AS revoked_at_s"
		"  FROM auth_revocations WHERE revoked_at > now() - make_interval(secs => $1::bigint)",
		1, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok) {
		LOG_ERROR("cannot read auth_revocations: %s", PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		PQclear(res);
		return problem_new(PROBLEM_UNAVAILABLE, "The database is unavailable; try again shortly.");
	}
	for (int i = 0; i < PQntuples(res); i++) {
		long long id = 0, at_s = 0;
		if (!util_parse_ll(db_get(res, i, "object_id"), 1, INT64_MAX / 2, &id) ||
		    !util_parse_ll(db_get(res, i, "revoked_at_s"), 0, INT64_MAX, &at_s))
			continue;
		revocations_note(strcmp(db_get(res, i, "kind"), "account") == 0 ? REVOCATION_ACCOUNT : REVOCATION_KEY,
				 id, at_s);
	}
	PQclear(res);
	return NULL;
}

struct problem *revocations_after_statement(PGconn *conn)
{
	PGnotify *n;
	while ((n = PQnotifies(conn)) != NULL) {
		enum revocation_kind kind;
		long long id = 0;
		if (strcmp(n->relname, "ixapi_revocations") == 0 && revocations_parse_payload(n->extra, &kind, &id))
			revocations_note(kind, id, util_now_s());
		PQfreemem(n);
	}
	if (!bearer.active)
		return NULL;
	if (bearer.is_revoked)
		return revoked_problem();
	unsigned long now_generation = atomic_load(&set.generation);
	if (now_generation == bearer.generation_seen)
		return NULL;
	bearer.generation_seen = now_generation;
	bearer.is_revoked = revocations_contains(bearer.key_id, bearer.account_id);
	return bearer.is_revoked ? revoked_problem() : NULL;
}
