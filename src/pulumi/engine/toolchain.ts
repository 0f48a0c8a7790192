// Which `pulumi` rollcall's processes run, when rollcall runs as a plain command (`npx rollcall …`)
// rather than through scripts/with-env.sh (which chooses the same way, scripts/lib/toolchain.sh):
//
// 1. A Pulumi CLI the user installed — the first `pulumi` on PATH — when it is at least the version
//    of the @pulumi/pulumi SDK rollcall is built with. It is used as it is: rollcall never writes
//    next to it, and the engine finds its own language host and dynamic-provider plugin beside it.
// 2. Otherwise rollcall's own build of that version in its cache (scripts/build-engine.sh), put first
//    on this process's PATH (inherited by the processes it starts; never the user's shell).
//
// How the engine finds a plugin (sdk/go/common/workspace/plugins.go, getPluginInfoAndPath, v3.259.0):
// a plugin declared in Pulumi.yaml's `plugins:`; else one on $PATH (unless
// PULUMI_IGNORE_AMBIENT_PLUGINS); else, for the bundled ones (the language hosts and the
// `pulumi-nodejs` dynamic provider, IsPluginBundled), the file next to the running `pulumi` after
// resolving symlinks; else the plugin cache in $PULUMI_HOME/plugins. A plugin found on $PATH that is
// not the one next to `pulumi` makes every run print "using … from $PATH", so rollcall adds the npm
// package's `pulumi-resource-pulumi-nodejs` to PATH only for a CLI that ships without one.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, realpathSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Engine {
  /** The `pulumi` executable. */
  pulumi: string;
  version: string;
  source: "installed" | "rollcall's build";
}

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** -1, 0, 1 for two versions like 3.259.0 (a pre-release suffix is ignored). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, "").split(/[-+]/)[0]!.split(".").map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  return 0;
}

export const engineCacheBin = (version: string, env: NodeJS.ProcessEnv = process.env) =>
  path.join(
    env.ROLLCALL_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "rollcall"),
    `pulumi-${version}`,
    "bin",
  );

const onPath = (name: string, dirs: string[]) => dirs.map((d) => path.join(d, name)).find(executable);

/**
 * Chooses the engine (above) for an SDK of `sdkVersion` and sets `env.PATH` so that a bare `pulumi`
 * is it and its dynamic-provider plugin is found. Undefined when there is none: set-up builds it.
 */
export function chooseEngine(
  projectRoot: string,
  sdkVersion: string,
  env: NodeJS.ProcessEnv = process.env,
  versionOf = pulumiVersion,
): Engine | undefined {
  const cacheBin = engineCacheBin(sdkVersion, env);
  const dirs = (env.PATH ?? "").split(path.delimiter).filter((d) => d && d !== cacheBin);
  const installed = onPath("pulumi", dirs);
  const installedVersion = installed ? versionOf(installed) : undefined;
  let engine: Engine | undefined;
  if (installed && installedVersion && compareVersions(installedVersion, sdkVersion) >= 0) {
    engine = { pulumi: installed, version: installedVersion, source: "installed" };
  } else if (executable(path.join(cacheBin, "pulumi"))) {
    env.PATH = [cacheBin, ...dirs].join(path.delimiter);
    return { pulumi: path.join(cacheBin, "pulumi"), version: sdkVersion, source: "rollcall's build" };
  }
  if (!engine) return undefined;
  const beside = path.dirname(realpathSync(engine.pulumi));
  const launcher = "pulumi-resource-pulumi-nodejs";
  const fromSdk = path.join(projectRoot, "node_modules/@pulumi/pulumi");
  if (!executable(path.join(beside, launcher)) && !onPath(launcher, dirs) && executable(path.join(fromSdk, launcher)))
    env.PATH = [...dirs, fromSdk].join(path.delimiter);
  return engine;
}

function pulumiVersion(pulumi: string): string | undefined {
  const r = spawnSync(pulumi, ["version"], {
    encoding: "utf8",
    timeout: 30_000,
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  return r.status === 0 ? r.stdout.trim().replace(/^v/, "") : undefined;
}

/** The SDK version rollcall is built with (its installed @pulumi/pulumi), or undefined without node_modules. */
export function sdkVersion(projectRoot: string): string | undefined {
  const file = path.join(projectRoot, "node_modules/@pulumi/pulumi/package.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** For the CLI: the engine on this process's PATH (for itself and what it starts); quiet when none. */
export function addCachedEngineToPath(projectRoot: string, env: NodeJS.ProcessEnv = process.env): Engine | undefined {
  const version = sdkVersion(projectRoot);
  if (!version) return undefined;
  env.PULUMI_SKIP_UPDATE_CHECK ??= "true";
  return chooseEngine(projectRoot, version, env);
}
