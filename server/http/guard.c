/*
 * The connection guard (see guard.h). Records live in one list, oldest
 * first, under one mutex. The reaper only ever shutdown()s a socket while
 * holding the mutex, and libmicrohttpd tells us a connection is closing
 * (guard_closed takes the mutex) before it closes the socket, so the
 * reaper never touches a descriptor that was closed and reused.
 */
#include "http/guard.h"

#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct guard_conn {
	struct guard_conn *prev, *next;
	int fd;
	long long head_started_us; /* monotonic; the head's deadline counts from here */
	bool head_done;
	bool is_shut; /* the reaper shut it down already */
	bool is_refused;
};

struct guard {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t reaper;
	bool stopping;
	long long head_timeout_us;
	int keep_below; /* evict head-pending connections above this count */
	int count;
	struct guard_conn *oldest, *newest;
};

#define REAP_INTERVAL_MS 100
/* A connection younger than this is never evicted to make room: it has
 * had no chance to send its head yet. */
#define EVICT_MIN_AGE_US 200000LL

static void shut(struct guard_conn *c)
{
	if (!c->is_shut && shutdown(c->fd, SHUT_RDWR) != 0 && errno != ENOTCONN)
		LOG_DEBUG("shutdown(%d): %d", c->fd, errno);
	c->is_shut = true;
}

static void reap(struct guard *g)
{
	long long now = util_now_us();
	int live = 0, late = 0, evicted = 0;
	for (struct guard_conn *c = g->oldest; c; c = c->next) {
		if (!c->is_shut && !c->head_done && now - c->head_started_us > g->head_timeout_us) {
			shut(c);
			late++;
		}
		if (!c->is_shut)
			live++;
	}
	for (struct guard_conn *c = g->oldest; c && live > g->keep_below; c = c->next)
		if (!c->is_shut && !c->head_done && now - c->head_started_us > EVICT_MIN_AGE_US) {
			shut(c);
			live--;
			evicted++;
		}
	if (late || evicted)
		LOG_DEBUG("closed %d connection(s) with a late request head, %d to keep room", late, evicted);
}

static void *reaper_main(void *arg)
{
	struct guard *g = arg;
	pthread_mutex_lock(&g->lock);
	while (!g->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += REAP_INTERVAL_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->wake, &g->lock, &until);
		if (!g->stopping)
			reap(g);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct guard *guard_new(int head_timeout_s, int max_connections)
{
	struct guard *g = xcalloc(1, sizeof(*g));
	g->head_timeout_us = (long long)head_timeout_s * 1000000LL;
	/* Keep 1/16 of the slots (at least one) free for new clients. */
	int reserve = max_connections / 16 > 0 ? max_connections / 16 : 1;
	g->keep_below = max_connections - reserve;
	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&g->reaper, NULL, reaper_main, g) != 0)
		abort();
	return g;
}

void guard_free(struct guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->reaper, NULL);
	while (g->oldest) {
		struct guard_conn *c = g->oldest;
		g->oldest = c->next;
		free(c);
	}
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->wake);
	free(g);
}

struct guard_conn *guard_started(struct guard *g, int fd)
{
	struct guard_conn *c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->head_started_us = util_now_us();
	pthread_mutex_lock(&g->lock);
	c->prev = g->newest;
	if (g->newest)
		g->newest->next = c;
	else
		g->oldest = c;
	g->newest = c;
	g->count++;
	bool crowded = g->count > g->keep_below;
	if (crowded)
		pthread_cond_signal(&g->wake); /* make room now, not at the next tick */
	pthread_mutex_unlock(&g->lock);
	return c;
}

void guard_closed(struct guard *g, struct guard_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		g->oldest = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		g->newest = c->prev;
	g->count--;
	pthread_mutex_unlock(&g->lock);
	free(c);
}

void guard_head_done(struct guard *g, struct guard_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	c->head_done = true;
	pthread_mutex_unlock(&g->lock);
}

void guard_request_done(struct guard *g, struct guard_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	c->head_done = false;
	c->head_started_us = util_now_us();
	pthread_mutex_unlock(&g->lock);
}

void guard_refuse(struct guard *g, struct guard_conn *c)
{
	pthread_mutex_lock(&g->lock);
	c->is_refused = true;
	pthread_mutex_unlock(&g->lock);
}

bool guard_is_refused(struct guard *g, const struct guard_conn *c)
{
	if (!c)
		return false;
	pthread_mutex_lock(&g->lock);
	bool refused = c->is_refused;
	pthread_mutex_unlock(&g->lock);
	return refused;
}
