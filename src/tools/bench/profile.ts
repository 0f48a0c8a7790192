// Profile: where the program and provider processes spend CPU and memory at N people. Seeds both
// simulators with everyone, runs the adopting first `up` (not profiled), then runs one command with
// every Node process of the run under V8's CPU and sampling heap profilers, and prints the top
// self-time and top live-allocation sites, grouped by source (rollcall's code, @pulumi/pulumi,
// grpc, protobuf, …) so a stranger sees what a resource costs before guessing.
//
//   node dist/tools/bench/profile.js [--people 1000] [--command preview|up|refresh] [--out bench-results]
//
// make profile N=1000 COMMAND=preview
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT, ProjectStack } from "../../pulumi/engine/pulumi-cli";
import { badRecordName, recordFigures } from "../figures/record";
import { seededSimulators, stackEnv, usersYaml } from "./org";
import { runScript, UsageError, type CommandSpec } from "../../core/cli-args";

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}
interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Where a frame's code lives, coarse enough to read at a glance. */
export function sourceOf(url: string): string {
  if (!url) return "(native / V8)";
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith("node:")) return "node";
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return `rollcall ${dist[1]}`;
  return url.replace(/^file:\/\//, "");
}

/** Self time per source and per function of one CPU profile, in milliseconds. */
export function cpuBySource(profile: CpuProfile): { total: number; sources: Map<string, number>; functions: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => ms.set(id, (ms.get(id) ?? 0) + (deltas[i] ?? 0) / 1000));
  const sources = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, t] of ms) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === "(idle)" || frame.functionName === "(program)") continue;
    total += t;
    const src = sourceOf(frame.url);
    sources.set(src, (sources.get(src) ?? 0) + t);
    const fn = `${frame.functionName || "(anonymous)"} ${src}:${frame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + t);
  }
  return { total, sources, functions };
}

/** Bytes still allocated at exit per source and per allocation site of one heap profile. */
export function heapBySource(root: HeapNode): { total: number; sources: Map<string, number>; sites: Map<string, number> } {
  const sources = new Map<string, number>();
  const sites = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode) => {
    if (n.selfSize) {
      total += n.selfSize;
      const src = sourceOf(n.callFrame.url);
      sources.set(src, (sources.get(src) ?? 0) + n.selfSize);
      const site = `${n.callFrame.functionName || "(anonymous)"} ${src}:${n.callFrame.lineNumber + 1}`;
      sites.set(site, (sites.get(site) ?? 0) + n.selfSize);
    }
    n.children.forEach(walk);
  };
  walk(root);
  return { total, sources, sites };
}

const top = (m: Map<string, number>, k: number, unit: (v: number) => string) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, v]) => `  ${unit(v).padStart(10)}  ${name}`)
    .join("\n");

const COMMAND_ARGS = {
  preview: ["preview"],
  up: ["up", "--yes", "--skip-preview"],
  refresh: ["refresh", "--yes", "--skip-preview"],
} as const;

export const PROFILE_SPEC = {
  name: "node dist/tools/bench/profile.js",
  summary: "Seeds N people, adopts them, then profiles one engine command (V8 CPU and heap profiles of every Node process of the run).",
  options: {
    people: { type: "string", value: "N", help: "people to seed (default 1000)" },
    command: { type: "string", value: "preview|up|refresh", help: "the command to profile (default preview)" },
    out: { type: "string", value: "DIR", help: "where the report goes (default bench-results)" },
    "record-as": { type: "string", value: "NAME", help: "also record the CPU figures in measurements/NAME.json" },
  },
} satisfies CommandSpec;

function main(): void {
  runScript(PROFILE_SPEC, async ({ values }) => {
    const n = Number(values.people ?? "1000");
    const command = values.command ?? "preview";
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--people takes a whole number of at least 1, not '${values.people}'`, PROFILE_SPEC.name);
    if (!Object.hasOwn(COMMAND_ARGS, command))
      throw new UsageError(`--command takes preview, up or refresh, not '${command}'`, PROFILE_SPEC.name);
    const recordAs = values["record-as"];
    const badName = recordAs === undefined ? undefined : badRecordName(recordAs);
    if (badName) throw new UsageError(badName, PROFILE_SPEC.name);
    await profile(n, command as keyof typeof COMMAND_ARGS, path.resolve(values.out ?? "bench-results"), recordAs);
    return 0;
  });
}

/** Libraries that run rollcall's own work (reading users.yaml, validating it, calling the platforms), counted with its code. */
const ROLLCALL_LIBRARIES = new Set(["yaml", "ajv", "undici"]);

/** Which process a profile is: the program (it ran src/program/) or the dynamic provider (it ran src/providers/). */
export function processRole(functions: Map<string, number>): "program" | "provider" | undefined {
  const names = [...functions.keys()];
  if (names.some((f) => f.includes(" rollcall program/"))) return "program";
  if (names.some((f) => f.includes(" rollcall providers/"))) return "provider";
  return undefined;
}

/** CPU seconds of rollcall's own code (its modules and ROLLCALL_LIBRARIES) and of everything else (SDK, gRPC, protobuf, GC, Node). */
export function ownAndOther(sources: Map<string, number>): { own: number; other: number } {
  let own = 0;
  let other = 0;
  for (const [source, ms] of sources) {
    if (source.startsWith("rollcall ") || ROLLCALL_LIBRARIES.has(source)) own += ms / 1000;
    else other += ms / 1000;
  }
  return { own, other };
}

