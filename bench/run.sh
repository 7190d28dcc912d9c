#!/usr/bin/env bash
# `make bench`: wrk against GET /api/v2/accounts/{id} with a valid token, and
# against bench/baseline (a bare libmicrohttpd handler with the same daemon
# settings), alternating twice in the same run. Prints requests/s, p99
# latency and the ratio ixapid/baseline. Runs inside tests/with-temp-pg.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
DURATION=${BENCH_DURATION:-8s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${IXAPI_THREADS:-$(nproc)}
work=$(mktemp -d /tmp/ixapi-bench-XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

export IXAPI_LOG_LEVEL=warn IXAPI_JWT_KEY_FILE=$work/jwt.key IXAPI_THREADS=$THREADS
"$BUILD/ixapid" migrate
"$BUILD/ixapid" seed-demo --credentials "$work/creds.json"
port=$(free_port)
IXAPI_PORT=$port "$BUILD/ixapid" serve & pids+=($!)
base_port=$(free_port)
"$BUILD/bench/baseline" "$base_port" "$THREADS" & pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/v2/health" >/dev/null && break; sleep 0.1; done

key=$(jq -r .operator.api_key "$work/creds.json")
secret=$(jq -r .operator.api_secret "$work/creds.json")
account=$(jq -r .member.account "$work/creds.json")
token=$(curl -fs -X POST -H 'Content-Type: application/json' \
	-d "{\"api_key\":\"$key\",\"api_secret\":\"$secret\"}" "http://127.0.0.1:$port/api/v2/auth/token" |
	jq -r .access_token)
url="http://127.0.0.1:$port/api/v2/accounts/$account"
curl -fs -H "Authorization: Bearer $token" "$url" >/dev/null || { echo "bench: the request fails" >&2; exit 1; }

# run NAME URL [HEADER] -> prints "rps p99_ms"
run() {
	local out
	if [ -n "${3:-}" ]; then
		out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$3" "$2")
	else
		out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$2")
	fi
	if echo "$out" | grep -q 'Non-2xx'; then
		echo "bench: $1 answered non-2xx responses" >&2
		echo "$out" >&2
		exit 1
	fi
	local rps p99
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
	echo "$rps $p99"
}

echo "wrk: 2 threads, $CONNECTIONS connections, $DURATION per run; server threads: $THREADS"
declare -a b_rps i_rps b_p99 i_p99
for round in 1 2; do
	read -r r p < <(run baseline "http://127.0.0.1:$base_port/api/v2/accounts/$account")
	b_rps+=("$r"); b_p99+=("$p")
	read -r r p < <(run ixapid "$url" "Authorization: Bearer $token")
	i_rps+=("$r"); i_p99+=("$p")
	printf 'round %d: baseline %10.0f req/s p99 %7.2f ms | ixapid %10.0f req/s p99 %7.2f ms\n' \
		"$round" "${b_rps[-1]}" "${b_p99[-1]}" "${i_rps[-1]}" "${i_p99[-1]}"
done
awk -v b1="${b_rps[0]}" -v b2="${b_rps[1]}" -v i1="${i_rps[0]}" -v i2="${i_rps[1]}" \
	-v bp1="${b_p99[0]}" -v bp2="${b_p99[1]}" -v ip1="${i_p99[0]}" -v ip2="${i_p99[1]}" 'BEGIN {
	b = (b1 + b2) / 2; i = (i1 + i2) / 2
	printf "GET /api/v2/accounts/{id}: %.0f req/s, p99 %.2f ms\n", i, (ip1 + ip2) / 2
	printf "baseline (bare libmicrohttpd): %.0f req/s, p99 %.2f ms\n", b, (bp1 + bp2) / 2
	printf "ratio ixapid/baseline: %.3f (target for later: >= 0.6)\n", i / b
}'
