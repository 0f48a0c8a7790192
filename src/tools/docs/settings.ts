// The settings the code reads, found in the code itself, for the check that docs/configuration.md
// lists each one and nothing else: stack config keys (`rollcall:<key>`) with their environment
// fallbacks, and environment variables read on their own. The code names them in three ways:
// `key: "ROLLCALL_X"` tables (read through setting()), httpKeys() (per platform), and literals.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { httpKeys } from "../../core/config";

export interface CodeSettings {
  /** rollcall:<key> → its environment variable, when it has one. */
  config: Map<string, string | undefined>;
  /** Every ROLLCALL_* variable the code reads. */
  env: Set<string>;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

/** Settings read by the product: src/ without src/tools (benchmarks and checks) and src/sim (the simulators' own). */
export function settingsInCode(srcDir: string): CodeSettings {
  const config = new Map<string, string | undefined>();
  const env = new Set<string>();
  const files = sources(srcDir).filter((f) => !/[\\/]src[\\/](tools|sim)[\\/]/.test(f));
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\b([a-z][A-Za-z]+): "(ROLLCALL_[A-Z0-9_]+)"/g)) config.set(m[1]!, m[2]!);
    for (const m of text.matchAll(/\bsetting\([^,()]+, "([a-zA-Z]+)"/g)) if (!config.has(m[1]!)) config.set(m[1]!, undefined);
    for (const m of text.matchAll(/"rollcall:([a-zA-Z]+)"/g)) if (!config.has(m[1]!)) config.set(m[1]!, undefined);
    // A whole name, not a prefix completed elsewhere (httpKeys builds ROLLCALL_ANYPOINT_…).
    for (const m of text.matchAll(/\b(ROLLCALL_[A-Z0-9_]*[A-Z0-9])\b(?![`$])/g)) env.add(m[1]!);
  }
  for (const platform of ["controlRoom", "anypoint"] as const)
    for (const [key, envName] of Object.values(httpKeys(platform))) config.set(key, envName);
  for (const envName of config.values()) if (envName) env.add(envName);
  for (const prefix of ["ROLLCALL_ANYPOINT", "ROLLCALL_CONTROLROOM"]) env.delete(prefix);
  return { config, env };
}

/** The table rows of a Markdown page: the `rollcall:<key>` and `ROLLCALL_*` names in each row's first two cells. */
export function settingsInDocs(markdown: string): { config: Map<string, string[]>; env: Set<string> } {
  const config = new Map<string, string[]>();
  const env = new Set<string>();
  for (const line of markdown.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (!line.startsWith("|") || cells.length < 4) continue;
    const keys = [...cells[1]!.matchAll(/`rollcall:([a-zA-Z]+)`/g)].map((m) => m[1]!);
    const envs = [...cells[2]!.matchAll(/`(ROLLCALL_[A-Z0-9_]+)`/g)].map((m) => m[1]!);
    keys.forEach((k) => config.set(k, envs));
    envs.forEach((e) => env.add(e));
  }
  return { config, env };
}
