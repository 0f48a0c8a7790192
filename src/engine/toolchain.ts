// Where the engine is when rollcall runs as a plain command (`npx rollcall …`) rather than through
// scripts/with-env.sh: set-up builds pulumi into the cache (scripts/setup.sh), so the cached build
// of the SDK's version goes on PATH after anything already there — a pulumi the user installed wins.
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function addCachedEngineToPath(projectRoot: string, env: NodeJS.ProcessEnv = process.env): void {
  let version: string;
  try {
    version = (JSON.parse(readFileSync(path.join(projectRoot, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;
  } catch {
    return;
  }
  const cache = env.ROLLCALL_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "rollcall");
  const bin = path.join(cache, `pulumi-${version}`, "bin");
  const parts = (env.PATH ?? "").split(path.delimiter);
  if (existsSync(path.join(bin, "pulumi")) && !parts.includes(bin)) env.PATH = [...parts, bin].join(path.delimiter);
  env.PULUMI_SKIP_UPDATE_CHECK ??= "true";
}
