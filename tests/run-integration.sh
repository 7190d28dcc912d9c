#!/usr/bin/env bash
# The integration tier for one build folder (build or build/asan), run inside
# tests/with-temp-pg.sh: every *_itest program against the real server, then
# the schema check, then the OpenAPI checks (lint, route table = document,
# every recorded response valid against the document).
#
# The database is migrated and seeded once, into a template each test
# program's database is copied from (IXAPI_ITEST_TEMPLATE; the harness
# still migrates and seeds itself without one, and for migrate_itest's own
# migrations folder). The programs run IXAPI_ITEST_JOBS (default 3) at a
# time, each with its own database, server, port and work folder; a
# program's output is printed whole when it ends, under its name and time.
# The programs that stop PostgreSQL or time the server run alone, after
# the others.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
JOBS=${IXAPI_ITEST_JOBS:-3}
export IXAPI_BIN=$PWD/$BUILD/ixapid
export IXAPI_RESPONSE_LOG=$PWD/$BUILD/responses.jsonl
: >"$IXAPI_RESPONSE_LOG"
work=$(mktemp -d /tmp/ixapi-itests-XXXXXX)
trap 'rm -rf "$work"' EXIT

# The template: migrated and seeded once.
export IXAPI_ITEST_TEMPLATE=itest_template_$$
export IXAPI_ITEST_TEMPLATE_CREDENTIALS=$work/credentials.json
psql "$DATABASE_URL" -qc "CREATE DATABASE $IXAPI_ITEST_TEMPLATE"
if ! DATABASE_URL="$DATABASE_URL dbname=$IXAPI_ITEST_TEMPLATE" "$IXAPI_BIN" migrate >"$work/template.log" 2>&1 ||
	! DATABASE_URL="$DATABASE_URL dbname=$IXAPI_ITEST_TEMPLATE" "$IXAPI_BIN" seed-demo \
		--credentials "$IXAPI_ITEST_TEMPLATE_CREDENTIALS" >>"$work/template.log" 2>&1; then
	cat "$work/template.log" >&2
	exit 1
fi

# PostgreSQL stopped and started (http_itest), the server's answers timed
# (db_limits_itest, edges_itest): alone.
alone='/(http_itest|db_limits_itest|edges_itest)$'
mapfile -t all < <(find "$BUILD/server" "$BUILD/tests" -name '*_itest' -type f -perm -u+x | sort)
mapfile -t shared < <(printf '%s\n' "${all[@]}" | grep -Ev "$alone")
mapfile -t single < <(printf '%s\n' "${all[@]}" | grep -E "$alone")

run_one() { # program: runs it, then prints its output whole under one lock
	local t=$1 log started=$SECONDS rc=0
	log=$work/$(echo "$t" | tr / _).log
	"$t" >"$log" 2>&1 || rc=$?
	{
		flock 9
		echo "-- $t ($((SECONDS - started)) s)"
		cat "$log"
		if [ "$rc" != 0 ]; then
			echo "FAILED: $t (exit $rc)"
			echo "$t" >>"$work/failed"
		fi
	} 9>>"$work/print.lock"
}

running=0
for t in "${shared[@]}"; do
	if [ "$running" -ge "$JOBS" ]; then
		wait -n || true
		running=$((running - 1))
	fi
	run_one "$t" &
	running=$((running + 1))
done
wait
for t in "${single[@]}"; do
	run_one "$t"
done
psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $IXAPI_ITEST_TEMPLATE"
if [ -s "$work/failed" ]; then
	echo "FAILED integration test programs:"
	cat "$work/failed"
	exit 1
fi

echo "-- schema/schema.sql matches the migrations"
tests/check-schema.sh "$BUILD"

echo "-- OpenAPI document"
"$IXAPI_BIN" routes >"$BUILD/routes.txt"
tests/openapi/run.sh "$BUILD/routes.txt" "$IXAPI_RESPONSE_LOG"
