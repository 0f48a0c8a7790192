// Anypoint's safety rails through the real engine, at parity with controlroom-safety.test.ts:
// adoption ignores username case, a broken users.yaml sends nothing, unknown names fail the
// preview, mass removals and protected people stop before any call, a username change replaces
// the user, and deletes of users already gone converge. Each test was seen red with the line it
// protects broken (see CONTRIBUTING.md); assertions are on the simulators' request logs and state
// and on the engine's exit codes, output and state — never on internal function names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutatingRequests } from "../../src/sim/harness";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const seed = { businessGroups: [{ name: "Sales" }], teams: ["Approvers"] };
const sales = (roles: string[] = ["Exchange Viewer"], teams: string[] = []) => ({ Sales: { roles, ...(teams.length ? { teams } : {}) } });

const ada: TestPerson = { key: "ada", anypoint: { username: "ada.acme", businessGroups: sales() } };
const bob: TestPerson = { key: "bob", anypoint: { businessGroups: sales(["Exchange Contributor"], ["Approvers"]) } };
const cyd: TestPerson = { key: "cyd", protected: true, anypoint: { businessGroups: sales() } };
const dee: TestPerson = { key: "dee", anypoint: { businessGroups: sales() } };

const isUserStep = (urn: string, key: string) => urn.endsWith(`::${key}`) && urn.includes("rollcall:AnypointUser::");

