#!/usr/bin/env bash
# `make test`'s two lanes, side by side, each part of the tests run once:
#   asan:  the sanitizer (ASan+UBSan) build's unit tests, integration tests
#          and adapter labs (make test-unit test-api), where ixapid,
#          ixapi-switchd and ixapi-rsd meet a real PostgreSQL, BIRD and
#          namespaces and a memory error is caught;
#   plain: the plain build's unit tests and end-to-end scripts (make
#          test-unit test-e2e: the deployment as an exchange runs it, and
#          `make run`);
# then each lane fuzzes half of the libFuzzer targets for FUZZ_SECONDS each
# (the lanes take about as long).
# They share nothing (each its own PostgreSQLs, free ports, per-run
# namespace names, its own build folder), and much of a lane is waiting
# (captures, BGP, timers). Every line is printed as it comes, prefixed with
# its lane and the seconds since the start; each lane's lines are kept in
# $BUILD/test-tier.log too, and a failed lane's failures and last lines are
# printed again at the very end, where a CI log's tail shows them.
# Usage: tests/run-tiers.sh MAKE [FUZZ_SECONDS]
set -uo pipefail
cd "$(dirname "$0")/.."
MAKE=${1:-make}
FUZZ=${2:-15}
SAN_CFLAGS="-O1 -g -fno-omit-frame-pointer"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
JOBS=$(nproc 2>/dev/null || echo 2)

# The three builds first, each on every core (compiling is CPU-bound; one
# build at a time keeps the compiler's messages apart).
$MAKE --no-print-directory -j"$JOBS" test-build BUILD=build || exit 1
$MAKE --no-print-directory -j"$JOBS" test-build BUILD=build/asan CFLAGS="$SAN_CFLAGS" SAN="$SAN" || exit 1
$MAKE --no-print-directory -j"$JOBS" fuzz-build BUILD=build || exit 1

start=$SECONDS
lane() { # name, log, command...
	local name=$1 log=$2
	shift 2
	: >"$log"
	"$@" 2>&1 | while IFS= read -r line; do
		printf '[%s %4ds] %s\n' "$name" $((SECONDS - start)) "$line" | tee -a "$log"
	done
	local rc=${PIPESTATUS[0]}
	echo "== $name lane: exit $rc after $((SECONDS - start)) s" | tee -a "$log"
	return "$rc"
}
asan_lane() {
	$MAKE --no-print-directory test-unit test-api BUILD=build/asan CFLAGS="$SAN_CFLAGS" SAN="$SAN" &&
		$MAKE --no-print-directory fuzz BUILD=build FUZZ_SECONDS="$FUZZ" FUZZ_TARGETS="json_body filters"
}
plain_lane() {
	$MAKE --no-print-directory test-unit test-e2e BUILD=build &&
		$MAKE --no-print-directory fuzz BUILD=build FUZZ_SECONDS="$FUZZ" FUZZ_TARGETS="gate_report agreement_callback"
}
# What a failed lane said: the lines that name a failure (a check's FAIL, a
# cmocka [  FAILED  ], a failed test program, a sanitizer's report, make's
# error), then its last lines.
failures() { # name, log
	echo "== the $1 lane failed ($2); the lines naming a failure:"
	grep -aE 'FAIL|ERROR: AddressSanitizer|runtime error:|LeakSanitizer|Error [0-9]+|Terminated|Aborted|Segmentation' "$2" | tail -n 60
	echo "== the last 60 lines of the $1 lane:"
	tail -n 60 "$2"
}
lane asan build/asan/test-tier.log asan_lane &
asan=$!
lane plain build/test-tier.log plain_lane &
plain=$!
wait "$asan"
rc_asan=$?
wait "$plain"
rc_plain=$?
[ "$rc_asan" = 0 ] || failures sanitizer build/asan/test-tier.log
[ "$rc_plain" = 0 ] || failures plain build/test-tier.log
echo "== sanitizer lane: exit $rc_asan; plain lane: exit $rc_plain; $((SECONDS - start)) s side by side"
[ "$rc_plain" = 0 ] && [ "$rc_asan" = 0 ]
