#!/usr/bin/env bash
# Every test: type-check, then vitest (unit, simulator, and end-to-end through the real engine).
# The engine must be present: set-up built it or found an installed one; a missing engine fails
# here, it never skips.
set -euo pipefail
export PULUMI_HOME="$ROLLCALL_SCRATCH_PULUMI_HOME" # scratch engine home: never the user's login
command -v pulumi >/dev/null || { echo "test: the pulumi engine is missing (run make setup)" >&2; exit 1; }
echo "test: engine $(command -v pulumi) $(pulumi version)" >&2
[ -x "$ROLLCALL_ACTIONLINT" ] || { echo "test: actionlint is missing at $ROLLCALL_ACTIONLINT (run make test, which builds it)" >&2; exit 1; }
"$ROLLCALL_ACTIONLINT" -color=false .github/workflows/*.yml
# zizmor at its default level, offline (no GitHub API): zero findings; each ignore is justified where it is.
[ -x "$ROLLCALL_ZIZMOR" ] || { echo "test: zizmor is missing at $ROLLCALL_ZIZMOR (run make test, which installs it)" >&2; exit 1; }
"$ROLLCALL_ZIZMOR" --offline --no-progress --color=never .github/workflows/*.yml .github/dependabot.yml
# The formatter's style (Prettier, .prettierrc.json; data, fixtures and docs keep their lines: .prettierignore).
npx prettier --check --log-level warn . || { echo "test: code not formatted; run npx prettier --write ." >&2; exit 1; }
npx tsc -p tsconfig.json --noEmit
npx tsc -p test/tsconfig.json --noEmit
npx vitest run "$@"
