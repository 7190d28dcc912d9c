#!/usr/bin/env bash
# What `make run` does after building: a database (DATABASE_URL if set,
# otherwise the private cluster in var/pg), migrations, the demo exchange and
# its member's network in the database (scripts/demo-network.sql), the
# credentials, then the server on http://127.0.0.1:8080/api/v2.
# As root it also brings up the demo exchange's network: a namespace lab
# (scripts/lab.sh, prefix per checkout) with the switch namespace, the demo
# member's router m1 on port p1 and the route servers rs1/rs2 on the peering
# bridge, ixapi-switchd driving it, ixapi-rsd driving a BIRD route server in
# each of rs1/rs2 (state in var/rs/), a BIRD in m1 configured for both
# (var/m1-bird.conf, the MD5 password in var/demo-bgp.password), and
# ixapid's workers with an adapters file in var/. Without root (or with IXAPI_LAB=0) it serves the API only:
# no adapter, the network's jobs wait (ixapid's log says so in one line).
# Mail: an SMTP sink (tests/tools/smtp-sink.py) on a free port writes what
# ixapid sends to var/mail/<n>.eml, unless IXAPI_SMTP_URL names a server.
# Stopping it (Ctrl-C, SIGTERM) stops ixapid, tears the lab down and stops
# the private cluster when this run started it: what it found running it
# leaves running.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f tests/lib/smtp.sh ]; then
	. tests/lib/smtp.sh # smtp_sink_start, smtp_sink_stop
else
	smtp_sink_start() { return 1; }
	smtp_sink_stop() { :; }
	SMTP_PYTHON=/usr/bin/python3
fi
mkdir -p var
chmod 711 var # postgres (the private cluster) must traverse it; files inside are 0600
pg_port=${IXAPI_PG_PORT:-5433}
pg_started=0
adapter_pid=
rsd_pid=
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
	[ -z "$rsd_pid" ] || kill -TERM "$rsd_pid" 2>/dev/null || true
	[ -z "$rsd_pid" ] || wait "$rsd_pid" 2>/dev/null || true
	smtp_sink_stop
	if [ "$lab_up" = 1 ]; then
		stop_birds
		scripts/lab.sh down "$lab"
		echo "lab $lab torn down"
	fi
	[ "$pg_started" = 0 ] || scripts/pg-private.sh stop var/pg "$pg_port"
	rm -f var/run-demo.pid
}
# The BIRDs of the lab (the route servers', m1's) by their pid files, never
# by name; they outlive ixapi-rsd by design, and a namespace's removal does
# not end them.
stop_birds()
{
	local f pid
	for f in var/rs/rs1/bird.pid var/rs/rs2/bird.pid var/m1-bird.pid; do
		pid=$(cat "$f" 2>/dev/null) || continue
		[ "$(ps -p "$pid" -o comm= 2>/dev/null)" != bird ] || kill -TERM "$pid" 2>/dev/null || true
		rm -f "$f"
	done
	return 0
}
# Refused before anything starts (nothing of the other run is touched): a
# second run of this checkout would take the first one's lab and BIRDs
# down; a lab whose namespaces still hold processes belongs to someone else
# (another checkout whose path gives the same name, a run's orphans).
other=$(cat var/run-demo.pid 2>/dev/null) || other=
other_cmd=$( [ -z "$other" ] || tr '\0' ' ' <"/proc/$other/cmdline" 2>/dev/null) || other_cmd=
if [ -n "$other" ] && [ "$other" != $$ ] && [[ "$other_cmd" == *run-demo.sh* ]] &&
	[ "$(readlink "/proc/$other/cwd" 2>/dev/null)" = "$(pwd -P)" ]; then
	echo "make run: already running in this checkout (pid $other): stop it first (Ctrl-C there, or kill $other)" >&2
	exit 1