describe("Anypoint safety rails through the real engine", () => {
  let f: AnypointStackFixture;
  const ap = () => f.anypoint;
  const masterUsers = () => `/accounts/api/organizations/${ap().state.master.id}/users`;
  const output = (r: { stdout: string; stderr: string }) => `${r.stdout}${r.stderr}`;
  let adaId = "";

  beforeAll(async () => {
    f = await platformsStack("apsafety", { seed });
    // Ada already has an account, spelled with capitals: the first `up` must adopt it, not create a second one.
    adaId = ap().state.addUser({ username: "Ada.Acme", email: "ada@example.com", firstName: "Ada", lastName: "Tester" }).id;
  });
  afterAll(async () => f?.dispose());

  it("adopts an existing user whose username differs only in case: no POST, the state holds its id", async () => {
    f.writeUsers(usersYaml([ada, bob, cyd, dee]));
    expectOk(await f.stack.up(), "pulumi up");
    const created = ap()
      .requests.filter((r) => r.method === "POST" && r.path === masterUsers())
      .map((r) => (r.body as { username: string }).username);
    expect(created.sort()).toEqual(["bob.acme", "cyd.acme", "dee.acme"]);
    const adaState = (await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser")).find((r) => r.urn.endsWith("::ada"))!;
    expect(adaState.id).toBe(adaId);
    expect([...ap().state.users.values()].filter((u) => u.username.toLowerCase() === "ada.acme")).toHaveLength(1);
  });

  for (const [name, text] of [
    ["empty", ""],
    ["only comments", "# nobody here\n"],
    ["empty user list", "version: 1\nusers: []\n"],
    ["truncated mid-entry", "version: 1\nusers:\n  - key: ada\n    email: [unclosed\n"],
  ] as const) {
    it(`an invalid users.yaml (${name}) sends nothing to either platform and leaves the state unchanged`, async () => {
      const snapshot = async () =>
        JSON.stringify((await f.stack.exportState()).deployment.resources, null, 1)
          .replace(/"ciphertext": "[^"]+"/g, '"ciphertext": "…"')
          .split("\n");
      const before = await snapshot();
      f.writeUsers(text);
      ap().server.clearLog();
      f.sim.server.clearLog();
      const preview = await f.stack.preview();
      const up = await f.stack.up();
      expect(preview.code).not.toBe(0);
      expect(up.code).not.toBe(0);
      expect(output(up)).toContain("users.yaml");
      expect(ap().requests).toEqual([]);
      expect(f.sim.requests).toEqual([]);
      const after = await snapshot();
      expect(after.filter((l) => !before.includes(l))).toEqual([]);
      expect(ap().state.findUser("bob.acme")).toBeDefined();
    });
  }

  for (const [what, person, expected] of [
    [
      "role",
      { ...bob, anypoint: { businessGroups: sales(["Exchange Viewr"], ["Approvers"]) } },
      /users\.yaml:\d+:\d+ users\[1\]\.anypoint\.businessGroups\.Sales\.roles: bob: Anypoint has no role named 'Exchange Viewr' \(names read from [^)]*http:\/\/127\.0\.0\.1:\d+\)\. Did you mean 'Exchange Viewer'/,
    ],
    [
      "team",
      { ...bob, anypoint: { businessGroups: sales(["Exchange Contributor"], ["Aprovers"]) } },
      /users\.yaml:\d+:\d+ users\[1\]\.anypoint\.businessGroups\.Sales\.teams: bob: Anypoint has no team named 'Aprovers' \(names read from [^)]*\)\. Did you mean 'Approvers'/,
    ],
  ] as const) {
    it(`an unknown Anypoint ${what} fails the preview, naming the closest name, before any change`, async () => {
      f.writeUsers(usersYaml([ada, person, cyd, dee]));
      ap().server.clearLog();
      const preview = await f.stack.preview();
      expect(preview.code).not.toBe(0);
      expect(output(preview)).toMatch(expected);
      const up = await f.stack.up();
      expect(up.code).not.toBe(0);
      expect(mutatingRequests(ap().requests)).toEqual([]);
    });
  }

  it("removing more people than rollcall:maxRemovals fails before any call, naming them", async () => {
    expectOk(await f.stack.setConfig("rollcall:maxRemovals", "1"), "config set");
    f.writeUsers(usersYaml([cyd, dee]));
    ap().server.clearLog();
    const up = await f.stack.up();
    expect(up.code).not.toBe(0);
    // The message names the limit and who would go (its exact wording belongs to the guard).
    expect(output(up)).toMatch(/rollcall:maxRemovals/);
    expect(output(up)).toMatch(/ada(\.acme)?\b[^\n]*bob(\.acme)?\b|bob(\.acme)?\b[^\n]*ada(\.acme)?\b/);
    expect(ap().requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(ap().state.findUser("ada.acme")).toBeDefined();
    expect(ap().state.findUser("bob.acme")).toBeDefined();
    expectOk(await f.stack.setConfig("rollcall:maxRemovals", "25"), "config set");
  });

  it("a protected person's Anypoint resources are all protected in the engine's state", async () => {
    // Every resource standing for cyd on Anypoint is protected in the engine's state: with one
    // left unprotected, a change that touches only that one (a replace) would go through.
    const cydResources = (await f.stack.exportState()).deployment.resources!.filter(
      (r) => r.type.includes("rollcall:Anypoint") && /::cyd(@.*)?$/.test(r.urn),
    );
    expect(cydResources.length).toBeGreaterThan(0);
    expect(cydResources.map((r) => [r.urn.split("::").pop(), r.protect])).toEqual(cydResources.map((r) => [r.urn.split("::").pop(), true]));
  });

  it("removing a protected person fails at preview, before any call", async () => {
    f.writeUsers(usersYaml([ada, bob, dee]));
    ap().server.clearLog();
    const preview = await f.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(output(preview)).toMatch(/cyd.*protected/s);
    const up = await f.stack.up();
    expect(up.code).not.toBe(0);
    expect(ap().requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(ap().state.findUser("cyd.acme")).toBeDefined();
  });

  it("a username change is a replace: the preview says so, and up deletes the old user before creating the new one", async () => {
    const oldId = ap().state.findUser("dee.acme")!.id;
    const renamed = { ...dee, anypoint: { ...dee.anypoint!, username: "dee.renamed" } };
    f.writeUsers(usersYaml([ada, bob, cyd, renamed]));
    const { result, digest } = await f.stack.previewJson();
    expectOk(result, "pulumi preview --json");
    const ops = (digest.steps ?? []).filter((s) => isUserStep(s.urn, "dee")).map((s) => s.op);
    expect(ops).toContain("replace");
    ap().server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    const calls = mutatingRequests(ap().requests)
      .filter((r) => r.path.startsWith(masterUsers()))
      .map((r) => `${r.method} ${r.path === masterUsers() && r.method === "POST" ? (r.body as { username: string }).username : r.path}`);
    const deleted = calls.findIndex((c) => c.startsWith("DELETE") && (c.endsWith(oldId) || c === `DELETE ${masterUsers()}`));
    expect(deleted).toBeGreaterThanOrEqual(0);
    expect(calls.indexOf("POST dee.renamed")).toBeGreaterThan(deleted);
    expect(ap().state.findUser("dee.renamed")).toBeDefined();
    expect(ap().state.activeUser(oldId)).toBeUndefined();
    const deeState = (await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser")).find((r) => r.urn.endsWith("::dee"))!;
    expect(deeState.id).toBe(ap().state.findUser("dee.renamed")!.id);
  });

  it("deleting users converges when one is already gone: the failed bulk call is retried per id and the 404 counts as deleted", async () => {
    const bobId = ap().state.findUser("bob.acme")!.id;
    ap().state.deleteUser(adaId); // removed outside rollcall since the last run
    f.writeUsers(usersYaml([cyd, { ...dee, anypoint: { ...dee.anypoint!, username: "dee.renamed" } }]));
    ap().server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    expect(ap().state.activeUser(bobId)).toBeUndefined();
    const deletes = ap().requests.filter((r) => r.method === "DELETE" && r.path.startsWith(masterUsers()));
    // The bulk call naming ada fails (404), then ada is deleted alone (404: already gone, fine).
    expect(deletes.some((r) => r.path === masterUsers() && (r.body as string[]).includes(adaId) && r.status === 404)).toBe(true);
    expect(deletes.some((r) => r.path === `${masterUsers()}/${adaId}` && r.status === 404)).toBe(true);
    const keys = (await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser")).map((r) => r.urn.split("::").pop()).sort();
    expect(keys).toEqual(["cyd", "dee"]);
  });

  it("re-adding a username this stack deleted fails in preview, naming the person and the line, before any call", async () => {
    // bob.acme was deleted by the last up; dee.acme by the one before (dee's username change), carried forward since.
    const renamedDee = { ...dee, anypoint: { ...dee.anypoint!, username: "dee.renamed" } };
    const eve: TestPerson = { key: "eve", anypoint: { username: "dee.acme", businessGroups: sales() } };
    const text = usersYaml([cyd, renamedDee, bob, eve]);
    f.writeUsers(text);
    const line = (key: string) => text.split("\n").findIndex((l) => l.includes(`key: ${key}`)) + 1;
    ap().server.clearLog();
    const preview = await f.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(output(preview)).toContain(
      `users.yaml:${line("bob")}: bob: Anypoint username 'bob.acme' was deleted by an earlier pulumi up of this stack`,
    );
    expect(output(preview)).toContain(
      `users.yaml:${line("eve")}: eve: Anypoint username 'dee.acme' was deleted by an earlier pulumi up of this stack`,
    );
    expect(mutatingRequests(ap().requests)).toEqual([]);
    f.writeUsers(usersYaml([cyd, renamedDee]));
  });

  it("up again with the same file changes nothing", async () => {
    ap().server.clearLog();
    expectOk(await f.stack.up(["--expect-no-changes"]), "pulumi up --expect-no-changes");
    expect(mutatingRequests(ap().requests)).toEqual([]);
  });
});
