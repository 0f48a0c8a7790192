#!/usr/bin/env bash
# Builds one Go command from the Go module proxy into a cache directory keyed by module version, so
# every clone on this machine reuses it (like the engine, see build-engine.sh). Bounded in time.
#
# Usage: build-go-tool.sh PACKAGE@VERSION OUT_BIN [TIMEOUT_SECONDS]
#   e.g. build-go-tool.sh github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 ~/.cache/rollcall/actionlint-v1.7.12/actionlint
set -euo pipefail
PKG_AT="$1"; OUT="$2"; LIMIT="${3:-1500}"
command -v go >/dev/null || { echo "rollcall: Go is needed to build ${PKG_AT%@*} (no 'go' on PATH). Install Go >= 1.25, or put the binary at $OUT." >&2; exit 1; }
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
mkdir -p "$(dirname "$OUT")"
tmp="$(dirname "$OUT")/gobin.$$"
mkdir -p "$tmp"
start=$(date +%s)
# `go install pkg@version` builds outside any module, exactly as the module's own go.mod pins it.
if ! GOBIN="$tmp" timeout "$LIMIT" go install -trimpath -ldflags "-s -w" "$PKG_AT" >&2; then
  rm -rf "$tmp"
  echo "rollcall: building $PKG_AT failed or took longer than ${LIMIT}s" >&2
  exit 1
fi
mv "$tmp/$(basename "${PKG_AT%@*}")" "$OUT"
rm -rf "$tmp"
echo "rollcall: built $PKG_AT in $(( $(date +%s) - start ))s -> $OUT" >&2
