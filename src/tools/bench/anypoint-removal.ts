// Benchmark: removing N Anypoint people through the engine. Compares the engine's defaults with
// the project's own settings (src/pulumi/engine/fast-path.ts: skipped checkpoints, --parallel 4096), measured
// in the same run: wall time of the removal `up` and the number of bulk DELETE calls.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { AnypointSimulator, SIM_ANYPOINT_APP } from "../../sim/anypoint/simulator";
import { PROJECT_ROOT, ProjectStack } from "../../pulumi/engine/pulumi-cli";
import { recordFigures } from "../figures/record";

const N = Number(process.env.BENCH_REMOVALS ?? 200);
const KEEP = 10;

const users = (n: number) =>
  stringify({
    version: 1,
    users: Array.from({ length: n }, (_, i) => ({
      key: `p${i}`,
      email: `p${i}@example.com`,
      firstName: "P",
      lastName: `${i}`,
      anypoint: { username: `p${i}.acme`, businessGroups: { Sales: { roles: ["Exchange Viewer"] } } },
    })),
  });

async function measure(
  label: string,
  env: Record<string, string>,
  upArgs: string[],
): Promise<{ label: string; seconds: number; calls: number }> {
  const sim = new AnypointSimulator({ idleTimeoutSeconds: 600, seed: { businessGroups: [{ name: "Sales" }] } });
  await sim.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-ap-"));
  const file = path.join(dir, "users.yaml");
  const stack = new ProjectStack({
    stack: "bench",
    stateDir: path.join(dir, "state"),
    projectDir: path.join(dir, "project"),
    env: {
      ROLLCALL_USERS_FILE: file,
      ROLLCALL_ANYPOINT_URL: sim.url,
      ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId,
      ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret,
      ROLLCALL_MAX_REMOVALS: String(N),
      ROLLCALL_OFFBOARDING: "delete",
      ...env,
    },
  });
  try {
    await stack.init();
    writeFileSync(file, users(N + KEEP));
    const created = await stack.up(upArgs);
    if (created.code !== 0) throw new Error(created.stdout + created.stderr);
    writeFileSync(file, users(KEEP));
    sim.server.clearLog();
    const t = performance.now();
    const removed = await stack.up(upArgs);
    const seconds = (performance.now() - t) / 1000;
    if (removed.code !== 0) throw new Error(removed.stdout + removed.stderr);
    return { label, seconds, calls: sim.requests.filter((r) => r.method === "DELETE").length };
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // The project's own engine settings (src/pulumi/engine/fast-path.ts), as every documented command runs;
  // BENCH_PARALLEL=N tries another --parallel. BENCH_SKIP_BASELINE=1 leaves out the engine's
  // defaults, which take many minutes at a few hundred removals (a checkpoint per step).
  const parallel = process.env.BENCH_PARALLEL;
  const tuned = await measure(
    `project settings${parallel ? `, --parallel ${parallel}` : ""}`,
    {},
    parallel ? ["--parallel", parallel] : [],
  );
  if (process.env.BENCH_SKIP_BASELINE === "1") {
    console.log(
      `removing ${N} Anypoint people (each with one business group), ${KEEP} kept: ${tuned.label} ${tuned.seconds.toFixed(1)} ` +
        `s, ${tuned.calls} bulk DELETE calls (baseline skipped)`,
    );
    return;
  }
  const base = await measure("engine defaults (baseline)", { PULUMI_SKIP_CHECKPOINTS: "false", PULUMI_PARALLEL: "" }, []);
  console.log(`removing ${N} Anypoint people (each with one business group), ${KEEP} kept:`);
  for (const r of [base, tuned])
    console.log(`  ${r.label.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} s  ${String(r.calls).padStart(3)} bulk DELETE calls`);
  console.log(`  speed-up ${(base.seconds / tuned.seconds).toFixed(1)}x, ${(base.calls / tuned.calls).toFixed(1)}x fewer calls`);
  // The README quotes these (README figures check, src/tools/figures/readme-figures.ts).
  recordFigures(PROJECT_ROOT, "bench-anypoint-removal", "make bench", {
    removed: N,
    "defaults.s": base.seconds,
    "defaults.calls": base.calls,
    "tuned.s": tuned.seconds,
    "tuned.calls": tuned.calls,
    speedup: base.seconds / tuned.seconds,
    fewerCalls: base.calls / tuned.calls,
  });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
