#!/usr/bin/env bash
# clang-format with our .clang-format leaves string literals whole: SQL and
# messages longer than the column limit are not cut into pieces (a fragment
# cut mid-word cannot be grepped or read). Fails when `make format` would
# split one of the literals below. Usage: tests/check-format.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: clang-format is missing (scripts/install-deps.sh --test)" >&2; exit 1; }
sample=$(cat <<'C'
static const char *const sample_sql =
	"SELECT c.id, c.state, c.managing_account, c.consuming_account, c.billing_account, c.name FROM connections c WHERE owner_in_scope(c.managing_account, c.consuming_account, $1, $2)";

static void sample(void)
{
	LOG_WARN("a message that is longer than one hundred and twenty columns and must stay in one piece, as written: %d", 1);
}
C
)
formatted=$(printf '%s\n' "$sample" | clang-format --style=file --assume-filename=server/format_sample.c)
# Lines may move (arguments wrap); every literal must come out whole.
split=0
while IFS= read -r literal; do
	if ! grep -qF -- "$literal" <<<"$formatted"; then
		echo "check-format: clang-format splits $literal" >&2
		split=1
	fi
done < <(grep -o '"[^"]*"' <<<"$sample")
if [ "$split" != 0 ]; then
	echo "check-format: set BreakStringLiterals: false in .clang-format; clang-format made of it:" >&2
	printf '%s\n' "$formatted" >&2
	exit 1
fi
echo "check-format: string literals stay whole"
