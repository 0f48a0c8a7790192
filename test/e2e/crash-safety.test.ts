// Crash safety: the engine (and its plugins, the whole process group, as when a CI runner dies) is
// SIGKILLed in the middle of an `up` that creates N people on both platforms, then of one that
// removes N; the run the README documents afterwards leaves both platforms exactly as users.yaml
// says: no duplicate user, no wrong deletion. N is the 200; the kill lands after a third of
// the creates (both platforms together), or of the Control Room deletes. A process of the killed
// run that outlives the group kill (a plugin in a group of its own) would keep calling the platform
// behind the recovery's back: the test finds every one by a marker in its environment, kills it,
// and checks none is left.
import { spawn } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, prepareProjectDir } from "../../src/pulumi/engine/pulumi-cli";
import {
  expectOk,
  platformsStack,
  usersYaml,
  type AnypointStackFixture,
  type ControlRoomStackFixture,
  type TestPerson,
} from "../support/stack";

const N = 200;
const grant = { businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } };
const people: TestPerson[] = Array.from({ length: N }, (_, i) => ({
  key: `c${String(i).padStart(3, "0")}`,
  controlRoom: { roles: ["AAE_Basic"] },
  anypoint: grant,
}));
const keeper: TestPerson = { key: "keeper", controlRoom: { roles: ["AAE_Basic"] }, anypoint: grant };

