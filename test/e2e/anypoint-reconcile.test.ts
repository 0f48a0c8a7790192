// Anypoint through the real engine against the Anypoint simulator: master-org users, access per
// business group, removal by the platform's rules. Assertions are on the simulator's request log
// and state, and on the engine's own state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutatingRequests } from "../../src/sim/harness";
import { renderPreview } from "../../src/features/report/preview";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const seed = {
  businessGroups: [{ name: "Sales" }, { name: "Engineering" }, { name: "Platform", parent: "Engineering" }],
  teams: ["Approvers", "Sales Engineers"],
};

const people: TestPerson[] = [
  {
    key: "ada",
    anypoint: {
      businessGroups: {
        "Acme Corp": { roles: ["Organization Administrator"] },
        Sales: { roles: ["Exchange Viewer"], teams: ["Approvers"] },
      },
    },
  },
  { key: "bob", anypoint: { businessGroups: { Sales: { roles: ["Exchange Contributor"] }, Platform: { roles: ["API Creator"] } } } },
  { key: "cyd", anypoint: { businessGroups: { Engineering: { roles: ["Exchange Viewer"] } } } },
  // Another Organization Administrator: rollcall refuses to remove the last one (src/features/safety/protected.ts).
  { key: "root", anypoint: { businessGroups: { "Acme Corp": { roles: ["Organization Administrator"] } } } },
];

