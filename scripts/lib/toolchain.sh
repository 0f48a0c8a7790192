# Internal to scripts/setup.sh and scripts/with-env.sh (the project's own make targets): where
# rollcall's toolchain is. Not for a user's shell: it exports no engine setting (rollcall's commands
# set those for the processes they start, src/pulumi/engine/pulumi-cli.ts), and it refuses an interactive
# shell. Outside make, run `npx rollcall …`; it finds the engine by itself (src/pulumi/engine/toolchain.ts).
case $- in *i*) echo "rollcall: scripts/lib/toolchain.sh is internal to set-up; run 'npx rollcall --help' instead" >&2; return 1 ;; esac

# Caches live outside the checkout (ROLLCALL_CACHE, default ~/.cache/rollcall) so a second clone on
# the same machine reuses Node and the engine build. Set-up writes nowhere else but the checkout
# and node_modules (and Go's and npm's own caches, through their clients).
ROLLCALL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROLLCALL_CACHE="${ROLLCALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rollcall}"
ROLLCALL_NODE_MAJOR=24

# Node: the project needs >= 22 (@pulumi/pulumi, undici 8, vitest 5). The `node` npm package ships
# the binary, so an older system Node is replaced by one from the npm registry, cached by major.
ROLLCALL_NODE_BIN="$ROLLCALL_CACHE/node-$ROLLCALL_NODE_MAJOR/node_modules/node/bin"
[ -x "$ROLLCALL_NODE_BIN/node" ] && case ":$PATH:" in *":$ROLLCALL_NODE_BIN:"*) ;; *) PATH="$ROLLCALL_NODE_BIN:$PATH" ;; esac

# The engine: at least the version of the @pulumi/pulumi in package-lock.json.
ROLLCALL_PULUMI_VERSION="$(sed -n '/"node_modules\/@pulumi\/pulumi"/,/"version"/s/.*"version": "\([^"]*\)".*/\1/p' "$ROLLCALL_ROOT/package-lock.json" | head -n1)"
ROLLCALL_ENGINE_BIN="$ROLLCALL_CACHE/pulumi-$ROLLCALL_PULUMI_VERSION/bin"

# A Pulumi CLI the user installed (the first `pulumi` on PATH outside rollcall's cache) when it is
# v$ROLLCALL_PULUMI_VERSION or newer: rollcall uses it as it is, with the plugins it ships with.
# Prints its path; nothing when there is none or it is older.
rollcall_installed_pulumi() {
  local p v
  p="$(PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$ROLLCALL_ENGINE_BIN" | paste -sd:)" command -v pulumi 2>/dev/null)" || return 0
  v="$("$p" version 2>/dev/null | sed 's/^v//')" || return 0
  [ -n "$v" ] && [ "$(printf '%s\n%s\n' "$ROLLCALL_PULUMI_VERSION" "$v" | sort -V | head -n1)" = "$ROLLCALL_PULUMI_VERSION" ] && printf '%s\n' "$p"
  return 0
}

# No installed CLI: rollcall's build in its cache (scripts/build-engine.sh), plugins beside it, first
# on PATH. An installed CLI that ships without the dynamic-provider plugin gets the @pulumi/pulumi
# package's on PATH (the engine's lookup order: src/pulumi/engine/toolchain.ts).
rollcall_use_engine() {
  local p l=pulumi-resource-pulumi-nodejs sdk="$ROLLCALL_ROOT/node_modules/@pulumi/pulumi"
  p="$(rollcall_installed_pulumi)"
  if [ -z "$p" ] && [ -x "$ROLLCALL_ENGINE_BIN/pulumi" ]; then
    case ":$PATH:" in *":$ROLLCALL_ENGINE_BIN:"*) ;; *) PATH="$ROLLCALL_ENGINE_BIN:$PATH" ;; esac
  elif [ -n "$p" ] && [ ! -x "$(dirname "$(readlink -f "$p")")/$l" ] && ! command -v "$l" >/dev/null && [ -x "$sdk/$l" ]; then
    PATH="$PATH:$sdk"
  fi
  return 0
}
rollcall_use_engine

# The demo, the tests and the benchmarks use a scratch Pulumi home (PULUMI_HOME, the engine's login
# and credentials), never the user's: scripts/test.sh, scripts/bench.sh and `make demo` set it.
ROLLCALL_SCRATCH_PULUMI_HOME="$ROLLCALL_CACHE/pulumi-home"

# Test tools `make test` installs into the cache, by version: actionlint (lints .github/workflows) and
# SeaweedFS's weed (the S3-compatible object store of the shared-backend e2e test).
ROLLCALL_ACTIONLINT_VERSION=v1.7.12
ROLLCALL_ACTIONLINT="$ROLLCALL_CACHE/actionlint-$ROLLCALL_ACTIONLINT_VERSION/actionlint"
# zizmor (the GitHub Actions security linter, PyPI) lints them too: a virtualenv in the cache, by version.
ROLLCALL_ZIZMOR_VERSION=1.32.0
ROLLCALL_ZIZMOR="$ROLLCALL_CACHE/zizmor-$ROLLCALL_ZIZMOR_VERSION/bin/zizmor"
ROLLCALL_WEED_VERSION=v0.0.0-20261109003541-7506e5f91cd6
ROLLCALL_WEED="$ROLLCALL_CACHE/seaweedfs-$ROLLCALL_WEED_VERSION/weed"
