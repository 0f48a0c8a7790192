#!/usr/bin/env bash
# One idempotent set-up for every project command: Node >= 22, npm dependencies, the compiled
# TypeScript, and the Pulumi engine; with --test-tools (make test), also the tools only the tests
# use. Everything heavy is cached outside the checkout; a warm run takes seconds. Sources: the npm
# registry and the Go module proxy only.
#
# It writes nothing outside the checkout, node_modules and rollcall's cache (ROLLCALL_CACHE, default
# ~/.cache/rollcall): a Pulumi CLI the user installed is used as it is, never modified
# (test/setup-leaves-pulumi.test.ts checks that a writable one stays byte for byte the same).
set -euo pipefail
TEST_TOOLS=0
for arg in "$@"; do
  case "$arg" in
    --test-tools) TEST_TOOLS=1 ;;
    *) echo "setup: unknown option '$arg' (usage: scripts/setup.sh [--test-tools])" >&2; exit 2 ;;
  esac
done
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
cd "$ROLLCALL_ROOT"
say() { printf 'setup: %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$ROLLCALL_NODE_BIN/node" ]; then
    command -v npm >/dev/null || { say "no npm on PATH: install Node.js (any version with npm) so set-up can fetch Node $ROLLCALL_NODE_MAJOR"; exit 1; }
    say "Node $(node --version 2>/dev/null || echo none) is older than 22; installing Node $ROLLCALL_NODE_MAJOR from the npm registry into $ROLLCALL_CACHE"
    mkdir -p "$ROLLCALL_CACHE/node-$ROLLCALL_NODE_MAJOR"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$ROLLCALL_CACHE/node-$ROLLCALL_NODE_MAJOR" "node@$ROLLCALL_NODE_MAJOR" >&2
  fi
  PATH="$ROLLCALL_NODE_BIN:$PATH"
  [ "$(node_major)" -ge 22 ] || { say "Node $ROLLCALL_NODE_MAJOR was installed but 'node' still reports $(node --version)"; exit 1; }
fi

# npm dependencies: reinstall only when the lock file changed since the last install.
stamp=node_modules/.rollcall-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  # No install scripts: no dependency needs one (protobufjs's postinstall only prints a version
  # warning), and a dependency's install script would run with whatever the environment holds.
  say "installing npm dependencies (npm ci --ignore-scripts)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json "$stamp"
fi

# Compile TypeScript: the Pulumi program runs the compiled JS (fast start, no ts-node).
say "compiling TypeScript"
npx tsc -p tsconfig.json >&2
chmod +x dist/cli/rollcall.js # the package's `bin`: `npx rollcall …`

# The engine. A Pulumi CLI the user installed, v$V or newer, is used as it is: its own language host
# and dynamic-provider plugin (shipped next to it; the engine looks there, see
# src/pulumi/engine/toolchain.ts). With none, rollcall's own build in its cache, built once from Go modules.
V="$ROLLCALL_PULUMI_VERSION"
installed="$(rollcall_installed_pulumi)"
if [ -n "$installed" ]; then
  engine="$installed ($("$installed" version), installed; used as it is)"
else
  if [ ! -x "$ROLLCALL_ENGINE_BIN/pulumi" ]; then
    say "no Pulumi CLI v$V or newer on PATH (found: $(command -v pulumi >/dev/null && pulumi version 2>/dev/null || echo none)); building v$V from Go modules into $ROLLCALL_CACHE/pulumi-$V"
    start=$(date +%s)
    bash scripts/build-engine.sh "$V" "$ROLLCALL_CACHE/pulumi-$V" >&2
    say "engine built in $(( $(date +%s) - start ))s"
  fi
  # Its plugins go beside it, in the cache: the engine finds a bundled plugin next to the running
  # `pulumi` (sdk/go/common/workspace/plugins.go, IsPluginBundled). The dynamic-provider launcher
  # ships inside the @pulumi/pulumi npm package; the Node.js language host is upstream's Go build when
  # the module proxy served it, else rollcall's own (engine/pulumi-language-nodejs.js; see its top).
  install_plugin() { # $1 source, $2 name: into rollcall's cache only
    if ! cmp -s "$1" "$ROLLCALL_ENGINE_BIN/$2" 2>/dev/null; then
      cp "$1" "$ROLLCALL_ENGINE_BIN/$2.tmp$$" && chmod +x "$ROLLCALL_ENGINE_BIN/$2.tmp$$" && mv "$ROLLCALL_ENGINE_BIN/$2.tmp$$" "$ROLLCALL_ENGINE_BIN/$2"
    fi
  }
  install_plugin node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs pulumi-resource-pulumi-nodejs
  if [ -x "$ROLLCALL_ENGINE_BIN/pulumi-language-nodejs.go" ]; then
    install_plugin "$ROLLCALL_ENGINE_BIN/pulumi-language-nodejs.go" pulumi-language-nodejs
  else
    install_plugin engine/pulumi-language-nodejs.js pulumi-language-nodejs
  fi
  engine="$ROLLCALL_ENGINE_BIN/pulumi ($("$ROLLCALL_ENGINE_BIN/pulumi" version), rollcall's build)"
fi

# Tools only the tests use, from Go modules (zizmor from PyPI), cached by version (measured on 2 shared cores:
# actionlint ~40 s; weed several minutes, bounded by ROLLCALL_WEED_BUILD_TIMEOUT): `make test` asks
# for them, `make demo` and rollcall's commands never need them.
if [ "$TEST_TOOLS" = 1 ]; then
  [ -x "$ROLLCALL_ACTIONLINT" ] || { say "building actionlint $ROLLCALL_ACTIONLINT_VERSION from Go modules"; bash scripts/build-go-tool.sh "github.com/rhysd/actionlint/cmd/actionlint@$ROLLCALL_ACTIONLINT_VERSION" "$ROLLCALL_ACTIONLINT" 600 >&2; }
  [ -x "$ROLLCALL_ZIZMOR" ] || { say "installing zizmor $ROLLCALL_ZIZMOR_VERSION from PyPI"; bash scripts/install-zizmor.sh "$ROLLCALL_ZIZMOR_VERSION" "$(dirname "$(dirname "$ROLLCALL_ZIZMOR")")" >&2; }
  [ -x "$ROLLCALL_WEED" ] || { say "building SeaweedFS weed $ROLLCALL_WEED_VERSION from Go modules (first time: several minutes)"; bash scripts/build-weed.sh "$ROLLCALL_WEED_VERSION" "$ROLLCALL_WEED" "${ROLLCALL_WEED_BUILD_TIMEOUT:-2400}" >&2; }
fi
say "ready: node $(node --version), pulumi $engine"
