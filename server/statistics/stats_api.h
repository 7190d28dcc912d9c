/*
 * The IX-API 2.7.1 statistics resources (issue 13): GET
 * /ports|connections|network-service-configs|network-services/{id}/statistics
 * (the aggregates PT5M, PT1H, P1D, P30D, P1Y, or `custom` with start/end)
 * and …/statistics/{aggregate}/timeseries. The route's `data` names the
 * object (a `const enum stats_object *`). Reading is allowed as GET of the
 * object is (a config also by its shared_statistics policy); anything
 * else is a 404.
 */
#ifndef IXAPI_STATISTICS_STATS_API_H
#define IXAPI_STATISTICS_STATS_API_H

#include "http/router.h"
#include "statistics/stats_db.h"

/* The query parameters of the two operations. */
extern const struct filter_spec stats_query[];
extern const struct filter_spec stats_timeseries_query[];
/* The objects, as route data. */
extern const enum stats_object stats_of_port, stats_of_connection, stats_of_config, stats_of_service;

struct problem *stats_read(struct request *req, struct response *res);
struct problem *stats_timeseries_read(struct request *req, struct response *res);

#endif
