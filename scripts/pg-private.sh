#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for `make run`, kept in a folder of the
# checkout (var/pg by default): it listens on 127.0.0.1 and on a Unix socket
# inside the folder, and is reused from one run to the next.
#   scripts/pg-private.sh start|stop|status|url DIR PORT
# PostgreSQL refuses to run as root: as root, the cluster runs as the
# `postgres` system user, which owns DIR.
set -euo pipefail
cmd=${1:?usage: pg-private.sh start|stop|status|url DIR PORT}
dir=${2:?DIR}
port=${3:?PORT}
PGBIN=/usr/lib/postgresql/15/bin

# The cluster lives in DIR unless that cannot work: the postgres user (when
# we are root) cannot reach a checkout under a private folder, and a Unix
# socket path is limited to about 100 characters. Then it lives in
# /var/tmp/ixapid-pg-<hash of DIR> and DIR is a link to it.
if [ ! -e "$dir" ]; then
	mkdir -p "$(dirname "$dir")"
	abs="$(cd "$(dirname "$dir")" && pwd -P)/$(basename "$dir")"
	elsewhere=""
	if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$(dirname "$abs")"; then
		elsewhere="the postgres user cannot reach $(dirname "$abs")"
	elif [ ${#abs} -gt 70 ]; then
		elsewhere="its socket path would be too long"
	fi
	if [ -n "$elsewhere" ]; then
		alt=/var/tmp/ixapid-pg-$(printf '%s' "$abs" | sha1sum | cut -c1-12)
		mkdir -p "$alt"
		ln -s "$alt" "$dir"
		echo "pg: $elsewhere; the cluster lives in $alt (linked from $dir)"
	else
		mkdir -p "$dir"
	fi
fi
dir=$(cd "$dir" && pwd -P)
cd "$dir" # the postgres user may not be able to enter the caller's folder
as_pg=()
user=$(id -un)
if [ "$(id -u)" = 0 ]; then
	as_pg=(runuser -u postgres --)
	user=postgres
fi
pg_ctl=("${as_pg[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w)

url() { echo "host=$dir/sock port=$port dbname=ixapi user=$user"; }

case "$cmd" in
start)
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		mkdir -p "$dir/sock"
		[ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
		chmod 700 "$dir"
		[ "$(id -u)" = 0 ] && chmod 711 "$dir" # the socket folder must be reachable
		echo "pg: initialising a private cluster in $dir"
		"${as_pg[@]}" "$PGBIN/initdb" -D "$dir/data" -U "$user" -E UTF8 --locale=C.UTF-8 \
			--auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log"
		cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
CONF
	fi
	if "${pg_ctl[@]}" status >/dev/null 2>&1; then
		echo "pg: already running ($(url))"
	else
		"${pg_ctl[@]}" start >/dev/null || { tail -n 20 "$dir/postgres.log" >&2; exit 1; }
		echo "pg: started ($(url))"
	fi
	if ! "${as_pg[@]}" psql -h "$dir/sock" -p "$port" -U "$user" -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'ixapi'" | grep -q 1; then
		"${as_pg[@]}" "$PGBIN/createdb" -h "$dir/sock" -p "$port" -U "$user" ixapi
	fi
	;;
stop)
	if [ -f "$dir/data/PG_VERSION" ] && "${pg_ctl[@]}" status >/dev/null 2>&1; then
		"${pg_ctl[@]}" -m fast stop >/dev/null
		echo "pg: stopped"
	else
		echo "pg: not running"
	fi
	;;
status)
	"${pg_ctl[@]}" status
	;;
url)
	url
	;;
*)
	echo "usage: pg-private.sh start|stop|status|url DIR PORT" >&2
	exit 2
	;;
esac
