// State that outlives a runner: the stack lives in a REAL S3-compatible object store (SeaweedFS,
// started locally), given by one setting (PULUMI_BACKEND_URL). preview → up → removal, a second
// "runner" (fresh project folder and Pulumi home) seeing the same state, and the engine's lock
// refusing a second `up` while one is running.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlRoomSimulator, SIM_ADMIN } from "../../src/sim/controlroom/simulator";
import { ProjectStack } from "../../src/pulumi/engine/pulumi-cli";
import { startObjectStore, type ObjectStore } from "../support/object-store";
import { expectOk, usersYaml } from "../support/stack";

describe("a shared backend in an S3-compatible object store", () => {
  let store: ObjectStore;
  let sim: ControlRoomSimulator;
  let dir: string;
  let usersFile: string;
  /** A CI runner: its own project folder and Pulumi home; only the backend URL is shared. */
  const runner = (name: string) =>
    new ProjectStack({
      stack: "production",
      projectDir: path.join(dir, name, "project"),
      env: {
        ...store.env,
        PULUMI_BACKEND_URL: store.backendUrl,
        PULUMI_CONFIG_PASSPHRASE: "shared-backend-test",
        PULUMI_HOME: path.join(dir, name, "pulumi-home"),
        ROLLCALL_USERS_FILE: usersFile,
        ROLLCALL_CONTROLROOM_URL: sim.url!,
        ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
        ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey,
        // The removal here is a DELETE (the default, disable, is proven in test/e2e/rails.test.ts).
        ROLLCALL_OFFBOARDING: "delete",
      },
    });
  beforeAll(async () => {
    store = await startObjectStore();
    sim = new ControlRoomSimulator({ idleTimeoutSeconds: 900 });
    await sim.start();
    dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-shared-"));
    usersFile = path.join(dir, "users.yaml");
  }, 150_000);
  afterAll(async () => {
    await sim?.stop();
    await store?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("preview → up on one runner; the removal previewed and applied on another", async () => {
    const first = runner("runner-1");
    await first.init();
    writeFileSync(
      usersFile,
      usersYaml([
        { key: "ada", controlRoom: { roles: ["AAE_Admin"] } },
        { key: "alan", controlRoom: { roles: ["Bot Runner"] } },
      ]),
    );
    const { result, digest } = await first.previewJson();
    expectOk(result, "pulumi preview (runner 1)");
    expect(
      (digest.steps ?? [])
        .filter((s) => s.op === "create" && s.urn.includes(":ControlRoomUser::"))
        .map((s) => s.urn.split("::").pop())
        .sort(),
    ).toEqual(["ada", "alan"]);
    expectOk(await first.up(), "pulumi up (runner 1)");
    expect(sim.findUser("alan")).toBeDefined();

    const second = runner("runner-2"); // nothing on disk: the state comes from the bucket
    await second.init();
    writeFileSync(usersFile, usersYaml([{ key: "ada", controlRoom: { roles: ["AAE_Admin"] } }]));
    const removal = await second.previewJson();
    expectOk(removal.result, "pulumi preview (runner 2)");
    expect(
      (removal.digest.steps ?? []).filter((s) => s.op !== "same" && s.op !== "read").map((s) => `${s.op} ${s.urn.split("::").pop()}`),
    ).toEqual(["delete alan"]);
    expectOk(await second.up(), "pulumi up (runner 2)");
    expect(sim.findUser("alan")).toBeUndefined();
    expect(
      (await second.exportState()).deployment.resources?.filter((r) => r.type.endsWith(":ControlRoomUser")).map((r) => r.outputs?.username),
    ).toEqual(["ada"]);
  });

  it("two overlapping ups: the engine's lock in the bucket refuses the second, the first completes", async () => {
    writeFileSync(
      usersFile,
      usersYaml([
        { key: "ada", controlRoom: { roles: ["AAE_Admin"] } },
        { key: "grace", controlRoom: { roles: ["Bot Runner"] } },
      ]),
    );
    // A slow platform keeps the first up running (holding the lock) while the second starts. The
    // simulator logs a request when it answers, so the retry is slow too: after the first logged
    // POST the first up still holds the lock for 15 s, whatever the second's start-up costs.
    sim.server.injectFault({
      method: "POST",
      path: "^/v2/usermanagement/users$",
      status: 429,
      headers: { "Retry-After": "1" },
      delayMs: 15_000,
      times: 2,
    });
    const before = sim.requests.length; // the first test's POSTs are in the log already
    const a = runner("runner-1").up();
    await waitFor(() => sim.requests.slice(before).some((r) => r.method === "POST" && r.path === "/v2/usermanagement/users"), 90_000);
    const b = await runner("runner-2").up();
    expect(b.code).not.toBe(0);
    expect(`${b.stdout}${b.stderr}`).toContain("the stack is currently locked");
    expectOk(await a, "the first pulumi up");
    expect(sim.findUser("grace")).toBeDefined();
  });
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting for the first up to reach the platform");
    await new Promise((r) => setTimeout(r, 200));
  }
}