fi
echo $$ >var/run-demo.pid
if [ "$(id -u)" = 0 ] && [ "${IXAPI_LAB:-1}" != 0 ]; then
	stop_birds # what a killed run of this checkout left behind
	busy=$(ip netns list | awk -v p="$lab-" 'index($1, p) == 1 {print $1}' | while read -r ns; do
		ip netns pids "$ns" 2>/dev/null || true
	done | sort -un | tr '\n' ' ')
	if [ -n "$busy" ]; then
		echo "make run: the lab's namespaces ($lab-*) are in use by pid(s) ${busy% }: another run's (stop it)" \
			"or orphans (kill them); nothing was started" >&2
		rm -f var/run-demo.pid
		exit 1
	fi
fi
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
rs1=$(q "SELECT id FROM network_features WHERE name = 'rs1.demo-ix.net'")
rs2=$(q "SELECT id FROM network_features WHERE name = 'rs2.demo-ix.net'")
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
rsd_port=${IXAPI_RSD_PORT:-8711}
if [ "$(id -u)" = 0 ] && [ "${IXAPI_LAB:-1}" != 0 ]; then
	scripts/lab.sh down "$lab"
	lab_up=1
	scripts/lab.sh up "$lab" m1 m2 rs1 rs2 >/dev/null
	# m2: the router of a new member (README, Onboarding), on p2, the first
	# free 10G port the auto-assign policy gives an application at Science
	# Park DC. A router (forwarding on) sends no IPv6 router solicitations,
	# which the quarantine gate would refuse.
	ip netns exec "$lab-m2" sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.forwarding=1
	ip -n "$lab-rs1" addr add 192.0.2.1/24 dev eth0
	ip -n "$lab-rs1" addr add 2001:db8:7f8::1/64 dev eth0 nodad
	ip -n "$lab-rs2" addr add 192.0.2.2/24 dev eth0
	ip -n "$lab-rs2" addr add 2001:db8:7f8::2/64 dev eth0 nodad
	[ -s var/adapter.secret ] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >var/adapter.secret)
	jq -n --arg url "http://127.0.0.1:$adapter_port" '{switch_adapters: [{name: "demo-lab", url: $url,
		secret_file: "adapter.secret", devices: ["ams-sp-sw1.demo-ix.net", "ams-hb-sw1.demo-ix.net"]}]}' \
		>var/adapters.json
	build/ixapi-switchd --netns "$lab-sw" --secret-file var/adapter.secret --ports p1,p2,rs1,rs2 \
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
	for rs in rs1 rs2; do # the route servers' ports: on the peering LAN, unlocked
		curl -sf -o /dev/null -X PUT -H "$auth" -H 'Content-Type: application/json' \
			--data '{"admin_state":"up","service":"peering","vlan":null,"mac_lock":false,"allowed_macs":[],"lag_members":[]}' \
			"http://127.0.0.1:$adapter_port/v1/ports/$rs"
	done
	# The route servers: ixapi-rsd starts a BIRD in rs1's and rs2's
	# namespaces at its first PUT (the first session ordered) or, on a later
	# run, at its start on the last good configuration in var/rs/. m1's BIRD has a session with each (active; the
	# route servers are passive) with the demo's MD5 password; it comes up
	# once the member orders the sessions and its port is on the peering LAN.
	mkdir -p var/rs/rs1 var/rs/rs2
	chmod 700 var/rs
	[ -s var/rs.secret ] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >var/rs.secret)
	[ -s var/demo-bgp.password ] ||
		(umask 077 && head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16 >var/demo-bgp.password)
	build/ixapi-rsd --secret-file var/rs.secret --port "$rsd_port" --server "rs1:$PWD/var/rs/rs1:$lab-rs1" \
		--server "rs2:$PWD/var/rs/rs2:$lab-rs2" 2>>var/ixapi-rsd.log &
	rsd_pid=$!
	auth="Authorization: Bearer $(cat var/rs.secret)"
	for _ in $(seq 50); do
		curl -sf -o /dev/null -H "$auth" "http://127.0.0.1:$rsd_port/v1/health" && break
		kill -0 "$rsd_pid" 2>/dev/null || {
			echo "ixapi-rsd did not start (var/ixapi-rsd.log)" >&2
			exit 1
		}
		sleep 0.1
	done
	jq --arg url "http://127.0.0.1:$rsd_port" '. + {route_server_adapters: [{name: "demo-rsd", url: $url,
		secret_file: "rs.secret", route_servers: [{network_feature: "rs1.demo-ix.net", server: "rs1"},
		{network_feature: "rs2.demo-ix.net", server: "rs2"}]}]}' var/adapters.json >var/adapters.json.new
	mv var/adapters.json.new var/adapters.json
	(
		umask 077
		printf 'router id 10.0.0.1;\nprotocol device {\n}\n'
		printf 'protocol static s4 {\n\tipv4;\n\troute 45.1.1.0/24 blackhole;\n}\n'
		for n in 1 2; do
			printf 'protocol bgp rs%s {\n\tlocal as 206238; neighbor 192.0.2.%s as 64496; password "%s";\n' \
				"$n" "$n" "$(cat var/demo-bgp.password)"
			printf '\tconnect delay time 1; connect retry time 5;\n'
			printf '\tipv4 { import all; export where source = RTS_STATIC; };\n}\n'
		done
	) >var/m1-bird.conf
	chmod 600 var/m1-bird.conf
	ip netns exec "$lab-m1" bird -c var/m1-bird.conf -s var/m1-bird.ctl -P var/m1-bird.pid
	export IXAPI_RS_POLL_MS=${IXAPI_RS_POLL_MS:-5000}
	export IXAPI_STATS_INTERVAL_S=${IXAPI_STATS_INTERVAL_S:-30}
	export IXAPI_ADAPTERS_FILE=$PWD/var/adapters.json
	cat <<MSG

