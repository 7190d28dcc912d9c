#!/usr/bin/env bash
# The two test tiers of `make test` at once: the plain build and the
# sanitizer (ASan+UBSan) build, each through every tier (unit, integration,
# adapter labs, end to end). They share nothing (each its own PostgreSQL,
# free ports, per-run namespace names, its own build folder), and much of a
# tier is waiting (captures, BGP, timers), so running them side by side
# takes about as long as the longer one instead of their sum. Every line is
# printed as it comes, prefixed with its tier and the seconds since the
# start; a tier's exit status is its make's. Usage: tests/run-tiers.sh MAKE
set -uo pipefail
cd "$(dirname "$0")/.."
MAKE=${1:-make}
SAN_CFLAGS="-O1 -g -fno-omit-frame-pointer"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"

# Both builds first, one after the other (compiling is CPU-bound: two at once
# gain nothing on two cores and interleave the compiler's messages).
$MAKE --no-print-directory test-build BUILD=build || exit 1
$MAKE --no-print-directory test-build BUILD=build/asan CFLAGS="$SAN_CFLAGS" SAN="$SAN" || exit 1

start=$SECONDS
tier() { # name, make arguments...
	local name=$1
	shift
	"$MAKE" --no-print-directory test-tier "$@" 2>&1 | while IFS= read -r line; do
		printf '[%s %4ds] %s\n' "$name" $((SECONDS - start)) "$line"
	done
	return "${PIPESTATUS[0]}"
}
tier plain BUILD=build &
plain=$!
tier asan BUILD=build/asan CFLAGS="$SAN_CFLAGS" SAN="$SAN" &
asan=$!
wait "$plain"
rc_plain=$?
echo "== plain tier: exit $rc_plain after $((SECONDS - start)) s"
wait "$asan"
rc_asan=$?
echo "== sanitizer tier: exit $rc_asan after $((SECONDS - start)) s"
[ "$rc_plain" = 0 ] && [ "$rc_asan" = 0 ]
