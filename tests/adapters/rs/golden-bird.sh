#!/usr/bin/env bash
# BIRD itself parses every golden configuration of the renderer
# (tests/adapters/rs/golden/, compared byte for byte by
# server/adapters/rs/rs_render_test.c): `bird -p -c FILE` reads and checks a
# configuration and exits, without starting a daemon or touching a socket.
set -uo pipefail
cd "$(dirname "$0")/../../.."
command -v bird >/dev/null || {
	echo "golden-bird: bird (Debian's bird2) is missing (scripts/install-deps.sh)" >&2
	exit 1
}
failed=0 n=0
for f in tests/adapters/rs/golden/*.conf; do
	n=$((n + 1))
	if ! out=$(bird -p -c "$f" 2>&1); then
		echo "  FAIL: $f: $out"
		failed=$((failed + 1))
	fi
done
[ "$n" -gt 0 ] || { echo "golden-bird: no golden files" >&2; exit 1; }
[ "$failed" = 0 ] || exit 1
echo "golden-bird: bird -p accepts all $n golden configurations"