The demo network (lab $lab; ixapi-switchd on 127.0.0.1:$adapter_port drives namespace $lab-sw, log
var/ixapi-switchd.log): the demo member's router $lab-m1 (eth0 02:00:00:00:00:01) on port p1 of
ams-sp-sw1.demo-ix.net (its connection $conn, in production), the route servers rs1 (192.0.2.1) and rs2
(192.0.2.2) on the peering bridge; a new member's router $lab-m2 (eth0 02:00:00:00:00:02) on port p2, free
until an application gets it (README, "Onboarding: from application to production"). Ports that already carry a config get their stored state back as soon as
the workers see this fresh adapter. Order a peering-LAN config and watch it go to quarantine:
$(order)
  ip netns exec $lab-sw bridge link          # p1 master s-quarantine, later s-peering
  ip -n $lab-m1 addr add 192.0.2.3/24 dev eth0   # the address the config got (see /ips)
  ip netns exec $lab-m1 ping 192.0.2.1       # no answer in quarantine; answered in production
Production is the operator's step (the operator's token, from .operator in var/demo-credentials.json):
  curl -s -X PATCH $api/network-service-configs/ID -H "Authorization: Bearer \$OPERATOR_TOKEN" \\
       -H 'Content-Type: application/json' -d '{"state": "production"}'
  ip netns exec $lab-sw nft list table bridge ixapi_switch   # the MAC lock on p1

