#!/usr/bin/env bash
# What `make run` does after building: a database (DATABASE_URL if set,
# otherwise the private cluster in var/pg), migrations, the demo exchange,
# the credentials, then the server on http://127.0.0.1:8080/api/v2.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
chmod 711 var # postgres (the private cluster) must traverse it; files inside are 0600
if [ -z "${DATABASE_URL:-}" ]; then
	pg_port=${IXAPI_PG_PORT:-5433}
	scripts/pg-private.sh start var/pg "$pg_port"
	DATABASE_URL=$(scripts/pg-private.sh url var/pg "$pg_port")
	export DATABASE_URL
	private=1
else
	echo "pg: using DATABASE_URL (no private cluster)"
	private=0
fi
export IXAPI_JWT_KEY_FILE=${IXAPI_JWT_KEY_FILE:-var/jwt.key}
build/ixapid migrate
build/ixapid seed-demo --credentials var/demo-credentials.json

port=${IXAPI_PORT:-8080}
key=$(jq -r .member.api_key var/demo-credentials.json)
secret=$(jq -r .member.api_secret var/demo-credentials.json)
cat <<MSG

Demo credentials (also in var/demo-credentials.json):
$(cat var/demo-credentials.json)

Try:
  curl -s -X POST http://127.0.0.1:$port/api/v2/auth/token \\
       -H 'Content-Type: application/json' \\
       -d '{"api_key": "$key", "api_secret": "$secret"}'

Ctrl-C stops the server.$([ "$private" = 1 ] && echo " The private PostgreSQL keeps running; 'make stop-db' stops it.")
MSG
exec build/ixapid serve
