// Anypoint at organization scale through the real engine: adopting an existing organization,
// removing 200 people with bulk calls, and a caller without Organization Administrator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIM_ANYPOINT_VIEWER_APP } from "../../src/sim/anypoint/simulator";
import { mutatingRequests } from "../../src/sim/harness";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const person = (i: number): TestPerson => ({
  key: `user${String(i).padStart(4, "0")}`,
  anypoint: { username: `user${String(i).padStart(4, "0")}`, businessGroups: { Sales: { roles: ["Exchange Viewer"] } } },
});

describe("Anypoint at scale through the real engine", () => {
  let f: AnypointStackFixture;
  beforeAll(async () => {
    // An existing organization: 250 users already there, 50 of them with their Sales access.
    // No engine settings here: the project's own (src/pulumi/engine/fast-path.ts) must be the fast path.
    // With a checkpoint written per step, removals trickle in (make bench: 25 bulk calls instead of 4).
    f = await platformsStack("apscale", { seed: { businessGroups: [{ name: "Sales" }], users: 250 } }, { ROLLCALL_MAX_REMOVALS: "200" });
    const s = f.anypoint.state;
    for (let i = 0; i < 50; i++) s.assign(s.findUser(person(i).key)!.id, s.roleByName("Exchange Viewer")!.id, s.orgByName("Sales")!.id);
  });
  afterAll(async () => f?.dispose());

  it("adopts an existing organization of 50 declared users with zero POSTs", async () => {
    f.writeUsers(usersYaml(Array.from({ length: 50 }, (_, i) => ({ ...person(i), firstName: "First", lastName: "Last" }))));
    expectOk(await f.stack.up(), "pulumi up");
    expect(f.anypoint.requests.filter((r) => r.method === "POST" && r.path.endsWith("/users"))).toEqual([]);
    const users = await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser");
    expect(users).toHaveLength(50);
    expect(users.every((u) => u.outputs!.adopted === true && u.id === f.anypoint.state.findUser(u.outputs!.username as string)!.id)).toBe(
      true,
    );
    // Issue #13's budget of 1.5 KB of state per resource: the SDK's call stacks (sourcePosition,
    // stackTrace: ~750 bytes each) are not recorded (src/pulumi/sdk-costs.ts).
    const sizes = users.map((u) => JSON.stringify(u).length);
    expect(users.filter((u) => "stackTrace" in u || "sourcePosition" in u).map((u) => u.urn)).toEqual([]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1536);
  });

  it("disabling 40 people (soft offboarding) and re-enabling them go out as bulk PUTs", async () => {
    const everyone = Array.from({ length: 50 }, (_, i) => ({ ...person(i), firstName: "First", lastName: "Last" }));
    expectOk(await f.stack.setConfig("rollcall:offboarding", "disable"), "pulumi config set");
    const leaving = everyone.slice(10).map((p) => f.anypoint.state.findUser(p.key)!.id);
    const master = `/accounts/api/organizations/${f.anypoint.state.master.id}/users`;
    const puts = () => mutatingRequests(f.anypoint.requests).filter((r) => r.method === "PUT");
    f.writeUsers(usersYaml(everyone.slice(0, 10)));
    f.anypoint.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up (disable 40)");
    expect(leaving.every((id) => f.anypoint.state.activeUser(id)?.enabled === false)).toBe(true);
    // Bulk calls on the master organization only: no GET-then-PUT per person.
    expect(puts().map((r) => r.path)).toEqual(puts().map(() => master));
    expect(
      puts()
        .flatMap((r) => (r.body as { id: string }[]).map((u) => u.id))
        .sort(),
    ).toEqual([...leaving].sort());
    // The engine starts updates as their diffs finish, so they arrive in a few waves, not one.
    expect(puts().length).toBeLessThanOrEqual(leaving.length / 5);
    const disableCalls = puts().length;

    f.writeUsers(usersYaml(everyone));
    f.anypoint.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up (back)");
    expect(leaving.every((id) => f.anypoint.state.activeUser(id)?.enabled === true)).toBe(true);
    expect(puts().every((r) => r.path === master)).toBe(true);
    console.log(`disabling 40 people: ${disableCalls} bulk PUT calls; re-enabling: ${puts().length}`);
    // After several runs the state still holds the last outputs (the roster) once: the program reads
    // them with an invoke, not a StackReference that would store them again (src/features/safety/last-deployment.ts).
    const types = ((await f.stack.exportState()).deployment.resources ?? []).map((r) => r.type);
    expect(types.filter((t) => t === "pulumi:pulumi:StackReference")).toEqual([]);
    expectOk(await f.stack.run(["config", "rm", "rollcall:offboarding"]), "pulumi config rm");
  });

  it("declares 200 more people, then removes all 200 with bulk deletes only", async () => {
    f.writeUsers(usersYaml(Array.from({ length: 250 }, (_, i) => ({ ...person(i), firstName: "First", lastName: "Last" }))));
    expectOk(await f.stack.up(), "pulumi up");
    const doomed = Array.from({ length: 200 }, (_, i) => f.anypoint.state.findUser(person(50 + i).key)!.id);

    f.writeUsers(usersYaml(Array.from({ length: 50 }, (_, i) => ({ ...person(i), firstName: "First", lastName: "Last" }))));
    f.anypoint.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    const deletes = f.anypoint.requests.filter((r) => r.method === "DELETE");
    const master = `/accounts/api/organizations/${f.anypoint.state.master.id}/users`;
    // Every DELETE is a bulk call on the master organization: no single deletes, nothing on Sales.
    expect(deletes.every((r) => r.path === master && r.status === 204)).toBe(true);
    expect(deletes.flatMap((r) => r.body as string[]).sort()).toEqual([...doomed].sort());
    expect(deletes.length).toBeLessThanOrEqual(8);
    expect(mutatingRequests(f.anypoint.requests).filter((r) => r.method !== "DELETE")).toEqual([]);
    expect(doomed.every((id) => !f.anypoint.state.activeUser(id))).toBe(true);
    const kept = await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser");
    expect(kept).toHaveLength(50);
    expect(kept.every((u) => Object.keys(u.outputs!.businessGroups as object).join() === "Sales")).toBe(true);
    console.log(
      `removing 200 people: ${deletes.length} bulk DELETE calls (${deletes.map((d) => (d.body as string[]).length).join(", ")} ids)`,
    );
  });

  it("a caller without Organization Administrator gets a clear error and nothing changes", async () => {
    await f.stack.setConfig("rollcall:anypointClientId", SIM_ANYPOINT_VIEWER_APP.clientId);
    await f.stack.setConfig("rollcall:anypointClientSecret", SIM_ANYPOINT_VIEWER_APP.clientSecret, true);
    f.writeUsers(
      usersYaml([
        ...Array.from({ length: 49 }, (_, i) => ({ ...person(i), firstName: "First", lastName: "Last" })),
        { key: "newbie", anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } },
      ]),
    );
    f.anypoint.server.clearLog();
    const before = f.anypoint.state.users.size;
    const up = await f.stack.up();
    expect(up.code).not.toBe(0);
    // Preflight says so before anything else: not a single mutating call, not even a refused one.
    expect(`${up.stdout}${up.stderr}`).toContain(
      "is not Organization Administrator of the master organization 'Acme Corp', which managing users needs; nothing was sent",
    );
    expect(mutatingRequests(f.anypoint.requests)).toEqual([]);
    expect(f.anypoint.state.users.size).toBe(before);
    expect(f.anypoint.state.findUser(person(49).key)).toBeDefined();
  });
});
