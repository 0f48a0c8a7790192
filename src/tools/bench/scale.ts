// Benchmark: rollcall at N people through the real engine against both simulators, interleaved
// with the engine floor measured in the same run.
//
//   node dist/tools/bench/scale.js [--people 100,1000,5000] [--latency-ms 0] [--out bench-results]
//     [--operations "no-op preview,remove 10%"] [--record-as NAME | --no-record]
//
// For each N, on simulators pre-seeded with everyone (an existing organization), each operation runs
// on rollcall's stack and then, immediately after, on the floor's (src/tools/bench/floor-program.ts: one
// do-nothing dynamic resource per platform user), three times: on the stock SDK, with rollcall's SDK
// tuning (the tuned floor), and tuned with the very inputs of rollcall's resources (the shaped floor:
// the same properties through the same SDK and engine, so rollcall ÷ it is what rollcall's own code
// costs). Operations: first `up` (adoption), no-op preview, no-op up, refresh, removal of
// 10 %. Each gets wall time, peak RSS per process role, requests by endpoint (the simulators' logs)
// and state bytes per resource; the ratios are rollcall ÷ each floor. Figures go to
// <out>/scale-<date>.json and .md, and the table is printed. Both run with the project's engine
// settings (src/pulumi/engine/fast-path.ts), as the documented commands do.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT, ProjectStack, type CommandResult, type StackOptions } from "../../pulumi/engine/pulumi-cli";
import type { RecordedRequest } from "../../sim/harness";
import { badRecordName, recordFigures } from "../figures/record";
import { ANYPOINT_HTTP_DEFAULTS, CONTROL_ROOM_HTTP_DEFAULTS } from "../../core/config";
import type { HttpSettings } from "../../core/http/client";
import { Sampler, type Peaks } from "./proc-tree";
import { seededSimulators, stackEnv, usersYaml } from "./org";
import { guardRefused, reportHolds, type Check, type CheckResult } from "./checks";
import { runScript, UsageError, type CommandSpec, type Values } from "../../core/cli-args";

const OPERATIONS = [
  "adopt: first up",
  "no-op preview",
  "no-op up",
  "refresh",
  "guard: remove 20% refused",
  "report: remove 10% preview",
  "remove 10%",
] as const;
type Operation = (typeof OPERATIONS)[number];

interface Measurement {
  seconds: number;
  exitCode: number;
  peakRss: Peaks;
  /** "METHOD /path" with ids replaced by {id} → count. */
  requests: Record<string, number>;
  stateBytes: number;
  resources: number;
  /** Bytes of the stored provider text (`__provider`, inputs + outputs) per resource. */
  providerBytesPerResource: number;
  summary: string;
  /** Seconds the platforms' calls need at least, whatever the engine does (apiFloorSeconds). */
  apiFloorSeconds: number;
  /** The behaviour an operation checks (src/tools/bench/checks.ts): its figures, and why it did not hold. */
  check?: CheckResult;
}

/**
 * The API floor of one run: each platform's requests at its client's documented limits — no faster
 * than the rate budget (requests ÷ requests per second), nor than the latency allows at the
 * concurrency cap (requests × latency ÷ concurrency) — the platforms in parallel, so the larger.
 */
export function apiFloorSeconds(requests: { count: number; http: HttpSettings }[], latencyMs: number): number {
  return Math.max(
    0,
    ...requests.map(({ count, http }) => Math.max(count / http.requestsPerSecond, (count * latencyMs) / 1000 / http.maxConcurrent)),
  );
}

interface Row {
  people: number;
  operation: Operation;
  rollcall: Measurement;
  /** The floor program on the stock SDK. */
  floor: Measurement;
  /**
   * The same with rollcall's SDK tuning (FLOOR_SDK_TUNED): what rollcall's own code is measured against. Absent in runs recorded before it.
   */
  tunedFloor?: Measurement;
  /**
   * The tuned floor declaring the same inputs as rollcall's resources (FLOOR_INPUTS): the same
   * properties through the same SDK and engine, without rollcall's code. Absent in runs recorded before it.
   */
  shapedFloor?: Measurement;
}

