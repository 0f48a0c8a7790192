// States written by the previous stored shim (1,968 bytes of closure-serialized forwarding methods,
// test/fixtures/shim/) must keep working with today's code: `read` and `delete` run the text stored in
// a resource's outputs, so a person removed after an upgrade is deleted by the OLD text, which loads
// `dist/providers/<platform>/provider.js` and its export `providers[kind]`.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shimText } from "../../src/pulumi/shim";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const V1 = readFileSync(path.join(__dirname, "../fixtures/shim/v1-controlroom-ControlRoomUser.js"), "utf8").replace(/\n$/, "");

/** The previous shim's text for a resource kind, as that version serialized it. */
function v1Shim(kind: string): string {
  const platform = kind.startsWith("ControlRoom") ? "controlroom" : "anypoint";
  return V1.replace('"dist/providers/controlroom/provider.js"', JSON.stringify(`dist/providers/${platform}/provider.js`)).replace(
    'kind: "ControlRoomUser"',
    `kind: ${JSON.stringify(kind)}`,
  );
}

const people: TestPerson[] = [
  { key: "ada", controlRoom: {}, anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } },
  { key: "bob", controlRoom: {}, anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } },
];

describe("a stack written by the previous shim", () => {
  let f: AnypointStackFixture;

  beforeAll(async () => {
    f = await platformsStack("shimv1", { seed: { businessGroups: [{ name: "Sales" }] } });
    f.writeUsers(usersYaml(people));
    expectOk(await f.stack.up(), "pulumi up");
    // Rewrite the state as the previous version left it: the old text in inputs and outputs.
    const state = await f.stack.exportState();
    for (const r of state.deployment.resources ?? []) {
      if (!r.type.startsWith("pulumi-nodejs:dynamic/rollcall:")) continue;
      const kind = r.type.split(":").pop()!;
      for (const props of [r.inputs, r.outputs]) if (props) props.__provider = v1Shim(kind);
    }
    const file = path.join(f.dir, "v1-state.json");
    writeFileSync(file, JSON.stringify(state));
    expectOk(await f.stack.run(["stack", "import", "--file", file]), "pulumi stack import");
  });
  afterAll(async () => f?.dispose());

  it("holds only the old text before the test (the fixture is what the previous version stored)", async () => {
    const stored = (await f.stack.exportState()).deployment.resources!.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/rollcall:"));
    expect(stored.length).toBeGreaterThanOrEqual(4);
    for (const r of stored) expect(String(r.outputs!.__provider)).toContain("with({ file: ");
    expect(V1.length).toBe(1968);
  });

  it("refresh reads every user through the old text", async () => {
    f.sim.findUser("ada")!.description = "changed outside rollcall";
    f.sim.server.clearLog();
    f.anypoint.server.clearLog();
    expectOk(await f.stack.refresh(), "pulumi refresh");
    // Control Room's read (from the user listing: pages, not people) ran through the old text.
    const ada = (await f.stack.exportState()).deployment.resources!.find((r) => r.urn.endsWith("ControlRoomUser::ada"))!;
    expect(ada.outputs!.description).toBe("changed outside rollcall");
    expect(f.sim.requests.filter((r) => r.method === "GET" && /\/v2\/usermanagement\/users\/\d+$/.test(r.path))).toEqual([]);
    // Anypoint reads by user or by page (whichever the provider does): either way through the old text.
    expect(f.anypoint.requests.some((r) => r.method === "GET" && /\/users(\/|$)/.test(r.path))).toBe(true);
  });

  it("removing a person deletes them on both platforms through the old text", async () => {
    const bobId = f.sim.findUser("bob")!.id;
    f.writeUsers(usersYaml(people.filter((p) => p.key !== "bob")));
    f.sim.server.clearLog();
    f.anypoint.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    const crDeletes = f.sim.requests.filter((r) => r.method === "DELETE");
    expect(crDeletes).toHaveLength(1);
    expect(crDeletes[0]!.path).toBe(`/v2/usermanagement/users/${bobId}`);
    expect(f.anypoint.requests.filter((r) => r.method === "DELETE" && r.path.endsWith("/users"))).toHaveLength(1);
    expect(f.anypoint.state.findUser("bob.acme") && f.anypoint.state.activeUser(f.anypoint.state.findUser("bob.acme")!.id)).toBeFalsy();
    const left = (await f.stack.exportState()).deployment.resources!.map((r) => r.urn);
    expect(left.some((u) => u.endsWith("::bob"))).toBe(false);
    expect(left.some((u) => u.endsWith("::ada"))).toBe(true);
  });

  it("new and updated resources store the new, small text", async () => {
    f.writeUsers(usersYaml([...people.filter((p) => p.key !== "bob"), { key: "cyd", controlRoom: {} }]));
    expectOk(await f.stack.up(), "pulumi up");
    const cyd = (await f.stack.exportState()).deployment.resources!.find((r) => r.urn.endsWith("ControlRoomUser::cyd"))!;
    expect(cyd.outputs!.__provider).toBe(shimText({ platform: "controlroom", kind: "ControlRoomUser" }));
    expect(String(cyd.outputs!.__provider).length).toBeLessThan(200);
  });
});
