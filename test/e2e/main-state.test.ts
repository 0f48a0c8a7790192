// A stack deployed by main before the layout move (the fixture holds the state that code wrote:
// shims loading dist/providers/controlroom/provider.js from the project directory) keeps working
// with the moved code, through the real engine: refresh reads, a changed role updates, a removed
// person is deleted — each call on the id the old state holds.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlRoomStack, expectOk, usersYaml, type ControlRoomStackFixture } from "../support/stack";
import { controlRoomUsersOf, MAIN_STATE_FILE, MAIN_STATE_STACK, mainState, seedUsersOf } from "../support/main-state";

const unversioned = (r: { path: string }) => r.path.replace(/^\/v\d+/, "");

describe("a stack deployed by main before the move", () => {
  let f: ControlRoomStackFixture;
  const state = mainState();
  const [ada, bob] = seedUsersOf(state);

  beforeAll(async () => {
    f = await controlRoomStack(MAIN_STATE_STACK, { seed: { users: seedUsersOf(state) } });
    const file = path.join(f.dir, "main-state.json");
    writeFileSync(file, JSON.stringify(state));
    expectOk(await f.stack.run(["stack", "import", "--file", file]), "pulumi stack import");
  });
  afterAll(async () => f?.dispose());

  it("holds main's stored shim (the fixture is what that version wrote)", async () => {
    expect(f.sim.findUser("ada")!.id).toBe(ada!.id);
    expect(f.sim.findUser("bob")!.id).toBe(bob!.id);
    for (const r of await f.resources()) {
      expect(r.outputs!.__provider).toBe(controlRoomUsersOf(state).find((s) => s.urn === r.urn)!.outputs!.__provider);
      expect(String(r.outputs!.__provider)).toContain('"dist/providers/controlroom/provider.js"');
    }
    expect(MAIN_STATE_FILE).toMatch(/main-2564e9f/);
  });

  it("refresh reads a change made outside rollcall", async () => {
    f.sim.findUser("ada")!.description = "changed outside rollcall";
    f.sim.server.clearLog();
    expectOk(await f.stack.refresh(), "pulumi refresh");
    const stored = (await f.resources()).find((r) => r.urn.endsWith("::ada"))!;
    expect(stored.outputs!.description).toBe("changed outside rollcall");
    expect(f.sim.requests.some((r) => r.method === "POST" && /^\/v\d+\/usermanagement\/users\/list$/.test(r.path))).toBe(true);
  });

  it("a changed role updates, and a removed person is deleted, on the ids main created", async () => {
    f.writeUsers(usersYaml([{ key: "bob", controlRoom: { roles: ["AAE_Basic", "Bot Runner"] } }]));
    f.sim.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    expect(f.sim.requests.filter((r) => r.method === "PUT").map(unversioned)).toEqual([`/usermanagement/users/${bob!.id}`]);
    expect(f.sim.requests.filter((r) => r.method === "DELETE").map(unversioned)).toEqual([`/usermanagement/users/${ada!.id}`]);
    expect(f.sim.findUser("ada")).toBeUndefined();
    expect(f.sim.findUser("bob")!.roleIds).toHaveLength(2);
  });
});
