#!/usr/bin/env bash
# `make run` without root, for real: scripts/run-demo.sh in a throw-away copy
# of what it needs (scripts, migrations, the ixapid binary), run as `nobody`
# (setpriv; as a non-root caller: as that caller) with its own ports:
#   the private PostgreSQL initialises in the copy's var/pg, the demo data and
#   the credentials are written, the API answers, the order lines the banner
#   prints (evaluated as printed) store a config whose job waits (pending, no
#   attempt), exactly one line of the whole output says jobs wait (and why),
#   and SIGTERM stops ixapid and the PostgreSQL cluster this run started:
#   nothing of the run is left (no process, no listener).
# Usage: tests/e2e/run-nonroot.sh BUILD_DIR
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/lab.sh # free_port
BUILD=${1:-build}
for tool in curl jq psql setpriv; do
	command -v "$tool" >/dev/null || {
		echo "run-nonroot: $tool is missing" >&2
		exit 1
	}
done

TMP=$(mktemp -d /tmp/ixapi-nonroot-XXXXXX)
chmod 755 "$TMP"
CO=$TMP/co
mkdir -p "$CO/build" "$TMP/home"
cp -a scripts migrations "$CO/"
mkdir -p "$CO/tests/lib" "$CO/tests/tools" # the demo's SMTP sink
cp tests/lib/smtp.sh "$CO/tests/lib/"
cp tests/tools/smtp-sink.py "$CO/tests/tools/"
cp "$BUILD/ixapid" "$CO/build/ixapid"
as=()
if [ "$(id -u)" = 0 ]; then
	chown -R 65534:65534 "$CO" "$TMP/home"
	as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
API_PORT=$(free_port)
PG_PORT=$(free_port)
[ "$PG_PORT" != "$API_PORT" ] || PG_PORT=$((API_PORT + 1))
API=http://127.0.0.1:$API_PORT/api/v2
OUT=$TMP/out.log
RUN_PID=
failures=0

pg_running()
{
	[ -f "$CO/var/pg/data/postmaster.pid" ] &&
		"${as[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$CO/var/pg/data" status >/dev/null 2>&1
}
pg_stopped() { ! pg_running; }
jq_true() { jq -e "$@" >/dev/null; }
cleanup()
{
	if [ -n "$RUN_PID" ] && kill -0 "$RUN_PID" 2>/dev/null; then
		kill -TERM "$RUN_PID" 2>/dev/null
		wait "$RUN_PID" 2>/dev/null
	fi
	pg_running && "${as[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$CO/var/pg/data" -m immediate stop >/dev/null 2>&1
	if [ "$failures" != 0 ]; then
		echo "--- make run's output (tail)"
		tail -n 40 "$OUT"
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check()
{ # NAME COMMAND...
	local name=$1
	shift
	if "$@"; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		failures=$((failures + 1))
	fi
}

# The run, with an environment of its own (nothing of the caller's IXAPI_*
# or DATABASE_URL).
"${as[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$TMP/home" LANG=C.UTF-8 \
	IXAPI_PORT="$API_PORT" IXAPI_PG_PORT="$PG_PORT" "$CO/scripts/run-demo.sh" >"$OUT" 2>&1 &
RUN_PID=$!
for _ in $(seq 300); do
	grep -q 'info serve: ixapid .* serving' "$OUT" && break
	kill -0 "$RUN_PID" 2>/dev/null || break
	sleep 0.1
done
check "the server is up" grep -q 'info serve: ixapid .* serving' "$OUT"
check "a private cluster was initialised in the copy" grep -q "pg: initialising a private cluster in $CO/var/pg" "$OUT"
check "the credentials were written" jq_true '.member.api_key and .operator.api_secret' "$CO/var/demo-credentials.json"
if [ "$failures" != 0 ]; then
	exit 1
fi

token()
{
	curl -s -X POST "$API/auth/token" -H 'Content-Type: application/json' \
		-d "$(jq ".$1 | {api_key, api_secret}" "$CO/var/demo-credentials.json")" | jq -r .access_token
}
MEMBER=$(token member)
OPERATOR=$(token operator)
check "the member gets a token" test "${#MEMBER}" -gt 20
check "the API answers (GET /account)" test "$(curl -s -H "Authorization: Bearer $MEMBER" "$API/account" |
	jq -r .name)" = "Demo Member Networks"

# The order lines exactly as the banner printed them.
order=$(sed -n '/^No network lab/,/^$/p' "$OUT" | sed -n '/^  /p')
check "the banner prints the order lines" grep -q 'network-service-configs' <<<"$order"
placed=$(cd "$CO" && bash -c "$order" 2>&1)
nsc=$(jq -rs 'map(select(type == "object" and .type == "exchange_lan"))[0].id // empty' <<<"$placed" 2>/dev/null)
check "the printed order stores a config (requested)" test -n "$nsc"
sleep 2 # workers, were there any, would have claimed it by now (they poll every second)
jobs=$(curl -s -H "Authorization: Bearer $OPERATOR" "$API/jobs?object=network_service_config:$nsc")
check "its job waits (pending, no attempt)" jq_true 'length == 1 and .[0].state == "pending" and .[0].attempts == 0' \
	<<<"$jobs"
check "the config stays requested" test "$(curl -s -H "Authorization: Bearer $MEMBER" \
	"$API/network-service-configs/$nsc" | jq -r .state)" = requested

check "exactly one line says jobs wait" test "$(grep -c 'jobs wait' "$OUT")" = 1
check "... and why (no adapter)" grep -q 'no switch or route-server adapter configured.*jobs wait' "$OUT"
check "the banner says there is no lab because of root" grep -q '^No network lab (not root' "$OUT"
check "no worker for the network started" bash -c "! grep -q 'job worker(s)' '$OUT'"
check "the banner says where mail goes" grep -q '^Mail: an SMTP sink on smtp://127.0.0.1:[0-9]* keeps every mail' "$OUT"
check "workers run mail (the sink is the SMTP server)" grep -q 'worker thread(s) for mail' "$OUT"

# SIGTERM: everything the run started stops.
kill -TERM "$RUN_PID"
stopped=0
for _ in $(seq 150); do
	kill -0 "$RUN_PID" 2>/dev/null || {
		stopped=1
		break
	}
	sleep 0.1
done
wait "$RUN_PID" 2>/dev/null
RUN_PID=
check "SIGTERM ends the run" test "$stopped" = 1
check "ixapid stopped" grep -q 'info serve: stopped' "$OUT"
check "the private cluster it started is stopped" pg_stopped
check "no process of the run is left" bash -c "! ps -eo args= | grep -F '$CO' | grep -v grep"
check "nothing listens on its ports" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$API_PORT) 2>/dev/null &&
	! (exec 3<>/dev/tcp/127.0.0.1/$PG_PORT) 2>/dev/null"

if [ "$failures" != 0 ]; then
	echo "run-nonroot: $failures check(s) failed"
	exit 1
fi
echo "run-nonroot: make run as $("${as[@]}" id -un): API served, jobs waited, one line said so, SIGTERM left nothing"
