/*
 * The `agreement.issue` job {"application"}: renders the application's
 * connection agreement (member or customer variant) and, in the job's
 * finishing transaction (agreement_issue.sql), stores it with a new
 * e-signature envelope id and queues its mail to the contract signer with
 * the PDF attached. Idempotent: an application with an agreement, or no
 * longer in step `agreement`, gets nothing.
 */
#ifndef IXAPI_ONBOARDING_AGREEMENTS_JOB_H
#define IXAPI_ONBOARDING_AGREEMENTS_JOB_H

#include "jobs/handlers.h"

int agreements_handle_issue(const struct job_context *ctx, const char *job_id, json_t *payload,
			    struct job_outcome *outcome, char *err, size_t err_len);

#endif
