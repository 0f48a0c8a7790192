#!/usr/bin/env bash
# Builds the Pulumi CLI and the Node.js language host from Go modules (the Go module proxy only),
# into a cache outside the checkout keyed by version, so every clone on this machine reuses it.
#
# Why not `go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@vX`: pulumi's pkg/go.mod has
# replace directives, and `go install pkg@version` refuses those (golang/go#44840). A small wrapper
# module that repeats the one replace that matters builds the same binary.
#
# Usage: build-engine.sh VERSION OUT_DIR      (VERSION without the leading v, e.g. 3.259.0)
set -euo pipefail
V="$1"; OUT="$2"
command -v go >/dev/null || { echo "rollcall: Go is needed to build the Pulumi CLI v$V (no 'go' on PATH). Install Go >= 1.25.11, or put pulumi v$V on PATH." >&2; exit 1; }

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
WORK="$OUT.build"
rm -rf "$WORK"; mkdir -p "$WORK/cli" "$WORK/langhost" "$OUT/bin"
LD="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$V"
CLIPBOARD=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e

wrapper() { # $1 dir, $2 module name
  (cd "$1" && go mod init "$2" >/dev/null 2>&1 &&
   go mod edit -go=1.25.11 -replace "github.com/atotto/clipboard=$CLIPBOARD" \
     -require "github.com/pulumi/pulumi/pkg/v3@v$V" -require "github.com/pulumi/pulumi/sdk/v3@v$V")
}

echo "rollcall: building pulumi v$V from Go modules (first time on this machine: several minutes)…"
wrapper "$WORK/cli" local/pulumi-cli
(cd "$WORK/cli" && go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$V" &&
  go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LD" -o "$OUT/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)

# The Node.js language host (module …/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is never tagged: it
# resolves only as a pseudo-version at the commit of the pkg/vX tag. Where the proxy serves it, build
# it; where it refuses (as the one reachable here does: "403 … This module version is not
# available"), rollcall's own host, engine/pulumi-language-nodejs.js, is installed by setup.sh.
PKGCOMMIT=$(cd "$WORK/cli" && go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$V" | sed -n 's/.*"Hash": "\([0-9a-f]\{12\}\).*/\1/p' | head -n1)
LANGHOST=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
wrapper "$WORK/langhost" local/pulumi-langhost
if [ -n "$PKGCOMMIT" ] && (cd "$WORK/langhost" && go get "$LANGHOST@$PKGCOMMIT" >/dev/null 2>&1); then
  (cd "$WORK/langhost" && go mod edit -require "github.com/pulumi/pulumi/pkg/v3@v$V" -require "github.com/pulumi/pulumi/sdk/v3@v$V" &&
    go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LD" -o "$OUT/bin/pulumi-language-nodejs.go" "$LANGHOST")
else
  echo "rollcall: the Go module proxy does not serve $LANGHOST@${PKGCOMMIT:-?}; using rollcall's Node.js language host"
fi

"$OUT/bin/pulumi" version
rm -rf "$WORK"