describe("Anypoint reconciliation through the real engine", () => {
  let f: AnypointStackFixture;
  const ap = () => f.anypoint;
  const bgPath = (name: string) => `/accounts/api/organizations/${ap().state.orgByName(name)!.id}`;
  const masterPath = () => `/accounts/api/organizations/${ap().state.master.id}`;

  beforeAll(async () => {
    f = await platformsStack("apflow", { seed });
    f.writeUsers(usersYaml(people));
    expectOk(await f.stack.up(), "pulumi up");
  });
  afterAll(async () => f?.dispose());

  it("creates master-org users and their access in each declared business group", () => {
    const s = ap().state;
    const bob = s.findUser("bob.acme")!;
    expect(s.rolesOf(bob.id, s.orgByName("Sales")!.id).map((r) => r.name)).toEqual(["Exchange Contributor"]);
    expect(s.rolesOf(bob.id, s.orgByName("Platform")!.id).map((r) => r.name)).toEqual(["API Creator"]);
    expect([...s.teamByName("Approvers")!.members]).toEqual([s.findUser("ada.acme")!.id]);
    const posts = ap().requests.filter((r) => r.method === "POST" && r.path === `${masterPath()}/users`);
    expect(posts.map((p) => (p.body as { username: string }).username).sort()).toEqual(["ada.acme", "bob.acme", "cyd.acme", "root.acme"]);
  });

  it("removing one business group removes only that group's permissions; the user and other groups stay", async () => {
    const bob = ap().state.findUser("bob.acme")!;
    f.writeUsers(
      usersYaml(
        people.map((p) => (p.key === "bob" ? { ...p, anypoint: { businessGroups: { Platform: { roles: ["API Creator"] } } } } : p)),
      ),
    );
    ap().server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    const s = ap().state;
    expect(s.rolesOf(bob.id, s.orgByName("Sales")!.id)).toEqual([]);
    expect(s.rolesOf(bob.id, s.orgByName("Platform")!.id).map((r) => r.name)).toEqual(["API Creator"]);
    expect(s.activeUser(bob.id)).toBeDefined();
    const mutating = mutatingRequests(ap().requests);
    expect(mutating.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE ${bgPath("Sales")}/members`]);
    expect(mutating[0]!.body).toEqual([bob.id]);
  });

  it("removing a person deletes their id on the master-org path exactly once, and nothing on a business-group path", async () => {
    const ada = ap().state.findUser("ada.acme")!;
    f.writeUsers(
      usersYaml(
        people
          .filter((p) => p.key !== "ada")
          .map((p) => (p.key === "bob" ? { ...p, anypoint: { businessGroups: { Platform: { roles: ["API Creator"] } } } } : p)),
      ),
    );
    // The reviewer is told before anything happens: ada was the only approver and the only admin.
    const { digest } = await f.stack.previewJson();
    const summary = renderPreview(digest);
    expect(summary).toContain("- ada: Anypoint user `ada.acme` **removed**");
    expect(summary).toContain("- Anypoint team 'Approvers' was held by ada; after this change nobody in users.yaml holds it.");
    ap().server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    const deletes = ap().requests.filter((r) => r.method === "DELETE");
    const mentions = deletes.filter((r) => r.path.endsWith(ada.id) || (Array.isArray(r.body) && r.body.includes(ada.id)));
    expect(mentions.map((r) => r.path)).toEqual([expect.stringMatching(new RegExp(`^${masterPath()}/users(/${ada.id})?$`))]);
    expect(deletes.filter((r) => !r.path.startsWith(`${masterPath()}/`))).toEqual([]);
    expect(ap().state.activeUser(ada.id)).toBeUndefined();
    expect(ap().state.users.get(ada.id)!.deleted).toBe(true); // the account remains; the membership is gone
    const users = await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser");
    expect(users.map((r) => r.outputs!.username).sort()).toEqual(["bob.acme", "cyd.acme", "root.acme"]);
    // One resource per platform user: the access lives on it, per business group.
    expect(Object.fromEntries(users.map((r) => [r.outputs!.username, Object.keys(r.outputs!.businessGroups as object)]))).toEqual({
      "bob.acme": ["Platform"],
      "cyd.acme": ["Engineering"],
      "root.acme": ["Acme Corp"],
    });
    expect(await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointBusinessGroupAccess")).toEqual([]);
  });

  it("re-adding a username this stack deleted is refused before any call, with a message naming the person and the rule", async () => {
    f.writeUsers(
      usersYaml([
        ...people.filter((p) => p.key !== "bob" && p.key !== "ada"),
        { key: "bob", anypoint: { businessGroups: { Platform: { roles: ["API Creator"] } } } },
        { key: "ada2", anypoint: { username: "ada.acme", businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } },
      ]),
    );
    ap().server.clearLog();
    const up = await f.stack.up();
    expect(up.code).not.toBe(0);
    // The stack's last deployment recorded the deletion, so the program refuses (in preview too)
    // instead of letting the create meet Anypoint's 409.
    expect(`${up.stdout}${up.stderr}`).toContain("ada2: Anypoint username 'ada.acme' was deleted by an earlier pulumi up of this stack");
    expect(`${up.stdout}${up.stderr}`).toContain("Anypoint never reuses a username");
    expect(mutatingRequests(ap().requests)).toEqual([]);
  });

  it("an invalid users.yaml sends nothing to either platform and changes nothing", async () => {
    const before = (await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser")).map((r) => r.id);
    f.writeUsers(
      "version: 1\nusers:\n  - key: cyd\n    email: cyd@example.com\n    firstName: C\n    lastName: T\n    anypoint:\n      username: cyd.acme\n      businessGroups: {}\n",
    );
    ap().server.clearLog();
    f.sim.server.clearLog();
    const up = await f.stack.up();
    expect(up.code).not.toBe(0);
    expect(`${up.stdout}${up.stderr}`).toMatch(
      /users\.yaml:9:23 users\[0\]\.anypoint\.businessGroups: must declare at least one business group/,
    );
    expect(ap().requests).toEqual([]);
    expect(f.sim.requests).toEqual([]);
    expect((await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser")).map((r) => r.id)).toEqual(before);
  });

  it("disabling a person sends one (bulk) update with enabled: false; their access stays", async () => {
    const cyd = ap().state.findUser("cyd.acme")!;
    f.writeUsers(
      usersYaml(
        people
          .filter((p) => p.key !== "ada")
          .map((p) =>
            p.key === "bob"
              ? { ...p, anypoint: { businessGroups: { Platform: { roles: ["API Creator"] } } } }
              : p.key === "cyd"
                ? { ...p, anypoint: { ...p.anypoint!, disabled: true } }
                : p,
          ),
      ),
    );
    ap().server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    const mutating = mutatingRequests(ap().requests);
    // Disables go out as the platform's bulk update (PUT …/users), the whole user as listed.
    expect(mutating.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${masterPath()}/users`]);
    expect(mutating[0]!.body).toEqual([
      {
        id: cyd.id,
        email: cyd.email,
        firstName: cyd.firstName,
        lastName: cyd.lastName,
        enabled: false,
        phoneNumber: cyd.phoneNumber ?? "",
      },
    ]);
    expect(ap().state.activeUser(cyd.id)!.enabled).toBe(false);
    expect(
      ap()
        .state.rolesOf(cyd.id, ap().state.orgByName("Engineering")!.id)
        .map((r) => r.name),
    ).toEqual(["Exchange Viewer"]);
  });

  it("up again with the same file changes nothing", async () => {
    ap().server.clearLog();
    expectOk(await f.stack.up(["--expect-no-changes"]), "pulumi up --expect-no-changes");
    expect(mutatingRequests(ap().requests)).toEqual([]);
  });
});
