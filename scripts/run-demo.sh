#!/usr/bin/env bash
# What `make run` does after building: a database (DATABASE_URL if set,
# otherwise the private cluster in var/pg), migrations, the demo exchange and
# its member's network in the database (scripts/demo-network.sql), the
# credentials, then the server on http://127.0.0.1:8080/api/v2.
# As root it also brings up the demo exchange's network: a namespace lab
# (scripts/lab.sh, prefix per checkout) with the switch namespace, the demo
# member's router m1 on port p1 and the route servers rs1/rs2 on the peering
# bridge, ixapi-switchd driving it, and ixapid's workers with an adapters
# file in var/. Without root (or with IXAPI_LAB=0) it serves the API only:
# no adapter, no workers, jobs wait (ixapid's log says so in one line).
# Stopping it (Ctrl-C, SIGTERM) stops ixapid, tears the lab down and stops
# the private cluster when this run started it: what it found running it
# leaves running.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
chmod 711 var # postgres (the private cluster) must traverse it; files inside are 0600
pg_port=${IXAPI_PG_PORT:-5433}
pg_started=0
adapter_pid=
server_pid=
lab_up=0
lab=ixd$(printf '%s' "$PWD" | cksum | cut -c1-5) # per checkout: two checkouts, or a test run, never collide
stop()
{
	trap - EXIT INT TERM
	[ -z "$server_pid" ] || kill -TERM "$server_pid" 2>/dev/null || true
	[ -z "$server_pid" ] || wait "$server_pid" 2>/dev/null || true
	[ -z "$adapter_pid" ] || kill -TERM "$adapter_pid" 2>/dev/null || true
	[ -z "$adapter_pid" ] || wait "$adapter_pid" 2>/dev/null || true
	if [ "$lab_up" = 1 ]; then
		scripts/lab.sh down "$lab"
		echo "lab $lab torn down"
	fi
	[ "$pg_started" = 0 ] || scripts/pg-private.sh stop var/pg "$pg_port"
}
trap stop EXIT
trap 'exit 130' INT TERM

if [ -z "${DATABASE_URL:-}" ]; then
	pg_out=$(scripts/pg-private.sh start var/pg "$pg_port")
	echo "$pg_out"
	case "$pg_out" in *"pg: started"*) pg_started=1 ;; esac
	DATABASE_URL=$(scripts/pg-private.sh url var/pg "$pg_port")
	export DATABASE_URL
else
	echo "pg: using DATABASE_URL (no private cluster)"
fi
export IXAPI_JWT_KEY_FILE=${IXAPI_JWT_KEY_FILE:-var/jwt.key}
build/ixapid migrate
build/ixapid seed-demo --credentials var/demo-credentials.json

port=${IXAPI_PORT:-8080}
api=http://127.0.0.1:$port/api/v2
key=$(jq -r .member.api_key var/demo-credentials.json)
secret=$(jq -r .member.api_secret var/demo-credentials.json)
cat <<MSG

Demo credentials (also in var/demo-credentials.json):
$(cat var/demo-credentials.json)

Try:
  curl -s -X POST $api/auth/token \\
       -H 'Content-Type: application/json' \\
       -d '{"api_key": "$key", "api_secret": "$secret"}'
MSG

