#!/usr/bin/env bash
# One idempotent set-up for every project command: Node >= 22, npm dependencies, the compiled
# TypeScript, and the Pulumi engine. Everything heavy is cached outside the checkout; a warm run
# takes seconds. Sources: the npm registry and the Go module proxy only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
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
  source scripts/env.sh
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

# The engine: a pulumi of exactly the SDK's version on PATH, else the cached build, else build it.
source scripts/env.sh
V="$ROLLCALL_PULUMI_VERSION"
have="$(pulumi version 2>/dev/null || true)"
if [ "$have" != "v$V" ]; then
  say "no pulumi v$V on PATH (found: ${have:-none}); building it from Go modules into $ROLLCALL_CACHE/pulumi-$V"
  start=$(date +%s)
  bash scripts/build-engine.sh "$V" "$ROLLCALL_CACHE/pulumi-$V" >&2
  say "engine built in $(( $(date +%s) - start ))s"
  source scripts/env.sh
fi
# Plugins the engine finds next to the pulumi binary:
# - the dynamic-provider launcher, which ships inside the @pulumi/pulumi npm package;
# - the Node.js language host: upstream's Go build when the proxy served it, else rollcall's own
#   (engine/pulumi-language-nodejs.js; see the comment at its top for why).
engine_dir="$(dirname "$(command -v pulumi)")"
install_plugin() { # $1 source, $2 name
  if ! cmp -s "$1" "$engine_dir/$2" 2>/dev/null; then cp "$1" "$engine_dir/$2.tmp$$" && chmod +x "$engine_dir/$2.tmp$$" && mv "$engine_dir/$2.tmp$$" "$engine_dir/$2"; fi
}
if [ -w "$engine_dir" ]; then
  install_plugin node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs pulumi-resource-pulumi-nodejs
  if [ -x "$engine_dir/pulumi-language-nodejs.go" ]; then
    install_plugin "$engine_dir/pulumi-language-nodejs.go" pulumi-language-nodejs
  else
    install_plugin engine/pulumi-language-nodejs.js pulumi-language-nodejs
  fi
fi
command -v pulumi-language-nodejs >/dev/null || { say "pulumi-language-nodejs is missing next to $(command -v pulumi)"; exit 1; }
command -v pulumi-resource-pulumi-nodejs >/dev/null || { say "pulumi-resource-pulumi-nodejs is missing next to $(command -v pulumi)"; exit 1; }
# Test tools from Go modules (zizmor from PyPI), cached by version (measured on 2 shared cores: actionlint ~40 s;
# weed several minutes, bounded by ROLLCALL_WEED_BUILD_TIMEOUT). ROLLCALL_SKIP_TEST_TOOLS=1 skips
# them for machines that only run rollcall (the workflows do: they never run the test suite).
if [ "${ROLLCALL_SKIP_TEST_TOOLS:-}" != 1 ]; then
  [ -x "$ROLLCALL_ACTIONLINT" ] || { say "building actionlint $ROLLCALL_ACTIONLINT_VERSION from Go modules"; bash scripts/build-go-tool.sh "github.com/rhysd/actionlint/cmd/actionlint@$ROLLCALL_ACTIONLINT_VERSION" "$ROLLCALL_ACTIONLINT" 600 >&2; }
  [ -x "$ROLLCALL_ZIZMOR" ] || { say "installing zizmor $ROLLCALL_ZIZMOR_VERSION from PyPI"; bash scripts/install-zizmor.sh "$ROLLCALL_ZIZMOR_VERSION" "$(dirname "$(dirname "$ROLLCALL_ZIZMOR")")" >&2; }
  [ -x "$ROLLCALL_WEED" ] || { say "building SeaweedFS weed $ROLLCALL_WEED_VERSION from Go modules (first time: several minutes)"; bash scripts/build-weed.sh "$ROLLCALL_WEED_VERSION" "$ROLLCALL_WEED" "${ROLLCALL_WEED_BUILD_TIMEOUT:-2400}" >&2; }
fi
say "ready: node $(node --version), pulumi $(pulumi version)"