The route servers rs1.demo-ix.net (feature $rs1) and rs2.demo-ix.net ($rs2) are BIRDs driven by ixapi-rsd
(127.0.0.1:$rsd_port, var/ixapi-rsd.log); m1 runs a BIRD (var/m1-bird.conf: AS206238, announces 45.1.1.0/24)
with a session to each and the MD5 password in var/demo-bgp.password. Order the sessions (NSC = the config's id):
  IP=\$(curl -s -H "Authorization: Bearer \$TOKEN" "$api/ips?network_service_config=\$NSC" | jq -r '.[] | select(.version == 4) | .id')
  for RS in $rs1 $rs2; do curl -s -X POST $api/network-feature-configs -H "Authorization: Bearer \$TOKEN" \\
       -H 'Content-Type: application/json' -d "{\"type\": \"route_server\", \"network_feature\": \"\$RS\",
       \"network_service_config\": \"\$NSC\", \"asn\": 206238, \"ip\": \"\$IP\", \"session_mode\": \"public\",
       \"bgp_session_type\": \"passive\", \"password\": \"\$(cat var/demo-bgp.password)\"}"; done
Watch them come up (once p1 is on the peering LAN and m1 has its address):
  ip netns exec $lab-m1 birdc -s var/m1-bird.ctl show protocols      # rs1, rs2: Established
  curl -s -H "Authorization: Bearer \$TOKEN" $api/network-feature-configs | jq '.[] | {id, state, status}'
Traffic statistics from the switch's counters (read every $IXAPI_STATS_INTERVAL_S s; IX-API 2.7.1, as pyixapi's
connection.statistics() asks; the named aggregates are complete 5-minute slots, a window with a start holds the current one):
  ip netns exec $lab-m1 ping -c 5000 -i 0.002 -s 1400 192.0.2.1   # ~7 MB each way through p1, once it is on the peering LAN
  curl -s -H "Authorization: Bearer \$TOKEN" $api/connections/$conn/statistics | jq '.aggregates.PT5M'
  curl -s -H "Authorization: Bearer \$TOKEN" "$api/connections/$conn/statistics/PT5M/timeseries?start=\$(date -u -d '-30 min' +%FT%TZ)"
MSG
else
	# No adapter: no worker runs the network's jobs (ixapid's log says so in one line).
	unset IXAPI_ADAPTERS_FILE
	cat <<MSG

No network lab ($([ "$(id -u)" != 0 ] && echo "not root: namespaces need root" || echo "IXAPI_LAB=0")). Orders are
stored; an operator sees their jobs (GET $api/jobs). Order a peering-LAN config:
$(order)
MSG
fi
mail_line="Mail: IXAPI_SMTP_URL=${IXAPI_SMTP_URL:-} (yours)"
if [ -z "${IXAPI_SMTP_URL:-}" ]; then
	if "$SMTP_PYTHON" -c 'import aiosmtpd' 2>/dev/null && smtp_sink_start var/mail; then
		export IXAPI_SMTP_URL=$SMTP_URL
		mail_line="Mail: an SMTP sink on $SMTP_URL keeps every mail ixapid sends as var/mail/<n>.eml"
	else
		mail_line="Mail: no SMTP sink (python3-aiosmtpd missing?): mail waits (GET $api/jobs)"
	fi
fi
echo "$mail_line"
# The e-signature provider's HMAC key (the signature callback): the demo's
# own, made once (0600), unless the caller names one.
if [ -z "${IXAPI_ESIGN_HMAC_KEY:-}" ]; then
	[ -s var/esign-hmac.key ] || (umask 077 && head -c 24 /dev/urandom | base64 >var/esign-hmac.key)
	IXAPI_ESIGN_HMAC_KEY=$(cat var/esign-hmac.key)
	export IXAPI_ESIGN_HMAC_KEY
	echo "E-signature callbacks: HMAC key in var/esign-hmac.key (see README, Onboarding)"
fi
# The demo's webhook receivers run on this host (production refuses loopback
# and private receivers unless this names their network).
export IXAPI_WEBHOOK_ALLOW_NETS=${IXAPI_WEBHOOK_ALLOW_NETS-127.0.0.0/8,::1}
[ -n "$conn" ] || echo "(var/pg holds a demo exchange seeded before the lab existed: 'make stop-db; rm -rf var/pg' reseeds it)"
echo
echo "Ctrl-C stops the server$([ -n "${SMTP_PID:-}" ] && echo ", the SMTP sink")$([ "$lab_up" = 1 ] && echo ", the adapters, the BIRDs, the lab")$([ "$pg_started" = 1 ] && echo " and the private PostgreSQL")."
build/ixapid serve &
server_pid=$!
rc=0
wait "$server_pid" || rc=$?
server_pid=
exit "$rc"
