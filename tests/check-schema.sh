#!/usr/bin/env bash
# Fails when schema/schema.sql differs from what the migrations produce.
set -euo pipefail
BUILD=${1:-build}
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
tests/dump-schema.sh "$BUILD" >"$actual"
# Applying the migrations a second time changes nothing.
db="again_$$"
psql "$DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
first=$(DATABASE_URL="$DATABASE_URL dbname=$db" "$BUILD/ixapid" migrate 2>&1)
second=$(DATABASE_URL="$DATABASE_URL dbname=$db" "$BUILD/ixapid" migrate 2>&1)
rows=$(psql "$DATABASE_URL dbname=$db" -tAc "SELECT count(*) FROM schema_migrations")
fn_rows=$(psql "$DATABASE_URL dbname=$db" -tAc "SELECT count(*) FROM schema_functions")
psql "$DATABASE_URL" -qc "DROP DATABASE $db" >/dev/null
files=$(ls migrations/[0-9][0-9][0-9]_*.sql | wc -l)
fn_files=$(ls migrations/functions/*.sql | wc -l)
if ! grep -q "($files migration(s) applied now)" <<<"$first" || ! grep -q "(0 migration(s) applied now)" <<<"$second" ||
	[ "$rows" != "$files" ]; then
	echo "migrations: expected $files applied once, then none; got:" >&2
	echo "$first" "$second" "rows=$rows" >&2
	exit 1
fi
# Every function file is applied on a fresh database, then none again.
if [ "$(grep -c 'applied function file' <<<"$first")" != "$fn_files" ] || grep -q 'applied function file' <<<"$second" ||
	[ "$fn_rows" != "$fn_files" ]; then
	echo "function files: expected $fn_files applied once, then none; got:" >&2
	echo "$first" "$second" "rows=$fn_rows" >&2
	exit 1
fi
if ! diff -u schema/schema.sql "$actual"; then
	echo "schema/schema.sql is stale: run 'make schema' and commit it" >&2
	exit 1
fi
