// End to end through the real pulumi engine against the Control Room simulator: every assertion
// is on the simulator's request log or the engine's own state/preview, never on mocks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutatingRequests } from "../../src/sim/harness";
import { renderPreview } from "../../src/features/report/preview";
import { controlRoomStack, expectOk, usersYaml, type ControlRoomStackFixture, type TestPerson } from "../support/stack";

const three: TestPerson[] = [
  { key: "ada", controlRoom: { roles: ["AAE_Admin"] } },
  { key: "grace", controlRoom: { roles: ["Bot Runner"], licenses: ["DEVELOPMENT"] } },
  { key: "alan", controlRoom: { roles: ["Bot Runner"] } },
];

describe("Control Room reconciliation through the real engine", () => {
  let f: ControlRoomStackFixture;
  beforeAll(async () => {
    f = await controlRoomStack("crflow");
  });
  afterAll(async () => f?.dispose());

  it("a. up with 3 people creates 3 users and records their ids in the state", async () => {
    f.writeUsers(usersYaml(three));
    expectOk(await f.stack.up(), "pulumi up");
    const posts = f.sim.requests.filter((r) => r.method === "POST" && r.path === "/v2/usermanagement/users");
    expect(posts.map((p) => (p.body as { username: string }).username).sort()).toEqual(["ada", "alan", "grace"]);
    const resources = await f.resources();
    expect(resources).toHaveLength(3);
    for (const r of resources) {
      const live = f.sim.findUser(r.outputs!.username as string)!;
      expect(r.id).toBe(String(live.id));
    }
  });

  it("b. removing one entry previews exactly one delete, and up sends exactly that DELETE", async () => {
    const alan = f.sim.findUser("alan")!;
    f.writeUsers(usersYaml(three.filter((p) => p.key !== "alan")));
    f.sim.server.clearLog();
    const { result, digest } = await f.stack.previewJson();
    expectOk(result, "pulumi preview --json");
    const changes = (digest.steps ?? []).filter((s) => s.op !== "same" && s.op !== "read");
    expect(changes.map((s) => [s.op, s.urn.split("::").pop()])).toEqual([["delete", "alan"]]);
    expect(renderPreview(digest)).toBe("rollcall: 1 access change (1 removed)\n\n- alan: Control Room user `alan` **removed**\n");
    expect(mutatingRequests(f.sim.requests)).toEqual([]);

    expectOk(await f.stack.up(), "pulumi up");
    const mutating = mutatingRequests(f.sim.requests);
    expect(mutating.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`DELETE /v2/usermanagement/users/${alan.id} 200`]);
    expect(f.sim.findUser("alan")).toBeUndefined();
    expect((await f.resources()).map((r) => r.outputs!.username).sort()).toEqual(["ada", "grace"]);
  });

  it("c. up again changes nothing (--expect-no-changes passes) and sends no mutating call", async () => {
    f.sim.server.clearLog();
    expectOk(await f.stack.up(["--expect-no-changes"]), "pulumi up --expect-no-changes");
    expect(mutatingRequests(f.sim.requests)).toEqual([]);
  });

  it("d. changing one role sends exactly one update, and the preview names the field", async () => {
    const grace = f.sim.findUser("grace")!;
    const changed = three
      .filter((p) => p.key !== "alan")
      .map((p) => (p.key === "grace" ? { ...p, controlRoom: { ...p.controlRoom, roles: ["Finance Automation"] } } : p));
    f.writeUsers(usersYaml(changed));
    const { digest } = await f.stack.previewJson(["--diff"]);
    const step = (digest.steps ?? []).find((s) => s.op === "update")!;
    expect(step.urn).toMatch(/::grace$/);
    expect(step.diffReasons).toEqual(["roles"]);
    expect(renderPreview(digest)).toContain("- grace: Control Room user `grace` changed\n  - roles: Bot Runner → Finance Automation\n");
    // alan left in b.; grace was the last person with Bot Runner: the preview warns before anything changes.
    expect(renderPreview(digest)).toContain(
      "Warnings:\n- Control Room role 'Bot Runner' was held by grace; after this change nobody in users.yaml holds it.",
    );

    f.sim.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    const mutating = mutatingRequests(f.sim.requests);
    expect(mutating.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /v2/usermanagement/users/${grace.id}`]);
    expect((mutating[0]!.body as { roleIds: string[] }).roleIds).toEqual([String(f.sim.findUser("grace")!.roleIds[0])]);
    expect([...f.sim.roles.values()].find((r) => r.id === grace.roleIds[0])!.name).toBe("Finance Automation");
  });

  it("e. a person who already exists on the platform is adopted: no POST", async () => {
    const existing = f.sim.addUser({
      username: "Katherine",
      email: "katherine@example.com",
      firstName: "Katherine",
      lastName: "Tester",
      roles: ["AAE_Basic"],
    });
    const people: TestPerson[] = [...three.filter((p) => p.key !== "alan"), { key: "katherine", controlRoom: {} }];
    f.writeUsers(
      usersYaml(people.map((p) => (p.key === "grace" ? { ...p, controlRoom: { ...p.controlRoom, roles: ["Finance Automation"] } } : p))),
    );
    f.sim.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    expect(f.sim.requests.filter((r) => r.method === "POST" && r.path.endsWith("/usermanagement/users"))).toEqual([]);
    const katherine = (await f.resources()).find((r) => r.urn.endsWith("::katherine"))!;
    expect(katherine.id).toBe(String(existing.id));
    expect(katherine.outputs!.adopted).toBe(true);
  });

  it("f. a user deleted out of band is dropped by refresh and re-created by the next up", async () => {
    const katherine = f.sim.findUser("katherine")!;
    f.sim.users.delete(katherine.id);
    expectOk(await f.stack.refresh(), "pulumi refresh");
    expect((await f.resources()).some((r) => r.urn.endsWith("::katherine"))).toBe(false);

    f.sim.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    const posts = f.sim.requests.filter((r) => r.method === "POST" && r.path === "/v2/usermanagement/users");
    expect(posts.map((p) => (p.body as { username: string }).username)).toEqual(["katherine"]);
    expect(f.sim.findUser("katherine")).toBeDefined();
  });

  it("g. a username change is a replace: delete the old user before creating the new one", async () => {
    const people: TestPerson[] = [
      { key: "ada", controlRoom: { roles: ["AAE_Admin"] } },
      { key: "grace", controlRoom: { username: "grace.hopper", roles: ["Finance Automation"], licenses: ["DEVELOPMENT"] } },
      { key: "katherine", controlRoom: {} },
    ];
    f.writeUsers(usersYaml(people));
    const { digest } = await f.stack.previewJson();
    const ops = (digest.steps ?? []).filter((s) => s.urn.endsWith("::grace")).map((s) => s.op);
    expect(ops).toContain("replace");
    const oldId = f.sim.findUser("grace")!.id;
    f.sim.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    expect(mutatingRequests(f.sim.requests).map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /v2/usermanagement/users/${oldId}`,
      "POST /v2/usermanagement/users",
    ]);
    expect(f.sim.findUser("grace.hopper")).toBeDefined();
  });
});
