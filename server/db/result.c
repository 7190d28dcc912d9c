/*
 * Reading results by column name (see db.h): a statement and the code that
 * reads it agree on names, not on positions, so adding or reordering a
 * column of a SELECT list cannot shift what another line reads.
 */
#include "db/db.h"

#include "core/log.h"

#include <stdlib.h>
#include <string.h>

const char *db_get(const PGresult *res, int row, const char *column)
{
	int col = PQfnumber(res, column);
	if (col < 0) {
		LOG_ERROR("the result has no column \"%s\" (the statement and its reader disagree)", column);
		abort();
	}
	for (int other = col + 1; other < PQnfields(res); other++)
		if (strcmp(PQfname(res, other), PQfname(res, col)) == 0) {
			LOG_ERROR("the result has two columns named \"%s\" (name them in the statement)", column);
			abort();
		}
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

bool db_get_bool(const PGresult *res, int row, const char *column)
{
	const char *value = db_get(res, row, column);
	return value && strcmp(value, "t") == 0;
}
