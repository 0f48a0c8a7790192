// Safety through the real engine: secrets never reach the state in plaintext, the stored provider
// is a small constant shim, and a broken users.yaml stops before any API call or state change.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlRoomStack, expectOk, usersYaml, type ControlRoomStackFixture } from "../support/stack";

describe("Control Room safety rails through the real engine", () => {
  let f: ControlRoomStackFixture;
  const secretKey = "cr-secret-key-that-must-never-appear-7f3a9c";
  beforeAll(async () => {
    // Credentials come only from the stack config (secret), not the environment.
    f = await controlRoomStack("crsafety", undefined, { ROLLCALL_CONTROLROOM_API_KEY: "" });
    f.sim.addUser({ username: "svc-rollcall", apiKey: secretKey, roles: ["AAE_Admin"] });
    expectOk(await f.stack.setConfig("rollcall:controlRoomApiKey", secretKey, true), "config set --secret");
    expectOk(await f.stack.setConfig("rollcall:controlRoomUsername", "svc-rollcall"), "config set");
    f.writeUsers(
      usersYaml([
        { key: "ada", controlRoom: {} },
        { key: "grace", controlRoom: {} },
        { key: "linus", protected: true, controlRoom: {} },
      ]),
    );
    expectOk(await f.stack.up(), "pulumi up");
  });
  afterAll(async () => f?.dispose());

  it("authenticates with the secret from stack config, which never appears in the state in plaintext", async () => {
    expect(f.sim.requests.find((r) => r.path === "/v2/authentication")!.body).toMatchObject({ username: "svc-rollcall" });
    const state = JSON.stringify(await f.stack.exportState());
    expect(state).not.toContain(secretKey);
    // Not SIM_ADMIN.apiKey: the fixture blanks it, so its absence proves nothing. The session
    // tokens the simulator issued to this run are what could leak, besides the key.
    const tokens = f.sim.requests
      .filter((r) => r.path === "/v2/authentication" && r.status === 200)
      .map((r) => (r.response as { token: string }).token);
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(state).not.toContain(token);
  });

  it("stores a small provider shim per resource, identical for every user", async () => {
    const resources = await f.resources();
    const shims = new Set(resources.map((r) => r.outputs!.__provider as string));
    expect(shims.size).toBe(1);
    const [shim] = [...shims];
    expect(shim!.length).toBeLessThan(200);
    expect(shim).toContain('"dist/providers/controlroom/provider.js"');
    expect(shim).not.toMatch(/HttpClient|X-Authorization|x-authorization/);
  });

  for (const [name, text] of [
    ["empty", ""],
    ["only comments", "# nobody here\n"],
    ["empty user list", "version: 1\nusers: []\n"],
    ["truncated mid-entry", "version: 1\nusers:\n  - key: ada\n    email: [unclosed\n"],
  ] as const) {
    it(`an invalid users.yaml (${name}) fails before any API call and leaves the state unchanged`, async () => {
      const snapshot = async () =>
        JSON.stringify((await f.stack.exportState()).deployment.resources, null, 1)
          // A secret is re-encrypted with a fresh nonce on every state write: same value, new ciphertext.
          .replace(/"ciphertext": "[^"]+"/g, '"ciphertext": "…"')
          .split("\n");
      const before = await snapshot();
      f.writeUsers(text);
      f.sim.server.clearLog();
      const preview = await f.stack.preview();
      const up = await f.stack.up();
      expect(preview.code).not.toBe(0);
      expect(up.code).not.toBe(0);
      expect(`${up.stdout}${up.stderr}`).toContain("users.yaml");
      expect(f.sim.requests).toEqual([]);
      const after = await snapshot();
      expect(after.filter((l) => !before.includes(l))).toEqual([]);
      expect(f.sim.findUser("ada")).toBeDefined();
    });
  }

  it("an unknown role name fails the preview with the closest names, before any change", async () => {
    f.writeUsers(
      usersYaml([
        { key: "ada", controlRoom: { roles: ["Bot Runer"] } },
        { key: "grace", controlRoom: {} },
        { key: "linus", protected: true, controlRoom: {} },
      ]),
    );
    f.sim.server.clearLog();
    const preview = await f.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(`${preview.stdout}${preview.stderr}`).toMatch(
      /users\.yaml:\d+:\d+ users\[0\]\.controlRoom\.roles: ada: Control Room has no role named 'Bot Runer' \(names read from http:\/\/127\.0\.0\.1:\d+\)\. Did you mean 'Bot Runner'\? Names are case-sensitive/,
    );
    expect(`${preview.stdout}${preview.stderr}`).not.toMatch(/at assertKnownNames|unhandled exception/);
    // Preflight and the run's inventory (one paged user list), then the role names: reads only.
    expect(f.sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v2/authentication",
      "POST /v2/usermanagement/users/list",
      "POST /v2/usermanagement/roles/list",
    ]);
  });

  it("removing more people than rollcall:maxRemovals fails before any call, saying how to allow it", async () => {
    expectOk(await f.stack.setConfig("rollcall:maxRemovals", "1"), "config set");
    f.writeUsers(usersYaml([{ key: "linus", protected: true, controlRoom: {} }]));
    f.sim.server.clearLog();
    const up = await f.stack.up();
    expect(up.code).not.toBe(0);
    expect(`${up.stdout}${up.stderr}`).toContain(
      "This change removes more than the stack allows at one level; nothing was sent to any platform.",
    );
    expect(`${up.stdout}${up.stderr}`).toContain(
      "Control Room users: 2 of 3 (67%) would lose it — limit 1 or 10% (rollcall:maxRemovals): ada 'ada' (deleted), grace 'grace' (deleted)",
    );
    expect(f.sim.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(f.sim.findUser("ada")).toBeDefined();
    expectOk(await f.stack.setConfig("rollcall:maxRemovals", "25"), "config set");
  });

  it("removing a protected person fails at preview, before any call", async () => {
    f.writeUsers(
      usersYaml([
        { key: "ada", controlRoom: {} },
        { key: "grace", controlRoom: {} },
      ]),
    );
    f.sim.server.clearLog();
    const preview = await f.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(`${preview.stdout}${preview.stderr}`).toMatch(/linus.*protected/s);
    expect(f.sim.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(f.sim.findUser("linus")).toBeDefined();
  });

  it("with the rails bypassed (a last deployment whose roster lacks the person), the engine's protect still refuses the delete", async () => {
    // Forget linus in the stack outputs the rails read, so only the resource's own protect option stands in the way.
    const state = await f.stack.exportState();
    const stackResource = state.deployment.resources!.find((r) => r.type === "pulumi:pulumi:Stack")!;
    const outputs = stackResource.outputs as { roster: Record<string, unknown>; controlRoom: string[] };
    delete outputs.roster.linus;
    outputs.controlRoom = outputs.controlRoom.filter((u) => u !== "linus");
    const file = path.join(f.dir, "rails-bypassed.json");
    writeFileSync(file, JSON.stringify(state));
    expectOk(await f.stack.run(["stack", "import", "--file", file]), "pulumi stack import");
    f.writeUsers(
      usersYaml([
        { key: "ada", controlRoom: {} },
        { key: "grace", controlRoom: {} },
      ]),
    );
    f.sim.server.clearLog();
    const up = await f.stack.up();
    expect(up.code).not.toBe(0);
    expect(`${up.stdout}${up.stderr}`).toMatch(/ControlRoomUser::linus.{0,3} cannot be deleted\s+because it is protected/);
    expect(f.sim.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(f.sim.findUser("linus")).toBeDefined();
  });
});
