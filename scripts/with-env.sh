#!/usr/bin/env bash
# Runs one of the project's own commands (the make targets, the tests, the benchmarks) with rollcall's
# toolchain on PATH: Node >= 22 and the engine (scripts/lib/toolchain.sh). It is a wrapper, never
# sourced, so nothing it sets reaches the caller's shell; the engine's settings (fast path, offline
# flags, GOGC) are set by rollcall for the processes it starts (src/pulumi/engine/pulumi-cli.ts).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
export PATH ROLLCALL_ROOT ROLLCALL_CACHE ROLLCALL_PULUMI_VERSION ROLLCALL_SCRATCH_PULUMI_HOME ROLLCALL_ACTIONLINT ROLLCALL_ZIZMOR ROLLCALL_WEED
cd "$ROLLCALL_ROOT"
exec "$@"
