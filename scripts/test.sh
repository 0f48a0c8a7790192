#!/usr/bin/env bash
# Every test: type-check, then vitest (unit, simulator, and end-to-end through the real engine).
# The engine must be present: set-up built it; a missing engine fails here, it never skips.
set -euo pipefail
export PULUMI_HOME="$ROLLCALL_SCRATCH_PULUMI_HOME" # scratch engine home: never the user's login
command -v pulumi >/dev/null || { echo "test: the pulumi engine is missing (run make setup)" >&2; exit 1; }
[ "$(pulumi version)" = "v$ROLLCALL_PULUMI_VERSION" ] || { echo "test: pulumi $(pulumi version) on PATH, expected v$ROLLCALL_PULUMI_VERSION" >&2; exit 1; }
[ -x "$ROLLCALL_ACTIONLINT" ] || { echo "test: actionlint is missing at $ROLLCALL_ACTIONLINT (run make setup)" >&2; exit 1; }
"$ROLLCALL_ACTIONLINT" -color=false .github/workflows/*.yml
# zizmor at its default level, offline (no GitHub API): zero findings; each ignore is justified where it is.
[ -x "$ROLLCALL_ZIZMOR" ] || { echo "test: zizmor is missing at $ROLLCALL_ZIZMOR (run make setup)" >&2; exit 1; }
"$ROLLCALL_ZIZMOR" --offline --no-progress --color=never .github/workflows/*.yml .github/dependabot.yml
npx tsc -p tsconfig.json --noEmit
npx tsc -p test/tsconfig.json --noEmit
npx vitest run "$@"
