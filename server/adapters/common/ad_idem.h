/*
 * Idempotency-Key replay: the answers to the last AD_IDEM_KEEP writes that
 * carried a key, so that a repeated write (a worker retrying a job) gets the
 * first answer again instead of a second effect. An answer is remembered
 * under (key, method, path): one job may make several different calls
 * under its id. Not thread-safe: the HTTP thread alone uses it.
 */
#ifndef IXAPI_ADAPTERS_COMMON_AD_IDEM_H
#define IXAPI_ADAPTERS_COMMON_AD_IDEM_H

#include <stdbool.h>

#define AD_IDEM_KEEP    1000
#define AD_IDEM_KEY_MAX 200 /* longer keys are refused (400) */

/* True when an answer is remembered; *status and *body (a copy the caller
 * frees) are then set. */
bool ad_idem_find(const char *key, const char *method, const char *path, int *status, char **body);
/* Remembers an answer (copies everything), forgetting the oldest beyond
 * AD_IDEM_KEEP. */
void ad_idem_store(const char *key, const char *method, const char *path, int status, const char *body);
/* Forgets everything. */
void ad_idem_clear(void);

#endif