const endpoint = (r: RecordedRequest) => `${r.method} ${r.path.replace(/\/[0-9a-f]{8}-[0-9a-f-]{27,}|\/\d+(?=\/|$)/gi, "/{id}")}`;

function byEndpoint(log: RecordedRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of log) out[endpoint(r)] = (out[endpoint(r)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

async function measure(
  stack: ProjectStack,
  args: string[],
  logs: () => RecordedRequest[][],
  stateFile: string,
  latencyMs = 0,
  check?: Check,
): Promise<Measurement> {
  for (const log of logs()) log.length = 0;
  const sampler = new Sampler();
  const opts = stack.opts as StackOptions;
  opts.onSpawn = (pid) => sampler.start(pid);
  const t = performance.now();
  const r: CommandResult = await stack.run(args);
  const seconds = (performance.now() - t) / 1000;
  const peakRss = sampler.stop();
  opts.onSpawn = undefined;
  const state = await stack.exportState();
  const resources = (state.deployment.resources ?? []).filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/"));
  const providerBytes = resources.reduce(
    (s, x) => s + String(x.inputs?.__provider ?? "").length + String(x.outputs?.__provider ?? "").length,
    0,
  );
  let stateBytes = 0;
  try {
    stateBytes = statSync(stateFile).size;
  } catch {
    /* no state yet */
  }
  const summary = /Resources:\n([\s\S]*?)\n\n/.exec(r.stdout)?.[1]?.replace(/\s+/g, " ").trim() ?? "";
  const requests = logs().flat();
  const checked = check?.(r, requests);
  if (checked?.failure) process.stderr.write(`pulumi ${args.join(" ")}: ${checked.failure}\n`);
  if (r.code !== 0 && !check)
    process.stderr.write(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}\n`);
  // logs(): [Control Room, Anypoint] for rollcall's stack, none for the floor's.
  const [crLog = [], apLog = []] = logs();
  const apiFloor = apiFloorSeconds(
    [
      { count: crLog.length, http: CONTROL_ROOM_HTTP_DEFAULTS },
      { count: apLog.length, http: ANYPOINT_HTTP_DEFAULTS },
    ],
    latencyMs,
  );
  return {
    seconds,
    exitCode: r.code,
    peakRss,
    requests: byEndpoint(requests),
    stateBytes,
    resources: resources.length,
    providerBytesPerResource: resources.length ? Math.round(providerBytes / resources.length) : 0,
    summary,
    apiFloorSeconds: apiFloor,
    ...(checked ? { check: checked } : {}),
  };
}

/** The floor's project: its own Pulumi.yaml whose program is the compiled src/tools/bench/floor-program.ts. */
function floorProject(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: rollcall-floor\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: program.js\n",
  );
  writeFileSync(
    path.join(dir, "program.js"),
    `module.exports = require(${JSON.stringify(path.join(PROJECT_ROOT, "dist/tools/bench/floor-program.js"))});\n`,
  );
  writeFileSync(path.join(dir, "package.json"), '{"name":"rollcall-floor","main":"program.js"}\n');
  rmSync(path.join(dir, "node_modules"), { force: true });
  require("node:fs").symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
}

async function runN(n: number, latencyMs: number, operations: ReadonlySet<Operation>, onRow: (row: Row) => void): Promise<Row[]> {
  const work = mkdtempSync(path.join(os.tmpdir(), `rollcall-bench-scale-${n}-`));
  const { cr, ap } = await seededSimulators(n, latencyMs);
  const usersFile = path.join(work, "users.yaml");
  const rollcall = new ProjectStack({
    stack: "bench",
    stateDir: path.join(work, "state"),
    projectDir: path.join(work, "project"),
    env: stackEnv(cr, ap, usersFile, n),
  });
  floorProject(path.join(work, "floor"));
  // The three floors: one do-nothing program (src/tools/bench/floor-program.ts), three environments.
  const shapedInputs = path.join(work, "shaped-inputs.json");
  const floorEnvs = {
    floor: { FLOOR_RESOURCES: String(2 * n) },
    tuned: { FLOOR_RESOURCES: String(2 * n), FLOOR_SDK_TUNED: "true" },
    shaped: { FLOOR_SDK_TUNED: "true", FLOOR_INPUTS: shapedInputs },
  } satisfies Record<string, Record<string, string>>;
  const floors = (Object.keys(floorEnvs) as (keyof typeof floorEnvs)[]).map((name) => ({
    stack: new ProjectStack({
      stack: name,
      stateDir: path.join(work, `${name}-state`),
      projectDir: path.join(work, "floor"),
      env: floorEnvs[name],
    }),
    state: path.join(work, `${name}-state`, ".pulumi", "stacks", "rollcall-floor", `${name}.json`),
  }));
  // rollcall's resources' inputs once adopted (the shaped floor declares the first 2 × people of them).
  let rollcallInputs: Record<string, unknown>[] = [];
  const writeShapedInputs = (people: number) => writeFileSync(shapedInputs, JSON.stringify(rollcallInputs.slice(0, 2 * people)));
  const rollcallState = path.join(work, "state", ".pulumi", "stacks", "rollcall", "bench.json");
  const logs = () => [cr.requests, ap.requests];
  const rows: Row[] = [];
  try {
    writeFileSync(usersFile, usersYaml(n));
    await rollcall.init();
    for (const { stack } of floors) await stack.init();
    const kept = Math.round(n * 0.9);
    const env = rollcall.opts.env!;
    const keep = (people: number) => () => {
      writeFileSync(usersFile, usersYaml(people));
      floorEnvs.floor.FLOOR_RESOURCES = floorEnvs.tuned.FLOOR_RESOURCES = String(2 * people);
      writeShapedInputs(people);
    };
    const plan: { operation: Operation; args: string[]; before?: () => void; after?: () => void; check?: Check }[] = [
      { operation: "adopt: first up", args: ["up", "--yes", "--skip-preview"] },
      { operation: "no-op preview", args: ["preview"] },
      { operation: "no-op up", args: ["up", "--yes", "--skip-preview"] },
      { operation: "refresh", args: ["refresh", "--yes", "--skip-preview"] },
      // The default removal limits (the benchmark otherwise lifts them): a preview removing 20 %
      // must be refused by the guard, with nothing sent, at every N.
      {
        operation: "guard: remove 20% refused",
        args: ["preview"],
        before: () => {
          keep(n - Math.round(n * 0.2))();
          env.ROLLCALL_MAX_REMOVALS = "";
        },
        after: () => {
          env.ROLLCALL_MAX_REMOVALS = String(n);
        },
        check: guardRefused,
      },
      // The pull-request report of the removal below: every leaving person named, within one comment.
      { operation: "report: remove 10% preview", args: ["preview", "--json"], before: keep(kept), check: (r) => reportHolds(r, n - kept) },
      { operation: "remove 10%", args: ["up", "--yes", "--skip-preview"], before: keep(kept) },
    ];
    for (const { operation, args, before, after, check } of plan) {
      // The first up is every other operation's starting point: it always runs.
      if (operation !== "adopt: first up" && !operations.has(operation)) continue;
      before?.();
      const r = await measure(rollcall, args, logs, rollcallState, latencyMs, check);
      after?.();
      if (operation === "adopt: first up") {
        rollcallInputs = ((await rollcall.exportState()).deployment.resources ?? [])
          .filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/"))
          .map(({ inputs }) => Object.fromEntries(Object.entries(inputs ?? {}).filter(([k]) => k !== "__provider")));
        writeShapedInputs(n);
      }
      // Each floor right after rollcall, in turn (their `--json` output is not read).
      const measured: Measurement[] = [];
      for (const { stack, state } of floors)
        measured.push(
          await measure(
            stack,
            args.filter((a) => a !== "--json"),
            () => [],
            state,
          ),
        );
      const [f, t, sh] = measured as [Measurement, Measurement, Measurement];
      rows.push({ people: n, operation, rollcall: r, floor: f, tunedFloor: t, shapedFloor: sh });
      onRow(rows[rows.length - 1]!);
      process.stderr.write(
        `N=${n} ${operation}: rollcall ${r.seconds.toFixed(1)} s (exit ${r.exitCode}` +
          `${r.check?.failure ? `, FAILED: ${r.check.failure}` : ""}), floor ${f.seconds.toFixed(1)} s, tuned floor ` +
          `${t.seconds.toFixed(1)} s, shaped floor ${sh.seconds.toFixed(1)} s\n`,
      );
    }
  } finally {
    await cr.stop();
    await ap.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

const mb = (b: number) => (b / 1048576).toFixed(0);

function markdown(rows: Row[], meta: Record<string, string>): string {
  const lines = [
    `# rollcall scale benchmark`,
    "",
    Object.entries(meta)
      .map(([k, v]) => `- ${k}: ${v}`)
      .join("\n"),
    "",
    "| N | operation | rollcall s | shaped floor s | ratio to shaped | tuned floor s | ratio to tuned " +
      "| floor s (stock SDK) | ratio | API floor s " +
      "| ratio to the larger floor | peak RSS MB total (engine / host / program / provider) | floor peak MB | requests " +
      "| state B/resource (shim B) | floor state B/resource | resources (rollcall / floor) | checks |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const { people, operation, rollcall: r, floor: f, tunedFloor: t, shapedFloor: sh } of rows) {
    const reqs =
      Object.entries(r.requests)
        .map(([k, v]) => `${v}× ${k}`)
        .join("<br>") || "none";
    const per = (m: Measurement) => (m.resources ? Math.round(m.stateBytes / m.resources) : 0);
    const p = r.peakRss;
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    const cells = [
      people,
      `${operation}${r.exitCode ? ` (exit ${r.exitCode})` : ""}`,
      r.seconds.toFixed(1),
      sh ? sh.seconds.toFixed(1) : "–",
      sh ? ratio(r.seconds, sh.seconds) : "–",
      t ? t.seconds.toFixed(1) : "–",
      t ? ratio(r.seconds, t.seconds) : "–",
      f.seconds.toFixed(1),
      ratio(r.seconds, f.seconds),
      r.apiFloorSeconds.toFixed(1),
      ratio(r.seconds, Math.max(f.seconds, r.apiFloorSeconds)),
      `${mb(p.total)} (${mb(p.engine)} / ${mb(p.languageHost)} / ${mb(p.program)} / ${mb(p.provider)})`,
      mb(f.peakRss.total),
      reqs,
      `${per(r)} (${r.providerBytesPerResource})`,
      per(f),
      `${r.resources} / ${f.resources}`,
      r.check
        ? `${r.check.failure ? `FAILED: ${r.check.failure}; ` : "held: "}${Object.entries(r.check.figures)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}`
        : "",
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return `${lines.join("\n")}\n`;
}

const slug = (op: Operation) =>
  op
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/-$/, "")
    .toLowerCase();

/** Flat figures for measurements/bench-scale.json, which the README quotes (src/tools/figures). */
export function figuresOf(rows: Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { people, operation, rollcall, floor, tunedFloor, shapedFloor } of rows) {
    const at = `n${people}.${slug(operation)}`;
    for (const [who, m] of [
      ["rollcall", rollcall],
      ["floor", floor],
      ...(tunedFloor ? [["tunedFloor", tunedFloor] as const] : []),
      ...(shapedFloor ? [["shapedFloor", shapedFloor] as const] : []),
    ] as const) {
      out[`${at}.${who}.seconds`] = Math.round(m.seconds * 10) / 10;
      out[`${at}.${who}.peakMB`] = Math.round(m.peakRss.total / 1048576);
      out[`${at}.${who}.programMB`] = Math.round(m.peakRss.program / 1048576);
      out[`${at}.${who}.stateBytesPerResource`] = m.resources ? Math.round(m.stateBytes / m.resources) : 0;
      out[`${at}.${who}.resources`] = m.resources;
    }
    out[`${at}.ratio`] = Math.round((rollcall.seconds / floor.seconds) * 100) / 100;
    if (tunedFloor) out[`${at}.ratioToTunedFloor`] = Math.round((rollcall.seconds / tunedFloor.seconds) * 100) / 100;
    if (shapedFloor) out[`${at}.ratioToShapedFloor`] = Math.round((rollcall.seconds / shapedFloor.seconds) * 100) / 100;
    out[`${at}.apiFloorSeconds`] = Math.round(rollcall.apiFloorSeconds * 10) / 10;
    // Against whichever floor is higher: the engine's for the same resources, or the platforms' limits.
    out[`${at}.ratioToFloors`] = Math.round((rollcall.seconds / Math.max(floor.seconds, rollcall.apiFloorSeconds)) * 100) / 100;
    out[`${at}.requests`] = Object.values(rollcall.requests).reduce((a, b) => a + b, 0);
    out[`${at}.anypointRequests`] = Object.entries(rollcall.requests)
      .filter(([k]) => k.includes(" /accounts/"))
      .reduce((a, [, v]) => a + v, 0);
    out[`${at}.providerBytesPerResource`] = rollcall.providerBytesPerResource;
    for (const [k, v] of Object.entries(rollcall.check?.figures ?? {})) out[`${at}.check.${k}`] = v;
  }
  return out;
}

export const SCALE_SPEC = {
  name: "node dist/tools/bench/scale.js",
  summary:
    "The scale benchmark: rollcall at N people through the real engine against both simulators, with the engine floor measured " +
    "in the same run.",
  options: {
    people: {
      type: "string",
      value: "N[,N…]",
      help: "people per run, comma-separated, each at least 10 (default 100, or BENCH_SCALE_PEOPLE)",
    },
    "latency-ms": { type: "string", value: "MS", help: "the simulators' latency per request (default 0, or BENCH_SCALE_LATENCY_MS)" },
    out: { type: "string", value: "DIR", help: "where scale-<date>.json and .md go (default bench-results)" },
    operations: { type: "string", value: "LIST", help: `a comma-separated subset of: ${OPERATIONS.join(", ")} (the first up always runs)` },
    "record-as": { type: "string", value: "NAME", help: "record the figures in measurements/NAME.json (default bench-scale)" },
    "no-record": { type: "boolean", help: "figures only in --out (a CI-sized run must not touch the checkout)" },
    "record-from": { type: "string", value: "FILE.json", help: "record the figures of an earlier run's JSON instead of running" },
  },
} satisfies CommandSpec;

interface ScaleOptions {
  people: number[];
  latencyMs: number;
  out: string;
  operations: Set<Operation>;
  recordAs: string | undefined;
  recordFrom: string | undefined;
}

export function scaleOptions(values: Values<typeof SCALE_SPEC.options>): ScaleOptions {
  const bad = (m: string) => new UsageError(m, SCALE_SPEC.name);
  const people = (values.people ?? process.env.BENCH_SCALE_PEOPLE ?? "100").split(",").map(Number);
  if (people.some((n) => !Number.isInteger(n) || n < 10))
    throw bad(`--people takes whole numbers of at least 10, comma-separated (e.g. 100,1000), not '${values.people}'`);
  const latencyMs = Number(values["latency-ms"] ?? process.env.BENCH_SCALE_LATENCY_MS ?? 0);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw bad(`--latency-ms takes milliseconds (e.g. 20), not '${values["latency-ms"]}'`);
  // --operations "no-op preview,remove 10%": a subset (the first up always runs); default all.
  const wanted = values.operations?.split(",").map((o) => o.trim()) ?? [...OPERATIONS];
  const unknown = wanted.filter((o) => !(OPERATIONS as readonly string[]).includes(o));
  if (unknown.length) throw bad(`--operations takes some of: ${OPERATIONS.join(", ")}; not '${unknown.join("', '")}'`);
  // --record-as NAME: the figures go to measurements/NAME.json (a partial run that must not replace the full one's).
  // --no-record: figures only in --out (a CI-sized run, e.g. test/e2e/bench-scale.test.ts, must not touch the checkout).
  const recordAs = values["no-record"] ? undefined : (values["record-as"] ?? "bench-scale");
  const badName = recordAs === undefined ? undefined : badRecordName(recordAs);
  if (badName) throw bad(badName);
  return {
    people,
    latencyMs,
    out: path.resolve(values.out ?? "bench-results"),
    operations: new Set(wanted as Operation[]),
    recordAs,
    recordFrom: values["record-from"],
  };
}

async function scale({ people, latencyMs, out, operations, recordAs, recordFrom }: ScaleOptions): Promise<void> {
  // --record-from FILE.json: record the figures of an earlier run's JSON (e.g. after a merge).
  if (recordFrom) {
    const run = JSON.parse(readFileSync(recordFrom, "utf8")) as { meta: Record<string, string>; rows: Row[] };
    process.stdout.write(`${recordFigures(PROJECT_ROOT, "bench-scale", `make bench-scale (${run.meta.date})`, figuresOf(run.rows))}\n`);
    return;
  }
  const started = new Date();
  const meta = {
    date: started.toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${mb(os.totalmem())} MB`,
    "simulator latency": `${latencyMs} ms per request`,
    // The machine may be shared: timings are only comparable within one run (hence the floor).
    "load average at start": os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" "),
    engine:
      `pulumi ${process.env.ROLLCALL_PULUMI_VERSION ?? "?"}, PULUMI_SKIP_CHECKPOINTS=` +
      `${process.env.PULUMI_SKIP_CHECKPOINTS ?? "(unset: the fast path default)"}, PULUMI_PARALLEL=` +
      `${process.env.PULUMI_PARALLEL ?? "(default 4096)"}, GOGC=${process.env.GOGC ?? "(default 50)"}`,
  };
  mkdirSync(out, { recursive: true });
  const base = path.join(out, `scale-${started.toISOString().replace(/[:.]/g, "-")}`);
  const command =
    `make bench-scale N=${people.join(",")} LATENCY=${latencyMs}` +
    `${operations.size < OPERATIONS.length ? ` OPS="${[...operations].join(",")}"` : ""}` +
    `${recordAs && recordAs !== "bench-scale" ? ` RECORD_AS=${recordAs}` : ""}`;
  const rows: Row[] = [];
  // Written after every operation, so a long run that is stopped keeps what it measured.
  const write = (done: boolean) => {
    writeFileSync(`${base}.json`, `${JSON.stringify({ meta: { ...meta, complete: String(done) }, rows }, null, 2)}\n`);
    writeFileSync(`${base}.md`, markdown(rows, meta));
    if (!recordAs) return "(not recorded: --no-record)";
    return recordFigures(PROJECT_ROOT, recordAs, done ? command : `${command} (stopped early: ${rows.length} operations)`, figuresOf(rows));
  };
  for (const n of people) await runN(n, latencyMs, operations, (row) => (rows.push(row), write(false)));
  const recorded = write(true);
  process.stdout.write(`${markdown(rows, meta)}\nwritten: ${base}.json, ${base}.md, ${recorded}\n`);
  // An operation with a check (the guard's refusal exits non-zero on purpose) fails by its check.
  if (
    rows.some(
      (r) =>
        (r.rollcall.check ? !!r.rollcall.check.failure : r.rollcall.exitCode !== 0) ||
        r.floor.exitCode !== 0 ||
        (r.tunedFloor?.exitCode ?? 0) !== 0,
    )
  )
    process.exitCode = 1;
}

if (require.main === module) {
  runScript(SCALE_SPEC, async ({ values }) => {
    await scale(scaleOptions(values));
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  });
}
