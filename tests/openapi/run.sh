#!/usr/bin/env bash
# The OpenAPI checks: redocly lint of openapi/ixapi.json (and of the switch
# adapter protocol, openapi/adapter-switch.json, and the route-server
# adapter's, openapi/adapter-rs.json), the router table
# against the document, and (given a log) every recorded response against
# the document and every operation of the router table exercised (after a
# self-test of that check). Usage: tests/openapi/run.sh ROUTES_FILE [RESPONSE_LOG]
set -euo pipefail
routes=$(realpath "$1")
log=${2:+$(realpath "$2")}
cd "$(dirname "$0")"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules
fi
npx --no-install redocly lint --config redocly.yaml --format=summary ../../openapi/ixapi.json
npx --no-install redocly lint --config redocly.yaml --format=summary ../../openapi/adapter-switch.json
npx --no-install redocly lint --config redocly.yaml --format=summary ../../openapi/adapter-rs.json
node check-routes.mjs "$routes"
if [ -n "$log" ]; then
	node validate-responses.test.mjs
	node validate-responses.mjs "$log" "$routes"
fi
