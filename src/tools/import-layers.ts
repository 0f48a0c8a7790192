// The layering rule, enforced (issue #20): every import runs one way.
//   core (src/core: config, http, model, util, batch)       depends on nothing of rollcall's
//   pulumi (src/pulumi: shim, SDK patches, engine driver)    on core
//   providers (src/providers/<platform>)                     on core and pulumi; never another platform
//   features (src/features: safety, plan, report, …)         on the above
//   program (src/program) and the entry points the stored shims load (src/providers/*/provider.ts,
//   a path deployed states hold) — the composition root      on the above
//   cli (src/cli)                                            on everything of the product, and sim (demo, sim)
//   sim (simulators, harness, demo) and tools (bench, figures) are outside the product: nothing in
//   the product imports them (but the CLI's demo and sim commands), they may import the product.
// `test/import-layers.test.ts` runs this over src/ in `make test`; `node dist/tools/import-layers.js`
// prints the same list.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export type Layer = "core" | "pulumi" | "providers" | "features" | "program" | "cli" | "sim" | "tools";

const RANK: Record<Layer, number> = { core: 0, pulumi: 1, providers: 2, features: 3, program: 4, cli: 5, sim: 6, tools: 7 };

/** The layer of a file (path relative to the repository, posix), or undefined outside src/. */
export function layerOf(file: string): Layer | undefined {
  if (/^src\/providers\/[^/]+\/provider\.ts$/.test(file)) return "program";
  const top = /^src\/([^/]+)\//.exec(file)?.[1];
  return top && top in RANK ? (top as Layer) : undefined;
}

function allowed(from: Layer, to: Layer): boolean {
  if (from === "tools") return true;
  if (from === "sim") return to !== "cli" && to !== "tools";
  if (from === "cli") return to !== "tools";
  if (to === "sim" || to === "tools" || to === "cli") return false;
  return RANK[to] <= RANK[from];
}

export interface Violation {
  file: string;
  line: number;
  target: string;
  message: string;
}

const SPEC = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']*|\.{1,2})["']/gm;

/** Every import in `files` (path → text) that goes the wrong way, with file:line. */
export function importViolations(files: Map<string, string>): Violation[] {
  const out: Violation[] = [];
  const resolve = (abs: string) => ["", ".ts", "/index.ts"].map((s) => abs + s).find((c) => files.has(c)) ?? abs;
  for (const [file, text] of files) {
    const from = layerOf(file);
    if (!from) continue;
    for (const m of text.matchAll(SPEC)) {
      const target = resolve(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)));
      const to = layerOf(target);
      const line = text.slice(0, m.index).split("\n").length;
      let why: string | undefined;
      if (!to) why = `${from} may import only from src/`;
      else if (!allowed(from, to)) why = `${from} must not import ${to}`;
      else if (from === "providers" && to === "providers" && target.split("/")[2] !== file.split("/")[2])
        why = "a platform must not import another platform";
      if (why)
        out.push({ file, line, target, message: `${file}:${line}: imports ${target} — ${why} (layers: src/tools/import-layers.ts)` });
    }
  }
  return out;
}

/** The .ts files under `root`/src, keyed by repository-relative posix path. */
export function sourceFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const e of readdirSync(path.join(root, "src"), { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith(".ts")) continue;
    const abs = path.join(e.parentPath, e.name);
    files.set(path.relative(root, abs).split(path.sep).join("/"), readFileSync(abs, "utf8"));
  }
  return files;
}

if (require.main === module) {
  const violations = importViolations(sourceFiles(path.resolve(__dirname, "../..")));
  for (const v of violations) process.stderr.write(`${v.message}\n`);
  process.exitCode = violations.length ? 1 : 0;
}
