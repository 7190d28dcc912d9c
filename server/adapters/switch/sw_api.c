/*
 * The switch adapter's routes (see sw_api.h); the HTTP side they run in is
 * adapters/common/ad_http.c. Handlers run one at a time on its polling
 * thread: the port table and the nft context need no lock. Captures run on
 * their own threads (sw_capture guards its table).
 */
#include "adapters/switch/sw_api.h"

#include "adapters/switch/sw_capture.h"
#include "adapters/switch/sw_link.h"
#include "adapters/switch/sw_peers.h"
#include "adapters/switch/sw_ports.h"
#include "core/problem.h"

#include <stdio.h>
#include <string.h>

static struct problem *not_managed(const char *port)
{
	return problem_new(PROBLEM_NOT_FOUND, "the adapter does not manage a port %s", port);
}

static struct problem *get_health(const struct ad_request *req, json_t **j_out)
{
	(void)req;
	*j_out = sw_ports_health();
	return NULL;
}

static struct problem *get_counters(const struct ad_request *req, json_t **j_out)
{
	return sw_port_counters(req->params[0], j_out);
}

static struct problem *get_peer_counters(const struct ad_request *req, json_t **j_out)
{
	(void)req;
	return sw_peers_counters(j_out);
}

static struct problem *get_capture(const struct ad_request *req, json_t **j_out)
{
	if (!(*j_out = sw_capture_get(req->params[0])))
		return problem_new(PROBLEM_NOT_FOUND, "no capture %s (the last %d are kept)", req->params[0],
				   SW_CAPTURE_KEEP);
	return NULL;
}

static struct problem *get_port(const struct ad_request *req, json_t **j_out)
{
	return sw_port_get(req->params[0], j_out);
}

static struct problem *put_port(const struct ad_request *req, json_t **j_out)
{
	const char *port = req->params[0];
	json_t *j_body = NULL;
	struct problem *p;
	if (!sw_port_is_managed(port))
		p = not_managed(port);
	else if (!(p = ad_http_body_json(req, &j_body)))
		p = sw_port_put(port, j_body, j_out);
	json_decref(j_body);
	return p;
}

static struct problem *post_capture(const struct ad_request *req, json_t **j_out)
{
	const char *port = req->params[0];
	struct sw_capture_request creq = {.seconds = 0};
	json_t *j_body = NULL;
	struct problem *p;
	if (!sw_port_is_managed(port))
		p = not_managed(port);
	else if (!(p = ad_http_body_json(req, &j_body)) && !(p = sw_capture_parse(j_body, &creq))) {
		snprintf(creq.port, sizeof(creq.port), "%s", port);
		p = sw_capture_start(&creq, j_out);
	}
	json_decref(j_body);
	return p;
}

#define PORT                                                                                                           \
	{                                                                                                              \
		SW_IFNAME_MAX - 1                                                                                      \
	}

static const struct ad_route routes[] = {
	{"GET", "/v1/health", get_health, 200, {0}},
	{"GET", "/v1/counters", get_counters, 200, {0}},
	{"GET", "/v1/peer-counters", get_peer_counters, 200, {0}},
	{"GET", "/v1/captures/{}", get_capture, 200, {0}},
	{"GET", "/v1/ports/{}", get_port, 200, PORT},
	{"PUT", "/v1/ports/{}", put_port, 200, PORT},
	{"GET", "/v1/ports/{}/counters", get_counters, 200, PORT},
	{"POST", "/v1/ports/{}/captures", post_capture, 202, PORT},
};

const struct ad_api sw_api = {
	.routes = routes,
	.n_routes = sizeof(routes) / sizeof(routes[0]),
	.body_max = SW_API_BODY_MAX,
};
