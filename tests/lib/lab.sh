# Shell helpers of the lab tests (tests/adapters/switch-lab.sh,
# tests/adapters/rs-lab.sh, tests/e2e/network.sh); sourced, never run.
# Verdicts go to fd 3 (the test's stdout, whatever a checked command's
# redirections) and count in $failures; every JSON condition goes through
# jqb, which fails on empty input (plain `jq -e` passes when given nothing:
# a check that cannot fail).
#   lab_need_root NAME WHAT, lab_need_tools NAME TOOL...: skip or refuse early
#   lab_new PREFIX: P (the run's prefix, at most 10 characters), SW (the
#     switch namespace), TMP (a temporary directory), failures=0
#   check DESCRIPTION COMMAND..., not COMMAND..., fatal MESSAGE, jqb JQ_ARGS...
#   lacks FILE STRING...: none of the strings is in FILE (secrets in logs)
#   free_port, wait_for SECONDS COMMAND..., elapsed START
#   lab_secret FILE: a fresh bearer secret in FILE and in $SECRET
#   api METHOD PATH [BODY] [CURL ARGS...], wait_api PATH, is_replay_of BODY:
#     an adapter's HTTP API at $URL (in namespace $API_NETNS when set)
#   stop_pids PID..., stop_adapter: SIGTERM and wait
#   master_of PORT, is_up PORT, pings FROM_NS TO_ADDR: the kernel's word
#   lab_finish NAME: the verdict of an adapter's lab, its log on failure
# The end-to-end tests (tests/e2e/) add, with ixapid's log in $TMP/ixapid.log
# and the adapter's in $TMP/adapter.log:
#   e2e_ports: API_PORT and ADAPTER_PORT (free), API (ixapid's base URL)
#   e2e_wait_ixapid: until ixapid answers /health (10 s at most)
#   e2e_logs ADAPTER: both logs' tails when a check failed or E2E_KEEP_LOGS is set
#   sql QUERY, call METHOD PATH TOKEN [BODY] (ixapid), token ROLE

exec 3>&1
failures=0

lab_need_root()
{ # NAME WHAT: exits 0 (skipped) unless root
	if [ "$(id -u)" != 0 ]; then
		echo "$1: SKIPPED: $2 need root (CI runs as root)"
		exit 0
	fi
}

lab_need_tools()
{ # NAME TOOL...: exits 1 when one is missing
	local name=$1 tool
	shift
	for tool in "$@"; do
		command -v "$tool" >/dev/null || {
			echo "$name: $tool is missing (scripts/install-deps.sh --test)" >&2
			exit 1
		}
	done
}

lab_new()
{ # PREFIX
	P=$1$$
	P=${P:0:10}
	SW=$P-sw
	TMP=$(mktemp -d)
}

check()
{ # DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then
		echo "  ok: $what" >&3
	else
		echo "  FAIL: $what" >&3
		failures=$((failures + 1))
	fi
}

not()
{
	! "$@"
}

fatal()
{
	echo "  FAIL: $*" >&3
	failures=$((failures + 1))
	exit 1
}

# jq -e that fails on empty input (plain jq -e exits 0 when given nothing).
jqb()
{
	local in
	in=$(cat)
	[ -n "$in" ] && jq -e "$@" <<<"$in"
}
export -f jqb # for bash -c

lacks()
{ # FILE STRING...: true when none of the strings is in FILE
	local file=$1 s
	shift
	[ -f "$file" ] || return 1
	for s in "$@"; do
		! grep -qF -- "$s" "$file" || return 1
	done
}

