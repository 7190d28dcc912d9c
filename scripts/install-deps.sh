#!/usr/bin/env bash
# Installs the Debian packages the project needs, if any is missing.
#   scripts/install-deps.sh          what building and running need
#   scripts/install-deps.sh --test   plus what the tests and benchmarks need
set -euo pipefail

pkgs=(build-essential pkg-config xxd ca-certificates curl jq
	libmicrohttpd-dev libjansson-dev libpq-dev libjwt-dev libcurl4-openssl-dev libsodium-dev libcairo2-dev libfontconfig-dev
	postgresql-15 postgresql-client-15
	libmnl-dev libnftables-dev libpcap-dev iproute2
	bird2 iputils-ping # ixapi-rsd's RTT probe runs ping
	python3-aiosmtpd openssl) # the SMTP sink (tests/tools/smtp-sink.py) make run and the tests read mail from
if [ "${1:-}" = "--test" ]; then
	pkgs+=(libcmocka-dev clang clang-format wrk fonts-dejavu-core poppler-utils)
	# The switch adapter's lab test: nft to read the MAC lock's sets, scapy
	# (through /usr/bin/python3) to craft and sniff frames.
	pkgs+=(nftables python3-scapy)
	# The end-to-end gate test: a real LLDP daemon in a member namespace.
	pkgs+=(lldpd)
	# Node.js for the OpenAPI linter: any node with npm will do (some
	# machines carry a newer one than Debian's, which conflicts with
	# Debian's npm package).
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		pkgs+=(nodejs npm)
	fi
fi

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} Debian packages present"
	exit 0
fi

sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# bird2's package would start a BIRD in the root namespace; ixapi-rsd runs
# its own (and no test may meet a stray one): forbid service starts while
# installing, where nothing forbids them already, and keep it from booting.
policy_rc=/usr/sbin/policy-rc.d
made_policy=
if [[ " ${missing[*]} " == *" bird2 "* ]] && [ ! -e "$policy_rc" ]; then
	printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy_rc" >/dev/null
	"${sudo[@]}" chmod 755 "$policy_rc"
	made_policy=1
	trap '"${sudo[@]}" rm -f "$policy_rc"' EXIT
fi
if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
	"${sudo[@]}" apt-get update
	"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
if [[ " ${missing[*]} " == *" bird2 "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
	"${sudo[@]}" systemctl disable bird.service >/dev/null 2>&1 || true
fi
[ -z "$made_policy" ] || { "${sudo[@]}" rm -f "$policy_rc"; trap - EXIT; }
