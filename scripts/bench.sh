#!/usr/bin/env bash
# Benchmarks: commands that print figures (and ratios against a baseline measured in the same run).
set -euo pipefail
echo "== reconcile ${BENCH_USERS:-200} Control Room users through the engine"
node dist/bench/reconcile.js