free_port()
{ # a port no socket of the host namespace uses (any state), below the
	# kernel's ephemeral range: outgoing connections (PostgreSQL clients,
	# curl) take their local ports from that range, and a port picked there
	# was once taken by one between the pick and the listen (EADDRINUSE)
	local p low
	read -r low _ </proc/sys/net/ipv4/ip_local_port_range
	[ "$low" -gt 11000 ] 2>/dev/null || low=32768
	for _ in $(seq 50); do
		p=$((10000 + RANDOM % (low - 10000)))
		if [ -z "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

elapsed()
{ # START (an $EPOCHREALTIME): seconds since
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

wait_for()
{ # SECONDS COMMAND...: true once COMMAND is (polled every 0.1 s); sets WAITED (seconds, or "timeout")
	local start=$EPOCHREALTIME
	local deadline=$((SECONDS + $1))
	shift
	while [ $SECONDS -le $deadline ]; do
		if "$@"; then
			WAITED=$(elapsed "$start")
			return 0
		fi
		sleep 0.1
	done
	WAITED=timeout
	return 1
}

lab_secret()
{ # FILE
	head -c 32 /dev/urandom | base64 | tr -d '\n' >"$1"
	SECRET=$(cat "$1")
}

# api METHOD PATH [BODY] [EXTRA CURL ARGS...]: sets STATUS, TIME, BODY, HDRS.
# AUTH (when set) replaces the Authorization header's value.
api()
{
	local method=$1 path=$2 body=${3:-}
	shift 3 2>/dev/null || shift $#
	local args=(-s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code} %{time_total}' -X "$method"
		-H "Authorization: ${AUTH:-Bearer $SECRET}")
	[ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
	local in_ns=()
	[ -z "${API_NETNS:-}" ] || in_ns=(ip netns exec "$API_NETNS")
	local out
	out=$("${in_ns[@]}" curl "${args[@]}" "$@" "$URL$path")
	STATUS=${out%% *}
	TIME=${out#* }
	BODY=$(cat "$TMP/body" 2>/dev/null)
	HDRS=$(cat "$TMP/headers" 2>/dev/null)
}

wait_api()
{ # PATH: until the adapter answers it with 200 (5 s at most)
	for _ in $(seq 50); do
		api GET "$1" 2>/dev/null
		[ "$STATUS" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}

is_replay_of()
{ # FIRST_BODY: the last answer is it again, marked as replayed
	[ "$1" = "$BODY" ] && grep -qi "^idempotent-replayed: true" <<<"$HDRS"
}

stop_pids()
{ # PID...: SIGTERM, then waits for each
	local pid
	for pid in "$@"; do
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
}

stop_adapter()
{ # SIGTERM to $ADAPTER_PID: true when it exits 0
	kill -TERM "$ADAPTER_PID"
	wait "$ADAPTER_PID"
	local rc=$?
	ADAPTER_PID=
	[ "$rc" = 0 ]
}

master_of()
{ # PORT in $SW
	ip -n "$SW" -j link show "$1" | jq -r '.[0].master // "none"'
}

is_up()
{ # PORT in $SW
	ip -n "$SW" -j link show "$1" | jqb '.[0].flags | index("UP")' >/dev/null
}

pings()
{ # FROM_NS TO_ADDR: true when one of 3 pings is answered
	ip netns exec "$P-$1" ping -q -c 3 -i 0.2 -W 1 "$2" >/dev/null 2>&1
}

lab_finish()
{ # NAME: exits 1 with the adapter's log when a check failed
	if [ "$failures" != 0 ]; then
		echo "$1: $failures check(s) failed; the adapter's log:" >&2
		cat "$TMP/adapter.log" >&2
		exit 1
	fi
	echo "$1: all checks passed"
}

e2e_ports()
{
	API_PORT=$(free_port)
	ADAPTER_PORT=$(free_port)
	API=http://127.0.0.1:$API_PORT/api/v2
}

e2e_wait_ixapid()
{
	for _ in $(seq 100); do
		curl -s -o /dev/null "$API/health" 2>/dev/null && break
		sleep 0.1
	done
}

e2e_logs()
{ # ADAPTER: the adapter's name in the heading
	if [ "$failures" != 0 ] || [ -n "${E2E_KEEP_LOGS:-}" ]; then
		echo "--- ixapid log (tail)"
		tail -n 40 "$TMP/ixapid.log" 2>/dev/null
		echo "--- $1 log (tail)"
		tail -n 20 "$TMP/adapter.log" 2>/dev/null
	fi
}

sql()
{ # QUERY: on $DATABASE_URL, its values on stdout
	psql "$DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 -c "$1"
}

# call METHOD PATH TOKEN [BODY]: ixapid at $API; sets STATUS and BODY.
call()
{
	local args=(-s -o "$TMP/body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3")
	[ -z "${4:-}" ] || args+=(-H 'Content-Type: application/json' --data-binary "$4")
	STATUS=$(curl "${args[@]}" "$API$2")
	BODY=$(cat "$TMP/body")
}

token()
{ # ROLE (operator|member) from the demo credentials
	curl -s -X POST "$API/auth/token" -H 'Content-Type: application/json' \
		-d "$(jq ".$1 | {api_key, api_secret}" "$TMP/credentials.json")" | jq -r .access_token
}