# The demo member's network in the database (with or without a lab): a
# connection in production on p1, so a config can be ordered at once.
psql "$DATABASE_URL" -Xq -v ON_ERROR_STOP=1 -f scripts/demo-network.sql >/dev/null
q()
{
	psql "$DATABASE_URL" -XAtq -c "$1" 2>/dev/null || true
}
lan=$(q "SELECT id FROM network_services WHERE type = 'exchange_lan' ORDER BY id LIMIT 1")
conn=$(q "SELECT p.connection FROM ports p JOIN devices d ON d.id = p.device
	   WHERE d.name = 'ams-sp-sw1.demo-ix.net' AND p.name = 'p1'")
mac=$(q "SELECT id FROM macs WHERE canonical_address = '02:00:00:00:00:01' ORDER BY id LIMIT 1")
ras=$(q "SELECT string_agg('\"' || a.id || '\"', ', ') FROM role_assignments a JOIN contacts c ON c.id = a.contact
	  JOIN accounts x ON x.id = c.consuming_account WHERE x.external_ref = 'demo:member'")
order()
{
	cat <<MSG
  TOKEN=\$(curl -s -X POST $api/auth/token -H 'Content-Type: application/json' \\
       -d "\$(jq '.member | {api_key, api_secret}' var/demo-credentials.json)" | jq -r .access_token)
  curl -s -X POST $api/network-service-configs -H "Authorization: Bearer \$TOKEN" \\
       -H 'Content-Type: application/json' -d '{"type": "exchange_lan", "network_service": "$lan",
       "connection": "$conn", "vlan_config": {"vlan_type": "port"}, "asns": [206238], "macs": ["$mac"],
       "role_assignments": [$ras]}'
  curl -s -H "Authorization: Bearer \$TOKEN" $api/network-service-configs | jq '.[] | {id, state, status}'
MSG
}

adapter_port=${IXAPI_SWITCHD_PORT:-8710}
if [ "$(id -u)" = 0 ] && [ "${IXAPI_LAB:-1}" != 0 ]; then
	scripts/lab.sh down "$lab" # what a killed run left behind
	lab_up=1
	scripts/lab.sh up "$lab" m1 rs1 rs2 >/dev/null
	ip -n "$lab-rs1" addr add 192.0.2.1/24 dev eth0
	ip -n "$lab-rs1" addr add 2001:db8:7f8::1/64 dev eth0 nodad
	ip -n "$lab-rs2" addr add 192.0.2.2/24 dev eth0
	ip -n "$lab-rs2" addr add 2001:db8:7f8::2/64 dev eth0 nodad
	[ -s var/adapter.secret ] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >var/adapter.secret)
	jq -n --arg url "http://127.0.0.1:$adapter_port" '{switch_adapters: [{name: "demo-lab", url: $url,
		secret_file: "adapter.secret", devices: ["ams-sp-sw1.demo-ix.net", "ams-hb-sw1.demo-ix.net"]}]}' \
		>var/adapters.json
	build/ixapi-switchd --netns "$lab-sw" --secret-file var/adapter.secret --ports p1,rs1,rs2 \
		--port "$adapter_port" 2>>var/ixapi-switchd.log &
	adapter_pid=$!
	auth="Authorization: Bearer $(cat var/adapter.secret)"
	for _ in $(seq 50); do
		curl -sf -o /dev/null -H "$auth" "http://127.0.0.1:$adapter_port/v1/health" && break
		kill -0 "$adapter_pid" 2>/dev/null || {
			echo "ixapi-switchd did not start (var/ixapi-switchd.log)" >&2
			exit 1
		}
		sleep 0.1
	done
	for rs in rs1 rs2; do # the route servers' stand-ins: on the peering LAN, unlocked
		curl -sf -o /dev/null -X PUT -H "$auth" -H 'Content-Type: application/json' \
			--data '{"admin_state":"up","service":"peering","vlan":null,"mac_lock":false,"allowed_macs":[],"lag_members":[]}' \
			"http://127.0.0.1:$adapter_port/v1/ports/$rs"
	done
	export IXAPI_ADAPTERS_FILE=$PWD/var/adapters.json
	cat <<MSG

The demo network (lab $lab; ixapi-switchd on 127.0.0.1:$adapter_port drives namespace $lab-sw, log
var/ixapi-switchd.log): the demo member's router $lab-m1 (eth0 02:00:00:00:00:01) on port p1 of
ams-sp-sw1.demo-ix.net (its connection $conn, in production), the route servers rs1 (192.0.2.1) and rs2
(192.0.2.2) on the peering bridge. Ports that already carry a config get their stored state back as soon as
the workers see this fresh adapter. Order a peering-LAN config and watch it go to quarantine:
$(order)
  ip netns exec $lab-sw bridge link          # p1 master s-quarantine, later s-peering
  ip -n $lab-m1 addr add 192.0.2.3/24 dev eth0   # the address the config got (see /ips)
  ip netns exec $lab-m1 ping 192.0.2.1       # no answer in quarantine; answered in production
Production is the operator's step (the operator's token, from .operator in var/demo-credentials.json):
  curl -s -X PATCH $api/network-service-configs/ID -H "Authorization: Bearer \$OPERATOR_TOKEN" \\
       -H 'Content-Type: application/json' -d '{"state": "production"}'
  ip netns exec $lab-sw nft list table bridge ixapi_switch   # the MAC lock on p1
MSG
else
	# No adapter, so no workers: ixapid's log says so in one line.
	unset IXAPI_ADAPTERS_FILE
	cat <<MSG

No network lab ($([ "$(id -u)" != 0 ] && echo "not root: namespaces need root" || echo "IXAPI_LAB=0")). Orders are
stored; an operator sees their jobs (GET $api/jobs). Order a peering-LAN config:
$(order)
MSG
fi
[ -n "$conn" ] || echo "(var/pg holds a demo exchange seeded before the lab existed: 'make stop-db; rm -rf var/pg' reseeds it)"
echo
echo "Ctrl-C stops the server$([ "$lab_up" = 1 ] && echo ", the adapter, the lab")$([ "$pg_started" = 1 ] && echo " and the private PostgreSQL")."
build/ixapid serve &
server_pid=$!
rc=0
wait "$server_pid" || rc=$?
server_pid=
exit "$rc"
