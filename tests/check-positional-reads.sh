#!/usr/bin/env bash
# Results of more than one column are read by name (db_get, db_get_bool in
# server/db/result.c), never by position: a PQgetvalue/PQgetisnull of any
# column but 0 (the one column of a single-column result) fails the test.
set -euo pipefail
cd "$(dirname "$0")/.."
found=$(grep -rnP 'PQget(value|isnull)\s*\((?:[^,()]|\([^()]*\))+,(?:[^,()]|\([^()]*\))+,\s*+(?!0\s*\))' server \
	--include='*.c' | grep -v '^server/db/result\.c:' || true)
if [ -n "$found" ]; then
	echo "positional reads of multi-column results (use db_get/db_get_bool with the column's name):" >&2
	echo "$found" >&2
	exit 1
fi