/** The live processes (not zombies) whose environment carries `marker`: what is left of a killed run. */
function processesMarked(marker: string): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(marker)) continue;
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${entry}/stat`, "utf8"))) continue;
      found.push({ pid: Number(entry), cmd: readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim() });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * `pulumi up` killed with SIGKILL (its whole process group) once `killWhen` sees enough calls; then
 * every process of that run still alive (found by a marker in its environment) is killed too.
 * Returns the survivors of the group kill, so the test can show them, and fails if any outlives that.
 */
async function upKilled(f: ControlRoomStackFixture, killWhen: () => boolean): Promise<string[]> {
  const opts = f.stack.opts;
  prepareProjectDir(opts.projectDir);
  const marker = `ROLLCALL_CRASH_RUN=${randomUUID()}`;
  const env = { ...engineEnv(opts), ROLLCALL_CRASH_RUN: marker.split("=")[1]! };
  const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", opts.stack, "--cwd", opts.projectDir, "--non-interactive"], {
    env,
    stdio: "ignore",
    detached: true,
  });
  let done = false;
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve((done = true) && undefined)));
  const deadline = Date.now() + 120_000;
  while (!killWhen() && !done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (done) throw new Error("pulumi up ended before the kill point: the crash was not in the middle of the run");
  process.kill(-child.pid!, "SIGKILL");
  await exited;
  await new Promise((r) => setTimeout(r, 300)); // let the killed group's sockets close
  const survivors = processesMarked(marker);
  for (const p of survivors) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // ended meanwhile
    }
  }
  for (let i = 0; i < 50 && processesMarked(marker).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(processesMarked(marker), "processes of the killed run still alive").toEqual([]);
  return survivors.map((p) => `${p.pid} ${p.cmd}`);
}

/** What the README says to run after an interrupted `up`: `pulumi up`; when the dead run's lock refuses it, `pulumi cancel`, then `pulumi up`. */
async function recover(f: ControlRoomStackFixture): Promise<string> {
  let first = await f.stack.up();
  let steps = "pulumi up";
  if (/failed to load checkpoint/i.test(first.stderr)) {
    // The kill cut the checkpoint write short; the file backend keeps the previous one beside it.
    const restored = restoreCheckpointBackup(f.stack.opts.stateDir!, f.stack.opts.stack);
    steps = `pulumi up (refused: checkpoint cut short), restore ${restored}, pulumi up`;
    first = await f.stack.up();
  }
  if (first.code === 0) return steps;
  if (!/locked/i.test(first.stderr + first.stdout)) expectOk(first, "pulumi up after the crash");
  expectOk(await f.stack.run(["cancel", "--yes"]), "pulumi cancel");
  expectOk(await f.stack.up(), "pulumi up after pulumi cancel");
  return `${steps} (refused: locked), pulumi cancel, pulumi up`;
}

/**
 * Puts the newest complete checkpoint back: `<stack>.json.bak` when it is whole, else the newest
 * checkpoint in the backend's history (written at the end of each finished update). Returns its path.
 */
function restoreCheckpointBackup(stateDir: string, stack: string): string {
  const root = path.join(stateDir, ".pulumi");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" });
  const current = files.find((p) => p.startsWith(`stacks${path.sep}`) && path.basename(p) === `${stack}.json`);
  if (!current) throw new Error(`no ${stack}.json under ${root}/stacks`);
  const whole = (p: string) => {
    try {
      JSON.parse(readFileSync(path.join(root, p), "utf8"));
      return true;
    } catch {
      return false;
    }
  };
  const history = files
    .filter((p) => p.startsWith(`history${path.sep}`) && p.endsWith(".checkpoint.json"))
    .sort()
    .reverse();
  const source = [`${current}.bak`, ...history].find((p) => files.includes(p) && whole(p));
  if (!source) throw new Error(`no complete checkpoint of ${stack} under ${root}`);
  copyFileSync(path.join(root, source), path.join(root, current));
  return path.join(".pulumi", source);
}

describe("crash safety: SIGKILL in the middle of an up, on both platforms", () => {
  let f: AnypointStackFixture;
  const started = Date.now();
  beforeAll(async () => {
    f = await platformsStack("crash", undefined, { ROLLCALL_MAX_REMOVALS: String(N + 10) });
  });
  afterAll(async () => {
    process.stdout.write(`crash-safety: ${N} people on both platforms, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    await f?.dispose();
  });

  const liveCr = () =>
    [...f.sim.users.values()]
      .map((u) => u.username.toLowerCase())
      .filter((u) => u !== "rollcall-bot")
      .sort();
  const liveAp = () =>
    [...f.anypoint.state.users.values()]
      .filter((u) => !u.deleted && (u.username === "keeper.acme" || /^c\d{3}\.acme$/.test(u.username)))
      .map((u) => u.username.toLowerCase())
      .sort();
  const crCreates = () => f.sim.requests.filter((r) => r.method === "POST" && r.path === "/v2/usermanagement/users" && r.status === 201);
  const apCreates = () =>
    f.anypoint.requests.filter(
      (r) => r.method === "POST" && /\/organizations\/[^/]+\/users$/.test(r.path) && r.status >= 200 && r.status < 300,
    );
  const names = (log: { body?: unknown }[]) => log.map((r) => String((r.body as { username: string }).username).toLowerCase());
  const crDeletes = () => f.sim.requests.filter((r) => r.method === "DELETE" && r.status === 200);

  it(`killed while creating ${N} people: the next run creates the rest, none twice`, async () => {
    const everyone = [keeper, ...people];
    f.writeUsers(usersYaml(everyone));
    const orphans = await upKilled(f, () => crCreates().length + apCreates().length >= (2 * N) / 3);
    const before = liveCr().length + liveAp().length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(2 * (N + 1));
    process.stdout.write(`survivors of the kill while creating, killed: ${orphans.join(", ") || "none"}\n`);
    process.stdout.write(`recovery after the kill while creating: ${await recover(f)}\n`);
    expect(liveCr()).toEqual(everyone.map((p) => p.key).sort());
    expect(liveAp()).toEqual(everyone.map((p) => `${p.key}.acme`).sort());
    for (const created of [names(crCreates()), names(apCreates())]) expect(created.length).toBe(new Set(created).size); // nobody created twice
    expect((await f.resources()).map((r) => r.outputs!.username).sort()).toEqual(liveCr());
    expect(
      (await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser")).map((r) => String(r.outputs!.username).toLowerCase()).sort(),
    ).toEqual(liveAp());
  }, 300_000);

  it(`killed while removing ${N} people: the next run removes the rest and nobody else`, async () => {
    f.writeUsers(usersYaml([keeper]));
    f.sim.server.clearLog();
    f.anypoint.server.clearLog();
    // Deletions are fast enough to finish between two polls: a remote platform's round trip keeps the kill in the middle.
    f.sim.server.injectFault({ method: "DELETE", delayMs: 150, times: N });
    f.anypoint.server.injectFault({ method: "DELETE", delayMs: 150, times: N });
    const orphans = await upKilled(f, () => crDeletes().length >= N / 3);
    f.sim.server.clearFaults();
    f.anypoint.server.clearFaults();
    expect(liveCr().length).toBeGreaterThan(1);
    process.stdout.write(`survivors of the kill while removing, killed: ${orphans.join(", ") || "none"}\n`);
    process.stdout.write(`recovery after the kill while removing: ${await recover(f)}\n`);
    expect(liveCr()).toEqual(["keeper"]);
    expect(liveAp()).toEqual(["keeper.acme"]);
    const deleted = crDeletes().map((r) => (r.response as { username: string }).username);
    expect(deleted).not.toContain("keeper");
    expect(f.anypoint.state.findUser("keeper.acme"), "keeper's Anypoint user").toBeDefined();
    expect((await f.resources()).map((r) => r.outputs!.username)).toEqual(["keeper"]);
    expect((await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser")).map((r) => r.outputs!.username)).toEqual(["keeper.acme"]);
  }, 300_000);
});
