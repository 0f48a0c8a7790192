// Crash safety: the engine (and its plugins, the whole process group, as when a CI runner dies) is
// SIGKILLed in the middle of an `up` that creates N people, then of one that removes N; the run the
// README documents afterwards leaves the platform exactly as users.yaml says: no duplicate user, no
// wrong deletion. N is 60 rather than the 200 to keep the file within its time budget on 2 cores; the
// kill lands after a third of the calls either way.
import { spawn } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, prepareProjectDir } from "../../src/engine/pulumi-cli";
import { controlRoomStack, expectOk, usersYaml, type ControlRoomStackFixture, type TestPerson } from "../support/stack";

const N = 60;
const people: TestPerson[] = Array.from({ length: N }, (_, i) => ({ key: `c${String(i).padStart(3, "0")}`, controlRoom: { roles: ["AAE_Basic"] } }));
const keeper: TestPerson = { key: "keeper", controlRoom: { roles: ["AAE_Basic"] } };

/** `pulumi up` killed with SIGKILL (its whole process group) once `killWhen` sees enough calls. */
async function upKilled(f: ControlRoomStackFixture, killWhen: () => boolean): Promise<void> {
  const opts = f.stack.opts;
  prepareProjectDir(opts.projectDir);
  const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", opts.stack, "--cwd", opts.projectDir, "--non-interactive"], { env: engineEnv(opts), stdio: "ignore", detached: true });
  let done = false;
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve((done = true) && undefined)));
  const deadline = Date.now() + 90_000;
  while (!killWhen() && !done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (done) throw new Error("pulumi up ended before the kill point: the crash was not in the middle of the run");
  process.kill(-child.pid!, "SIGKILL");
  await exited;
  await new Promise((r) => setTimeout(r, 300)); // let the killed group's sockets close
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
  const history = files.filter((p) => p.startsWith(`history${path.sep}`) && p.endsWith(".checkpoint.json")).sort().reverse();
  const source = [`${current}.bak`, ...history].find((p) => files.includes(p) && whole(p));
  if (!source) throw new Error(`no complete checkpoint of ${stack} under ${root}`);
  copyFileSync(path.join(root, source), path.join(root, current));
  return path.join(".pulumi", source);
}

describe("crash safety: SIGKILL in the middle of an up", () => {
  let f: ControlRoomStackFixture;
  beforeAll(async () => {
    f = await controlRoomStack("crash", undefined, { ROLLCALL_MAX_REMOVALS: String(N + 10) });
  });
  afterAll(async () => f?.dispose());

  const live = () => [...f.sim.users.values()].map((u) => u.username.toLowerCase()).filter((u) => u !== "rollcall-bot").sort();
  const creates = () => f.sim.requests.filter((r) => r.method === "POST" && r.path === "/v2/usermanagement/users" && r.status === 201);

  it(`killed while creating ${N} people: the next run creates the rest, none twice`, async () => {
    f.writeUsers(usersYaml([keeper, ...people]));
    await upKilled(f, () => creates().length >= N / 3);
    const before = live().length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(N + 1);
    process.stdout.write(`recovery after the kill while creating: ${await recover(f)}\n`);
    expect(live()).toEqual([keeper, ...people].map((p) => p.key).sort());
    const created = creates().map((r) => (r.body as { username: string }).username);
    expect(created.length).toBe(new Set(created).size); // nobody created twice
    expect((await f.resources()).map((r) => r.outputs!.username).sort()).toEqual(live());
  }, 170_000);

  it(`killed while removing ${N} people: the next run removes the rest and nobody else`, async () => {
    f.writeUsers(usersYaml([keeper]));
    f.sim.server.clearLog();
    const deletes = () => f.sim.requests.filter((r) => r.method === "DELETE" && r.status === 200);
    // Deletions are fast enough to finish between two polls: a remote platform's round trip keeps the kill in the middle.
    f.sim.server.injectFault({ method: "DELETE", delayMs: 150, times: N });
    await upKilled(f, () => deletes().length >= N / 3);
    expect(live().length).toBeGreaterThan(1);
    process.stdout.write(`recovery after the kill while removing: ${await recover(f)}\n`);
    expect(live()).toEqual(["keeper"]);
    const deleted = f.sim.requests.filter((r) => r.method === "DELETE" && r.status === 200).map((r) => (r.response as { username: string }).username);
    expect(deleted).not.toContain("keeper");
    expect((await f.resources()).map((r) => r.outputs!.username)).toEqual(["keeper"]);
  }, 170_000);
});
