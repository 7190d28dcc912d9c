/*
 * Resource writes (see write.h).
 */
#include "db/write.h"

#include <stdlib.h>

struct problem *db_write_run(struct db_pool *pool, db_tx_fn fn, struct db_write *w, char **json_out)
{
	struct problem *p = db_transaction(pool, fn, w);
	if (p) {
		free(w->json_out);
		w->json_out = NULL;
		return p;
	}
	*json_out = w->json_out;
	return NULL;
}