async function profile(n: number, command: keyof typeof COMMAND_ARGS, out: string, recordAs?: string): Promise<void> {
  const args = [...COMMAND_ARGS[command]];
  const work = mkdtempSync(path.join(os.tmpdir(), `rollcall-profile-${n}-`));
  const profDir = path.join(work, "profiles");
  mkdirSync(profDir);
  const { cr, ap } = await seededSimulators(n, 0);
  const usersFile = path.join(work, "users.yaml");
  writeFileSync(usersFile, usersYaml(n));
  const env = stackEnv(cr, ap, usersFile, n);
  const stack = (extra: Record<string, string>) =>
    new ProjectStack({
      stack: "profile",
      stateDir: path.join(work, "state"),
      projectDir: path.join(work, "project"),
      env: { ...env, ...extra },
    });
  try {
    await stack({}).init();
    const adopted = await stack({}).up();
    if (adopted.code !== 0) throw new Error(`adopting up failed:\n${adopted.stdout.slice(-2000)}\n${adopted.stderr.slice(-2000)}`);
    process.stderr.write(`profile: ${n} people adopted; profiling pulumi ${args.join(" ")}\n`);
    const t = performance.now();
    const preload = path.join(__dirname, "exit-on-signal.js");
    const nodeOptions = `--require=${preload} --cpu-prof --cpu-prof-dir=${profDir} --heap-prof --heap-prof-dir=${profDir}`;
    const r = await stack({ NODE_OPTIONS: nodeOptions }).run(args);
    const seconds = (performance.now() - t) / 1000;
    if (r.code !== 0) throw new Error(`profiled command failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);

    const report: string[] = [
      `# profile: pulumi ${args.join(" ")} at ${n} people (${(2 * n).toLocaleString("en")} resources), ${seconds.toFixed(1)} s`,
      "",
    ];
    // One pair of files per Node process (program, dynamic providers, the language host); largest first.
    const files = readdirSync(profDir);
    const cpus = files
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => ({ f, p: cpuBySource(JSON.parse(readFileSync(path.join(profDir, f), "utf8")) as CpuProfile) }));
    const resources = 2 * n;
    const figures: Record<string, number> = { [`n${n}.${command}.seconds`]: Number(seconds.toFixed(1)) };
    for (const { f, p } of cpus.sort((a, b) => b.p.total - a.p.total)) {
      if (p.total < 200) continue;
      const role = processRole(p.functions);
      const { own, other } = ownAndOther(p.sources);
      const perResource = (s: number) => Math.round((s * 1e6) / resources);
      if (role) {
        figures[`n${n}.${command}.${role}.cpuSeconds`] = Number((p.total / 1000).toFixed(1));
        figures[`n${n}.${command}.${role}.rollcallCpuSeconds`] = Number(own.toFixed(2));
        figures[`n${n}.${command}.${role}.rollcallMicrosPerResource`] = perResource(own);
        figures[`n${n}.${command}.${role}.otherMicrosPerResource`] = perResource(other);
      }
      report.push(
        `## CPU ${f}${role ? ` (${role})` : ""}: ${(p.total / 1000).toFixed(1)} s on CPU`,
        `rollcall's own code (its modules, ${[...ROLLCALL_LIBRARIES].join(", ")}): ` +
          `${own.toFixed(2)} s, ${perResource(own)} µs per resource; ` +
          `everything else (SDK, gRPC, protobuf, GC, Node): ${other.toFixed(1)} s, ${perResource(other)} µs per resource`,
        "by source:",
        top(p.sources, 8, (v) => `${(v / 1000).toFixed(1)} s`),
        "top functions (self time):",
        top(p.functions, 12, (v) => `${(v / 1000).toFixed(2)} s`),
        "",
      );
    }
    const heaps = files
      .filter((f) => f.endsWith(".heapprofile"))
      .map((f) => ({ f, h: heapBySource((JSON.parse(readFileSync(path.join(profDir, f), "utf8")) as { head: HeapNode }).head) }));
    for (const { f, h } of heaps.sort((a, b) => b.h.total - a.h.total)) {
      if (h.total < 20 * 1048576) continue;
      const perResource = (v: number) => `${(v / (2 * n) / 1024).toFixed(1)} KB/r`;
      report.push(
        `## heap ${f}: ${(h.total / 1048576).toFixed(0)} MB live at exit (${perResource(h.total)})`,
        "by source:",
        top(h.sources, 8, perResource),
        "top allocation sites:",
        top(h.sites, 12, perResource),
        "",
      );
    }
    if (recordAs) {
      const file = recordFigures(PROJECT_ROOT, recordAs, `make profile N=${n} COMMAND=${command} RECORD_AS=${recordAs}`, figures);
      report.push(`recorded: ${file}`);
    }
    const text = report.join("\n");
    mkdirSync(out, { recursive: true });
    const file = path.join(out, `profile-${command}-${n}-${new Date().toISOString().replace(/[:.]/g, "-")}.md`);
    writeFileSync(file, `${text}\n`);
    process.stdout.write(`${text}\nwritten: ${file}\n`);
  } finally {
    await cr.stop();
    await ap.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main();
}
