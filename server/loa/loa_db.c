/*
 * LOA storage helpers (see loa_db.h).
 */
#include "loa/loa_db.h"

#include "core/util.h"
#include "db/write.h"
#include "loa/loa_pdf.h"

#include <stdlib.h>
#include <string.h>

char *loa_bytea_hex_new(const unsigned char *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *hex = xmalloc(2 * len + 3);
	hex[0] = '\\';
	hex[1] = 'x';
	for (size_t i = 0; i < len; i++) {
		hex[2 + 2 * i] = digits[data[i] >> 4];
		hex[3 + 2 * i] = digits[data[i] & 15];
	}
	hex[2 + 2 * len] = '\0';
	return hex;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 0;
}

unsigned char *loa_bytea_decode_new(const char *hex, size_t *len_out)
{
	size_t n = strlen(hex) / 2;
	unsigned char *data = xmalloc(n ? n : 1);
	for (size_t i = 0; i < n; i++)
		data[i] = (unsigned char)(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
	*len_out = n;
	return data;
}

/* A fact of the row by its column's name; "" for NULL. */
static const char *fact(const PGresult *res, const char *column)
{
	const char *value = db_get(res, 0, column);
	return value ? value : "";
}

struct problem *loa_render_row(PGresult *res, unsigned char **pdf_out, size_t *len_out)
{
	struct loa_facts facts = {.exchange = fact(res, "exchange"),
				  .member = fact(res, "member"),
				  .reference = fact(res, "reference"),
				  .date = fact(res, "date"),
				  .facility = fact(res, "facility"),
				  .pop = fact(res, "pop"),
				  .device = fact(res, "device"),
				  .connection = fact(res, "connection")};
	char *demarcs = xstrdup(fact(res, "demarcs"));
	for (char *save = NULL, *line = strtok_r(demarcs, "\n", &save); line && facts.demarc_count < LOA_MAX_LINES;
	     line = strtok_r(NULL, "\n", &save))
		facts.demarcs[facts.demarc_count++] = line;
	struct problem *p = NULL;
	if (!loa_pdf_render(&facts, pdf_out, len_out))
		p = problem_new(PROBLEM_INTERNAL, "The LOA could not be rendered.");
	free(demarcs);
	return p;
}

struct loa_upload {
	struct db_write w;
	const struct loa_spec *spec;
	const unsigned char *data;
	size_t len;
};

static struct problem *loa_store_tx(PGconn *conn, void *arg)
{
	struct loa_upload *u = arg;
	const char *params[3];
	actor_scope_params(u->w.actor, params);
	params[2] = u->w.id;
	PGresult *res = NULL;
	struct problem *p = db_exec(conn, u->spec->lock_sql, 3, params, &res);
	if (!p && PQntuples(res) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", u->spec->title, u->w.id);
	PQclear(res);
	res = NULL;
	if (p)
		return p;
	char *hex = loa_bytea_hex_new(u->data, u->len);
	const char *insert[] = {u->w.id, hex, u->w.actor->account};
	p = db_exec(conn, u->spec->insert_sql, 3, insert, &res);
	free(hex);
	if (!p)
		p = db_write_record(conn, &u->w, "create", u->spec->event_type, u->w.id, NULL, PQgetvalue(res, 0, 0));
	PQclear(res);
	return p;
}

struct problem *loa_db_store(struct db_pool *pool, const struct loa_spec *spec, const struct actor *actor,
			     const char *id, const unsigned char *data, size_t len, char **json_out)
{
	if (!util_is_id(id))
		return problem_new(PROBLEM_NOT_FOUND, "%s %.40s was not found.", spec->title, id);
	struct loa_upload u = {.w = {.actor = actor, .id = id}, .spec = spec, .data = data, .len = len};
	return db_write_run(pool, loa_store_tx, &u.w, json_out);
}

struct problem *loa_db_read(struct db_pool *pool, const struct loa_spec *spec, const struct actor *actor,
			    const char *id, unsigned char **pdf_out, size_t *len_out)
{
	if (!util_is_id(id))
		return problem_new(PROBLEM_NOT_FOUND, "%s %.40s was not found.", spec->title, id);
	PGconn *conn = NULL;
	struct problem *p = db_acquire(pool, &conn);
	if (p)
		return p;
	const char *params[3];
	actor_scope_params(actor, params);
	params[2] = id;
	PGresult *res = NULL;
	p = db_exec(conn, spec->latest_sql, 3, params, &res);
	if (!p && PQntuples(res) == 1) {
		*pdf_out = loa_bytea_decode_new(PQgetvalue(res, 0, 0), len_out);
		goto out;
	}
	PQclear(res);
	res = NULL;
	if (!p)
		p = db_exec(conn, spec->facts_sql, 3, params, &res);
	if (!p && PQntuples(res) == 0)
		p = problem_new(PROBLEM_NOT_FOUND, "%s %s was not found.", spec->title, id);
	if (!p)
		p = loa_render_row(res, pdf_out, len_out);
out:
	PQclear(res);
	db_release(pool, conn);
	return p;
}
