#!/usr/bin/env bash
# Builds SeaweedFS's `weed` (the S3-compatible object store the shared-backend e2e test runs) from
# the Go module proxy into a cache directory keyed by its version. Bounded in time.
#
# Why not `go install …/weed@version`: seaweedfs's go.mod has a replace directive, which
# `go install pkg@version` refuses (golang/go#44840). The module's own source, downloaded from the
# proxy, is built as the main module instead: the same dependency versions its go.sum pins.
#
# Usage: build-weed.sh VERSION OUT_BIN [TIMEOUT_SECONDS]
set -euo pipefail
V="$1"; OUT="$2"; LIMIT="${3:-2400}"
command -v go >/dev/null || { echo "rollcall: Go is needed to build SeaweedFS (no 'go' on PATH). Install Go >= 1.26, or put weed at $OUT." >&2; exit 1; }
export GOTOOLCHAIN=local CGO_ENABLED=0
start=$(date +%s)
dir="$(GOFLAGS=-mod=mod go mod download -json "github.com/seaweedfs/seaweedfs@$V" | sed -n 's/.*"Dir": "\(.*\)",*$/\1/p')"
[ -d "$dir" ] || { echo "rollcall: the Go module proxy did not serve github.com/seaweedfs/seaweedfs@$V" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"
(cd "$dir" && GOFLAGS=-mod=readonly timeout "$LIMIT" go build -trimpath -ldflags "-s -w" -o "$OUT.tmp$$" ./weed) ||
  { rm -f "$OUT.tmp$$"; echo "rollcall: building weed $V failed or took longer than ${LIMIT}s" >&2; exit 1; }
mv "$OUT.tmp$$" "$OUT"
echo "rollcall: built weed $V in $(( $(date +%s) - start ))s -> $OUT" >&2
