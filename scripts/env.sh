# Sourced by every project command: puts the project's toolchain first on PATH and makes the Pulumi
# engine local and offline. Safe to source twice.
#
# Caches live outside the checkout (ROLLCALL_CACHE, default ~/.cache/rollcall) so a second clone on
# the same machine reuses Node and the engine build.
ROLLCALL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROLLCALL_CACHE="${ROLLCALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rollcall}"
ROLLCALL_NODE_MAJOR=24
export ROLLCALL_ROOT ROLLCALL_CACHE

# Node: the project needs >= 22 (@pulumi/pulumi, undici 8, vitest 5). The `node` npm package ships
# the binary, so an older system Node is replaced by one from the npm registry, cached by major.
ROLLCALL_NODE_BIN="$ROLLCALL_CACHE/node-$ROLLCALL_NODE_MAJOR/node_modules/node/bin"
[ -x "$ROLLCALL_NODE_BIN/node" ] && case ":$PATH:" in *":$ROLLCALL_NODE_BIN:"*) ;; *) PATH="$ROLLCALL_NODE_BIN:$PATH";; esac

# The Pulumi engine matching the @pulumi/pulumi in package-lock.json (see scripts/setup.sh).
if [ -f "$ROLLCALL_ROOT/package-lock.json" ]; then
  ROLLCALL_PULUMI_VERSION="$(sed -n '/"node_modules\/@pulumi\/pulumi"/,/"version"/s/.*"version": "\([^"]*\)".*/\1/p' "$ROLLCALL_ROOT/package-lock.json" | head -n1)"
  export ROLLCALL_PULUMI_VERSION
  ROLLCALL_ENGINE_BIN="$ROLLCALL_CACHE/pulumi-$ROLLCALL_PULUMI_VERSION/bin"
  [ -x "$ROLLCALL_ENGINE_BIN/pulumi" ] && case ":$PATH:" in *":$ROLLCALL_ENGINE_BIN:"*) ;; *) PATH="$ROLLCALL_ENGINE_BIN:$PATH";; esac
fi
export PATH

# Offline engine: no update check, no plugin downloads.
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
# PULUMI_HOME (the engine's login, credentials and workspace settings) is left to the user, so
# `rollcall preview --stack production` sees their own `pulumi login`. Only the demo, the tests and
# the benchmarks use a scratch home: scripts/test.sh, scripts/bench.sh and `make demo` set
# PULUMI_HOME=$ROLLCALL_SCRATCH_PULUMI_HOME; stacks on a local state folder get one of their own
# anyway (engineEnv in src/engine/pulumi-cli.ts).
export ROLLCALL_SCRATCH_PULUMI_HOME="$ROLLCALL_CACHE/pulumi-home"

# Go tools set-up builds into the cache, by version: actionlint (lints .github/workflows in the test
# command) and SeaweedFS's weed (the S3-compatible object store of the shared-backend e2e test).
export ROLLCALL_ACTIONLINT_VERSION=v1.7.12
export ROLLCALL_ACTIONLINT="$ROLLCALL_CACHE/actionlint-$ROLLCALL_ACTIONLINT_VERSION/actionlint"
# zizmor (the GitHub Actions security linter, PyPI) lints them too: a virtualenv in the cache, by version.
export ROLLCALL_ZIZMOR_VERSION=1.32.0
export ROLLCALL_ZIZMOR="$ROLLCALL_CACHE/zizmor-$ROLLCALL_ZIZMOR_VERSION/bin/zizmor"
export ROLLCALL_WEED_VERSION=v0.0.0-20261109003541-7506e5f91cd6
export ROLLCALL_WEED="$ROLLCALL_CACHE/seaweedfs-$ROLLCALL_WEED_VERSION/weed"

# The engine's fast path (why it is safe: src/engine/fast-path.ts, README "Large organizations"):
# the state is written once per run instead of after every step, and more steps run at once.
export PULUMI_SKIP_CHECKPOINTS="${PULUMI_SKIP_CHECKPOINTS:-true}"
export PULUMI_PARALLEL="${PULUMI_PARALLEL:-1024}"
# And the engine's Go runtime reclaims memory sooner (a quarter less peak memory at 10,000 resources).
export GOGC="${GOGC:-50}"
