#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL 15 cluster: a fresh folder,
# a free port on 127.0.0.1, trust authentication (loopback only), fsync off.
# Exports DATABASE_URL (libpq conninfo), TEST_PG_STOP_CMD and
# TEST_PG_START_CMD (to restart the cluster from a test), runs the command,
# then stops the cluster and deletes the folder, whatever happens.
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/ixapi-pg-XXXXXX)
chmod 755 "$dir"
as_pg=()
pguser=$(id -un)
if [ "$(id -u)" = 0 ]; then
	as_pg=(runuser -u postgres --)
	pguser=postgres
	chown postgres: "$dir"
fi

pick_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

pg_ctl_cmd="${as_pg[*]} $PGBIN/pg_ctl -D $dir/data -l $dir/postgres.log -w"
cleanup() {
	$pg_ctl_cmd -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${as_pg[@]}" "$PGBIN/initdb" -D "$dir/data" -U "$pguser" --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 1; }
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
max_connections = 200
include_if_exists = 'port.conf'
CONF
# A port that looked free may be taken by the time PostgreSQL binds it:
# try a few.
started=0
for _ in 1 2 3 4 5; do
	port=$(pick_port)
	echo "port = $port" >"$dir/data/port.conf"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir/data/port.conf"
	if $pg_ctl_cmd start >/dev/null 2>&1; then
		started=1
		break
	fi
done
[ "$started" = 1 ] || { cat "$dir/postgres.log" >&2; exit 1; }
"${as_pg[@]}" "$PGBIN/../bin/createdb" -h 127.0.0.1 -p "$port" -U "$pguser" ixapi_test 2>/dev/null ||
	psql -h 127.0.0.1 -p "$port" -U "$pguser" -d postgres -qc 'CREATE DATABASE ixapi_test'

export DATABASE_URL="host=127.0.0.1 port=$port dbname=ixapi_test user=$pguser"
export TEST_PG_STOP_CMD="$pg_ctl_cmd -m fast stop >/dev/null"
export TEST_PG_START_CMD="$pg_ctl_cmd start >/dev/null"
set +e
"$@"
rc=$?
set -e
exit $rc
