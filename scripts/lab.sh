#!/usr/bin/env bash
# The namespace lab: a "switch" namespace PREFIX-sw (where ixapi-switchd runs
# and keeps its bridges) and one namespace per member router, wired to the
# switch by a veth pair.
#
#   scripts/lab.sh up PREFIX [NAME...]   (NAMEs default to: m1 m2)
#   scripts/lab.sh down PREFIX           removes every namespace PREFIX-*
#                                        (idempotent)
#   scripts/lab.sh ports PREFIX [NAME...] prints the switch-side port names
#
# NAME mN gets namespace PREFIX-mN, router side `eth0` with MAC
# 02:00:00:00:00:NN (NN = N in hex) and switch side `pN` in PREFIX-sw. Any
# other NAME (e.g. `rs1` for a route server, issue 11) gets namespace
# PREFIX-NAME, router side `eth0` with MAC 02:00:00:00:01:KK (KK = its
# position among the arguments) and switch side NAME: list it among the
# adapter's ports and PUT it into `peering` (no MAC lock) to attach it to the
# peering bridge. Switch-side names carry no prefix: each lab has its own
# switch namespace. Every name stays within the kernel's 15 characters.
#
# The lab is plain L2: no addresses on the routers (tests add them). The
# switch namespace takes no part in IPv6 (no link-local addresses, so the
# switch itself never sends ND or MLD to the members).
set -euo pipefail

usage()
{
	echo "usage: $0 up|down|ports PREFIX [NAME...]" >&2
	exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
prefix=$2
shift 2
[[ "$prefix" =~ ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,9}$ ]] || {
	echo "lab: PREFIX must be 1-10 characters of [a-zA-Z0-9_-]" >&2
	exit 2
}
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(m1 m2)
sw="$prefix-sw"

switch_port()
{
	if [[ "$1" =~ ^m([0-9]{1,4})$ ]]; then
		echo "p${BASH_REMATCH[1]}"
	else
		echo "$1"
	fi
}

router_mac()
{ # NAME POSITION
	if [[ "$1" =~ ^m([0-9]{1,4})$ ]]; then
		local n=$((10#${BASH_REMATCH[1]}))
		printf '02:00:00:00:%02x:%02x\n' $((n >> 8)) $((n & 255))
	else
		printf '02:00:00:00:01:%02x\n' "$2"
	fi
}

down()
{
	local ns
	for ns in $(ip netns list | awk '{print $1}'); do
		case "$ns" in "$prefix"-*) ip netns del "$ns" 2>/dev/null || true ;; esac
	done
}

up()
{
	local name port mac i=0
	for name in "${names[@]}"; do
		[[ "$name" =~ ^[a-z][a-z0-9]{0,7}$ ]] || {
			echo "lab: member name '$name' must be 1-8 characters of [a-z0-9]" >&2
			exit 2
		}
		[ "$name" != sw ] || {
			echo "lab: 'sw' is the switch's namespace" >&2
			exit 2
		}
	done
	ip netns add "$sw"
	ip -n "$sw" link set lo up
	ip netns exec "$sw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	for name in "${names[@]}"; do
		i=$((i + 1))
		port=$(switch_port "$name")
		mac=$(router_mac "$name" "$i")
		ip netns add "$prefix-$name"
		ip -n "$prefix-$name" link set lo up
		ip -n "$sw" link add "$port" type veth peer name eth0 netns "$prefix-$name"
		ip -n "$prefix-$name" link set eth0 address "$mac"
		ip -n "$sw" link set "$port" up
		ip -n "$prefix-$name" link set eth0 up
		echo "lab: $prefix-$name eth0 $mac <-> $sw $port"
	done
}

case "$cmd" in
up)
	trap 'rc=$?; [ $rc = 0 ] || down; exit $rc' EXIT
	up
	;;
down) down ;;
ports) for name in "${names[@]}"; do switch_port "$name"; done ;;
*) usage ;;
esac
