#!/usr/bin/env bash
# Fails when schema/schema.sql differs from what the migrations produce.
set -euo pipefail
BUILD=${1:-build}
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
tests/dump-schema.sh "$BUILD" >"$actual"
if ! diff -u schema/schema.sql "$actual"; then
	echo "schema/schema.sql is stale: run 'make schema' and commit it" >&2
	exit 1
fi
