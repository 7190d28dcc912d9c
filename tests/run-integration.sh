#!/usr/bin/env bash
# The integration tier for one build folder (build or build/asan), run inside
# tests/with-temp-pg.sh: every *_itest program against the real server, then
# the schema check, then the OpenAPI checks (lint, route table = document,
# every recorded response valid against the document).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
export IXAPI_BIN=$PWD/$BUILD/ixapid
export IXAPI_RESPONSE_LOG=$PWD/$BUILD/responses.jsonl
: >"$IXAPI_RESPONSE_LOG"

failed=0
for t in $(find "$BUILD/server" "$BUILD/tests" -name '*_itest' -type f -perm -u+x | sort); do
	echo "-- $t"
	if ! "$t"; then
		failed=1
		echo "FAILED: $t" >&2
	fi
done
[ "$failed" = 0 ] || exit 1

echo "-- schema/schema.sql matches the migrations"
tests/check-schema.sh "$BUILD"

echo "-- OpenAPI document"
"$IXAPI_BIN" routes >"$BUILD/routes.txt"
tests/openapi/run.sh "$BUILD/routes.txt" "$IXAPI_RESPONSE_LOG"
