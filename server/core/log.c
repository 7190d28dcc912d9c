/*
 * stderr logger (see log.h). Each line is written with one fprintf call on a
 * locked stream, so lines from different threads never interleave.
 */
#include "core/log.h"

#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_level current_level = LOG_LEVEL_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level level)
{
	current_level = level;
}

int log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

int log_enabled(enum log_level level)
{
	return level >= current_level;
}

void log_write(enum log_level level, const char *func, const char *fmt, ...)
{
	if (!log_enabled(level))
		return;
	char ts[32];
	util_rfc3339(util_now_s(), ts, sizeof(ts));
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	flockfile(stderr);
	fprintf(stderr, "%s %s %s: %s\n", ts, level_names[level], func, msg);
	funlockfile(stderr);
}
