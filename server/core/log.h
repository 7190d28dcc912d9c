/*
 * Logging to stderr with a level. One line per event; callers pass __func__
 * through the LOG_* macros. Nothing that is a secret (API secrets, tokens,
 * BGP passwords) is ever handed to these functions.
 */
#ifndef IXAPI_CORE_LOG_H
#define IXAPI_CORE_LOG_H

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* Sets the lowest level that is printed. */
void log_set_level(enum log_level level);
/* Parses "debug", "info", "warn", "error"; returns -1 for anything else. */
int log_level_parse(const char *s);
/* True when a message at `level` would be printed. */
int log_enabled(enum log_level level);
void log_write(enum log_level level, const char *func, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define LOG_DEBUG(...) log_write(LOG_LEVEL_DEBUG, __func__, __VA_ARGS__)
#define LOG_INFO(...)  log_write(LOG_LEVEL_INFO, __func__, __VA_ARGS__)
#define LOG_WARN(...)  log_write(LOG_LEVEL_WARN, __func__, __VA_ARGS__)
#define LOG_ERROR(...) log_write(LOG_LEVEL_ERROR, __func__, __VA_ARGS__)

#endif
