// Drift: changes made outside rollcall, on each platform — a role added in the UI, a user
// disabled, a user deleted — show in `pulumi preview --refresh` (and its JSON, as "changed outside
// rollcall"), and `pulumi up --refresh` puts each back as users.yaml says. Asserted on the
// simulators' state and the engine's output, not on how the resources are modelled.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutatingRequests } from "../../src/sim/harness";
import { outsideChanges } from "../../src/features/drift/outside-changes";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const people: TestPerson[] = [
  { key: "ada", controlRoom: { roles: ["AAE_Basic"] }, anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } },
  { key: "bob", controlRoom: { roles: ["Bot Runner"] }, anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } },
  { key: "cyd", controlRoom: { roles: ["AAE_Basic"] }, anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } },
];

describe("changes made outside rollcall, on both platforms", () => {
  let f: AnypointStackFixture;
  const cr = () => f.sim;
  const ap = () => f.anypoint.state;
  const crUser = (username: string) => cr().findUser(username)!;
  const crRoleId = (name: string) => [...cr().roles.values()].find((r) => r.name === name)!.id;
  const crRoles = (username: string) =>
    crUser(username)
      .roleIds.map((id) => cr().roles.get(id)!.name)
      .sort();
  const sales = () => ap().orgByName("Sales")!.id;

  beforeAll(async () => {
    f = await platformsStack("drift", { seed: { businessGroups: ["Sales"] } });
    f.writeUsers(usersYaml(people));
    expectOk(await f.stack.up(), "pulumi up");
  });
  afterAll(async () => f?.dispose());

  it("a role added, a user disabled and a user deleted outside rollcall show in preview --refresh, per person and platform", async () => {
    // In the platforms' UIs: ada gets a role, bob is disabled, cyd is deleted — on both platforms.
    crUser("ada").roleIds.push(crRoleId("AAE_Admin"));
    crUser("bob").disabled = true;
    const cydId = crUser("cyd").id;
    cr().users.delete(cydId);
    ap().assign(ap().findUser("ada.acme")!.id, ap().roleByName("Organization Administrator")!.id, sales());
    ap().findUser("bob.acme")!.enabled = false;

    f.sim.server.clearLog();
    f.anypoint.server.clearLog();
    const plain = await f.stack.preview(["--expect-no-changes"]);
    expectOk(plain, "pulumi preview without --refresh (compares with the state only)");

    const { result, digest } = await f.stack.previewJson(["--refresh"]);
    expectOk(result, "pulumi preview --refresh --json");
    writeFileSync(path.join(process.env.DRIFT_JSON_DIR ?? f.dir, "preview-refresh.json"), JSON.stringify(digest, null, 2));
    const drift = outsideChanges(digest);
    const line = (d: (typeof drift)[number]) =>
      `${d.platform} ${d.name} ${d.kind} ${d.fields.map((x) => `${x.field}:${JSON.stringify(x.was)}→${JSON.stringify(x.now)}`).join(",")}`;
    expect(
      drift
        .filter((d) => d.platform === "Control Room")
        .map(line)
        .sort(),
    ).toEqual([
      `Control Room ada changed roles:["AAE_Basic"]→["AAE_Admin","AAE_Basic"]`,
      `Control Room bob changed disabled:false→true`,
      `Control Room cyd deleted `,
    ]);
    // Anypoint at the behaviour level (whichever resource carries a person's access): ada's added
    // role and bob's disabled user, each with the platform's value.
    const anypoint = drift.filter((d) => d.platform === "Anypoint");
    expect(
      anypoint
        .filter((d) => d.name.startsWith("ada"))
        .flatMap((d) => d.fields.map((x) => JSON.stringify(x.now)))
        .join(" "),
    ).toContain("Organization Administrator");
    expect(anypoint.filter((d) => d.name === "bob").flatMap((d) => d.fields)).toContainEqual({ field: "enabled", was: true, now: false });
    expect(anypoint.map((d) => d.name).filter((n) => !n.startsWith("ada") && n !== "bob")).toEqual([]);
    // The plan puts each back.
    const ops = Object.fromEntries(
      (digest.steps ?? [])
        .filter((s) => s.op !== "same" && s.op !== "refresh")
        .map((s) => [`${s.urn.split("::").pop()} ${/dynamic\/rollcall:(\w+)::/.exec(s.urn)?.[1]}`, s.op]),
    );
    expect(ops).toMatchObject({
      "ada ControlRoomUser": "update",
      "bob ControlRoomUser": "update",
      "cyd ControlRoomUser": "create",
      "bob AnypointUser": "update",
    });
    expect(Object.entries(ops).some(([k, op]) => k.startsWith("ada") && k.includes("Anypoint") && op === "update")).toBe(true);
    // Control Room's refresh reads the user listing (pages), not each user: one page here, listed
    // by each preview's program (its inventory) and once by the refreshing provider. Only the user
    // missing from the listing (cyd, deleted) is asked for by id before it is declared gone.
    const cydPath = `/v2/usermanagement/users/${cydId}`;
    expect(
      f.sim.requests.filter((r) => r.method === "GET" && /\/usermanagement\/users\/\d+$/.test(r.path)).map((r) => `${r.path} ${r.status}`),
    ).toEqual([`${cydPath} 404`]);
    expect(f.sim.requests.filter((r) => r.path.endsWith("/usermanagement/users/list")).length).toBeLessThanOrEqual(3);
    // A preview writes nothing anywhere.
    expect(mutatingRequests(f.sim.requests)).toEqual([]);
    expect(mutatingRequests(f.anypoint.requests)).toEqual([]);
  }, 300_000);

  it("pulumi up --refresh puts every change back as users.yaml says, and the next preview expects no changes", async () => {
    expectOk(await f.stack.up(["--refresh"]), "pulumi up --refresh");
    expect(crRoles("ada")).toEqual(["AAE_Basic"]);
    expect(crUser("bob").disabled).toBe(false);
    expect(crRoles("cyd")).toEqual(["AAE_Basic"]);
    expect(
      ap()
        .rolesOf(ap().findUser("ada.acme")!.id, sales())
        .map((r) => r.name),
    ).toEqual(["Exchange Viewer"]);
    expect(ap().findUser("bob.acme")!.enabled).toBe(true);
    expectOk(await f.stack.preview(["--refresh", "--expect-no-changes"]), "pulumi preview --refresh --expect-no-changes");
  }, 300_000);

  it("an Anypoint user deleted outside rollcall shows as deleted; up --refresh cannot re-create the username and says what to do", async () => {
    ap().deleteUser(ap().findUser("cyd.acme")!.id);
    const { digest } = await f.stack.previewJson(["--refresh"]);
    expect(outsideChanges(digest).map((d) => `${d.platform} ${d.name} ${d.kind}`)).toEqual(
      expect.arrayContaining(["Anypoint cyd deleted"]),
    );
    const up = await f.stack.up(["--refresh"]);
    expect(up.code).not.toBe(0);
    expect(`${up.stdout}${up.stderr}`).toContain(
      "The username 'cyd.acme' is taken: Anypoint usernames are never reusable, even after the user was deleted.",
    );
    // The fix the message names: another username for the person.
    f.writeUsers(
      usersYaml(
        people.map((p) =>
          p.key === "cyd" ? { ...p, anypoint: { username: "cyd2.acme", businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } } : p,
        ),
      ),
    );
    expectOk(await f.stack.up(["--refresh"]), "pulumi up --refresh with the new username");
    expect(
      ap()
        .rolesOf(ap().findUser("cyd2.acme")!.id, sales())
        .map((r) => r.name),
    ).toEqual(["Exchange Viewer"]);
  }, 300_000);
});
