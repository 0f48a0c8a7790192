#!/usr/bin/env bash
# Runs a command with the project's toolchain and engine environment (see env.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROLLCALL_ROOT"
exec "$@"
