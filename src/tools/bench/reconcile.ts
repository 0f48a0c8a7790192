// Benchmark: reconciling N Control Room users through the real engine against the simulator.
// Prints wall time per phase, HTTP calls, state bytes per user, and the ratio against a baseline
// measured in the same run: the same creates and deletes sent directly with the client (the HTTP
// floor), so the figure shows what the engine and provider add.
import { mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { ControlRoomClient } from "../../providers/controlroom/client";
import { ControlRoomSimulator, SIM_ADMIN } from "../../sim/controlroom/simulator";
import { PROJECT_ROOT, ProjectStack } from "../../pulumi/engine/pulumi-cli";
import { recordFigures } from "../figures/record";

const N = Number(process.env.BENCH_USERS ?? 200);
const REMOVE = Math.max(1, Math.floor(N / 4));

function usersYaml(n: number): string {
  return stringify({
    version: 1,
    users: Array.from({ length: n }, (_, i) => ({
      key: `user${i}`,
      email: `user${i}@example.com`,
      firstName: "Bench",
      lastName: `User${i}`,
      controlRoom: { username: `user${i}`, roles: ["AAE_Basic"] },
    })),
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
}

async function baseline(): Promise<{ create: number; del: number }> {
  const sim = new ControlRoomSimulator();
  await sim.start();
  const client = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey });
  const basic = (await client.listRoles()).find((r) => r.name === "AAE_Basic")!.id;
  const [ids, create] = await timed(async () => {
    const out: number[] = [];
    // 8 at a time: the engine's default parallelism on 2 cores.
    for (let i = 0; i < N; i += 8) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(8, N - i) }, (_, j) =>
          client.createUser({
            username: `user${i + j}`,
            email: `user${i + j}@example.com`,
            disabled: false,
            roleIds: [basic],
            licenseFeatures: [],
          }),
        ),
      );
      out.push(...batch.map((u) => u.id));
    }
    return out;
  });
  const [, del] = await timed(async () => {
    const doomed = ids.slice(-REMOVE);
    for (let i = 0; i < doomed.length; i += 8) await Promise.all(doomed.slice(i, i + 8).map((id) => client.deleteUser(id)));
  });
  await client.close();
  await sim.stop();
  return { create, del };
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name.endsWith(".json") && !e.parentPath.includes("backups") && !e.parentPath.includes("history"))
      total += statSync(path.join(e.parentPath, e.name)).size;
  return total;
}

async function main(): Promise<void> {
  const base = await baseline();
  const sim = new ControlRoomSimulator({ idleTimeoutSeconds: 900 });
  const url = await sim.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-"));
  const usersFile = path.join(dir, "users.yaml");
  const stack = new ProjectStack({
    stack: "bench",
    stateDir: path.join(dir, "state"),
    projectDir: path.join(dir, "project"),
    env: {
      ROLLCALL_USERS_FILE: usersFile,
      ROLLCALL_CONTROLROOM_URL: url,
      ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
      ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey,
      ROLLCALL_MAX_REMOVALS: String(N),
      ROLLCALL_OFFBOARDING: "delete",
    },
  });
  try {
    await stack.init();
    writeFileSync(usersFile, usersYaml(N));
    const must = (r: { code: number; stderr: string; stdout: string }) => {
      if (r.code !== 0) throw new Error(r.stdout + r.stderr);
    };
    const [, tCreate] = await timed(async () => must(await stack.up()));
    const createCalls = sim.requests.length;
    const stateBytes = dirBytes(path.join(dir, "state", ".pulumi", "stacks"));
    sim.server.clearLog();
    const [, tNoop] = await timed(async () => must(await stack.up(["--expect-no-changes"])));
    const noopCalls = sim.requests.length;
    writeFileSync(usersFile, usersYaml(N - REMOVE));
    sim.server.clearLog();
    const [, tDelete] = await timed(async () => must(await stack.up()));
    const deletes = sim.requests.filter((r) => r.method === "DELETE").length;
    const rows = [
      ["phase", "engine (s)", "HTTP floor (s)", "ratio", "HTTP calls"],
      [`up: create ${N}`, tCreate.toFixed(2), base.create.toFixed(2), (tCreate / base.create).toFixed(1), String(createCalls)],
      [`up: no changes (${N})`, tNoop.toFixed(2), "-", "-", String(noopCalls)],
      [
        `up: remove ${REMOVE}`,
        tDelete.toFixed(2),
        base.del.toFixed(2),
        (tDelete / base.del).toFixed(1),
        `${sim.requests.length} (${deletes} DELETE)`,
      ],
    ];
    for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(24) : c.padStart(15))).join(""));
    console.log(`state after creating ${N} users: ${stateBytes} bytes (${Math.round(stateBytes / N)} bytes per user)`);
    // The README quotes these (README figures check, src/tools/figures/readme-figures.ts).
    recordFigures(PROJECT_ROOT, "bench-reconcile", "make bench", {
      users: N,
      removed: REMOVE,
      "create.s": tCreate,
      "noop.s": tNoop,
      "remove.s": tDelete,
      "create.ratio": tCreate / base.create,
      "remove.ratio": tDelete / base.del,
      "state.bytesPerUser": stateBytes / N,
    });
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
