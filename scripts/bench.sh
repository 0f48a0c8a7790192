#!/usr/bin/env bash
# Benchmarks: commands that print figures, with ratios against a baseline measured in the same run.
set -euo pipefail
export PULUMI_HOME="$ROLLCALL_SCRATCH_PULUMI_HOME" # scratch engine home: never the user's login
echo "== validate users.yaml (${BENCH_PEOPLE:-5000} people)"
node dist/tools/bench/validate.js
echo
echo "== reconcile ${BENCH_USERS:-200} Control Room users through the engine"
node dist/tools/bench/reconcile.js
echo
echo "== remove ${BENCH_REMOVALS:-200} Anypoint people: engine defaults vs skipped checkpoints"
node dist/tools/bench/anypoint-removal.js
