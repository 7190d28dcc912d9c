/*
 * The route-server jobs (openapi/adapter-rs.json):
 *
 * - route_server.session (a feature config changed: configure/remove) and
 *   route_server.refresh (the IRR/RPKI data or a limit changed): render the
 *   WHOLE desired state of the route server from the database when the job
 *   runs (rs_desired_facts.sql -> routeservers/rs_desired.c: every live
 *   session, the latest state wins), PUT it with the job id as
 *   Idempotency-Key, read the facts again and PUT once more if they changed
 *   meanwhile; then the feature configs follow (rs_follow.sql). The MD5
 *   passwords are read from network_feature_configs here and go only into
 *   the PUT body: never into jobs, events, logs or errors (an error that
 *   quotes one is scrubbed). A refusal (BIRD's file:line message) fails the
 *   job with it.
 * - route_server.enable: POST .../sessions/{id}/enable (an operator's
 *   re-enable of a session its limit disabled).
 * - route_server.poll: GET every served route server's session states,
 *   record the accepted counts per (AS, family) (rs_observe.sql), refresh a
 *   route server whose limits (bgp_max_prefix_limit of the observed peak)
 *   differ from the receive limits BIRD reports, write the sessions' status
 *   entries and queue the next round (rs_poll_record.sql). One round waits
 *   or runs at a time (a unique index); rs_poll_schedule() lets any node
 *   start the chain.
 */
#ifndef IXAPI_JOBS_RS_HANDLERS_H
#define IXAPI_JOBS_RS_HANDLERS_H

#include "jobs/handlers.h"

int rs_handle_apply(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		    char *err, size_t err_len);
int rs_handle_enable(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		     char *err, size_t err_len);
int rs_handle_poll(const struct job_context *ctx, const char *job_id, json_t *payload, struct job_outcome *outcome,
		   char *err, size_t err_len);
/* Queues a poll round unless one waits or runs (route-server adapters
 * configured only); at most every ctx->rs_poll_ms per caller thread. */
void rs_poll_schedule(const struct job_context *ctx);

#endif
