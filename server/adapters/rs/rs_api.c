/*
 * The route-server adapter's routes (see rs_api.h); the HTTP side they run
 * in is adapters/common/ad_http.c. Handlers run one at a time on its
 * polling thread: two route servers are never changed at once.
 */
#include "adapters/rs/rs_api.h"

#include "adapters/rs/rs_probe.h"
#include "adapters/rs/rs_servers.h"
#include "adapters/rs/rs_state.h"
#include "core/problem.h"

static struct problem *get_health(const struct ad_request *req, json_t **j_out)
{
	(void)req;
	*j_out = rs_servers_health();
	return NULL;
}

static struct problem *get_server(const struct ad_request *req, json_t **j_out)
{
	return rs_server_get(req->params[0], j_out);
}

static struct problem *put_server(const struct ad_request *req, json_t **j_out)
{
	json_t *j_body = NULL;
	struct problem *p = ad_http_body_json(req, &j_body);
	if (!p)
		p = rs_server_put(req->params[0], j_body, j_out);
	json_decref(j_body);
	return p;
}

static struct problem *put_roas(const struct ad_request *req, json_t **j_out)
{
	json_t *j_body = NULL;
	struct problem *p = ad_http_body_json(req, &j_body);
	if (!p)
		p = rs_roas_put(j_body, j_out);
	json_decref(j_body);
	return p;
}

static struct problem *get_session(const struct ad_request *req, json_t **j_out)
{
	return rs_session_get(req->params[0], req->params[1], j_out);
}

static struct problem *post_enable(const struct ad_request *req, json_t **j_out)
{
	json_t *j_body = NULL;
	struct problem *p = ad_http_body_json(req, &j_body);
	if (!p)
		p = rs_session_enable(req->params[0], req->params[1], j_out);
	json_decref(j_body);
	return p;
}

static struct problem *post_probe(const struct ad_request *req, json_t **j_out)
{
	json_t *j_body = NULL;
	struct problem *p = ad_http_body_json(req, &j_body);
	if (!p)
		p = rs_probe_run(req->params[0], rs_server_netns(req->params[0]), j_body, j_out);
	json_decref(j_body);
	return p;
}

/* An unknown route server is a 404 whatever the method. */
static struct problem *check_server(const struct ad_request *req)
{
	if (req->params[0] && !rs_server_is_managed(req->params[0]))
		return problem_new(PROBLEM_NOT_FOUND, "the adapter manages no route server %s", req->params[0]);
	return NULL;
}

#define SERVER 31
#define SERVER_SESSION                                                                                                 \
	{                                                                                                              \
		SERVER, RS_SESSION_ID_MAX                                                                              \
	}

static const struct ad_route routes[] = {
	{"GET", "/v1/health", get_health, 200, {0}},
	{"PUT", "/v1/roas", put_roas, 200, {0}},
	{"GET", "/v1/route-servers/{}", get_server, 200, {SERVER}},
	{"PUT", "/v1/route-servers/{}", put_server, 200, {SERVER}},
	{"POST", "/v1/route-servers/{}/probe", post_probe, 200, {SERVER}},
	{"GET", "/v1/route-servers/{}/sessions/{}", get_session, 200, SERVER_SESSION},
	{"POST", "/v1/route-servers/{}/sessions/{}/enable", post_enable, 200, SERVER_SESSION},
};

const struct ad_api rs_api = {
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.body_max = RS_API_BODY_MAX,
	.check_params = check_server,
};
