// AnypointClient against the Anypoint simulator over real HTTP (127.0.0.1): every method, checked
// on the simulator's state and on the request log (what went over the wire).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AnypointClient } from "../../src/providers/anypoint/client";
import { createAnypointSimulator, SIM_ANYPOINT_VIEWER_APP } from "../../src/sim/anypoint/simulator";
import { appConnection, readable } from "./support";

describe("AnypointClient ↔ simulator", () => {
  const sim = createAnypointSimulator({ idleTimeoutSeconds: 120 });
  let client: AnypointClient;
  const log = () => sim.requests.map((r) => `${r.method} ${readable(sim, r.path)}${r.query} ${r.status}`);
  beforeAll(async () => {
    sim.seedOrganization({
      masterName: "Acme Corp",
      businessGroups: [
        "Sales",
        { name: "EMEA", parent: "Sales" },
        "Engineering",
        { name: "Ops", parent: "Engineering" },
        { name: "Ops", parent: "Sales" },
      ],
      roleGroups: [{ name: "Sales Auditors", org: "Sales", roles: ["Exchange Viewer"] }],
      teams: [
        "Approvers",
        {
          name: "Sales Reviewers",
          roles: [
            { org: "Sales", role: "Exchange Viewer" },
            { org: "Engineering", role: "API Creator" },
          ],
        },
        { name: "SSO Sales", roles: [{ org: "Sales", role: "Exchange Viewer" }] },
      ],
      users: 1200,
    });
    await sim.start();
    client = new AnypointClient(appConnection(sim));
  });
  beforeEach(() => sim.server.clearLog());
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  it("me(): the connected app and its master organization", async () => {
    expect(await client.me()).toEqual({ kind: "client", id: "rollcall-sim-app", name: "rollcall", organizationId: sim.state.master.id });
  });

  it("organizationTree() and resolveBusinessGroup(): names, paths for repeated names, closest names when unknown", async () => {
    const tree = await client.organizationTree();
    expect(tree.name).toBe("Acme Corp");
    expect(tree.children.map((c) => c.name)).toEqual(["Sales", "Engineering"]);
    expect(tree.children[0]!.children.map((c) => c.path.join("/"))).toEqual(["Acme Corp/Sales/EMEA", "Acme Corp/Sales/Ops"]);
    expect(await client.resolveBusinessGroup("EMEA")).toEqual({ id: sim.state.orgByName("EMEA")!.id, name: "EMEA" });
    expect(await client.businessGroupId("Acme Corp")).toBe(sim.state.master.id);
    await expect(client.resolveBusinessGroup("Ops")).rejects.toThrow(
      /2 business groups are named 'Ops' \('Sales\/Ops', 'Engineering\/Ops'\)|2 business groups are named 'Ops' \('Engineering\/Ops', 'Sales\/Ops'\)/,
    );
    const salesOps = [...sim.state.orgs.values()].find((o) => o.name === "Ops" && sim.state.orgs.get(o.parentId!)!.name === "Sales")!;
    expect((await client.resolveBusinessGroup("Sales/Ops")).id).toBe(salesOps.id);
    await expect(client.resolveBusinessGroup("Sale")).rejects.toThrow(
      /no business group named 'Sale' under the master organization \(did you mean 'Sales'/,
    );
  });

  it("listUsers() pages through more than 500 users, 500 at a time", async () => {
    const users = await client.listUsers();
    expect(users).toHaveLength(1200);
    expect(new Set(users.map((u) => u.id)).size).toBe(1200);
    expect(log().filter((l) => l.includes("/users?"))).toEqual([
      "GET /accounts/api/organizations/MASTER/users?offset=0&limit=500 200",
      "GET /accounts/api/organizations/MASTER/users?offset=500&limit=500 200",
      "GET /accounts/api/organizations/MASTER/users?offset=1000&limit=500 200",
    ]);
  });

  it("findUserByUsername() matches exactly and case-insensitively among the search results", async () => {
    expect((await client.findUserByUsername("USER0012"))?.id).toBe(sim.state.findUser("user0012")!.id);
    expect(await client.findUserByUsername("user001")).toBeUndefined(); // a prefix of ten usernames, none exactly
    expect(sim.requests.at(-1)!.query).toBe("?search=user001&offset=0&limit=500");
  });

  it("createUser(), getUser(), updateUser(): names, email, enabled", async () => {
    const created = await client.createUser({ username: "grace.h", email: "grace@example.com", firstName: "Grace", lastName: "Hopper" });
    expect(created).toEqual({
      id: sim.state.findUser("grace.h")!.id,
      username: "grace.h",
      email: "grace@example.com",
      firstName: "Grace",
      lastName: "Hopper",
      enabled: true,
    });
    const post = sim.requests.find((r) => r.method === "POST")!;
    expect(post).toMatchObject({ status: 201, body: { username: "grace.h", phoneNumber: "" } });
    expect((post.body as { password: string }).password).toMatch(/^.{20,}$/);
    const updated = await client.updateUser(created.id, { firstName: "Amazing Grace", email: "ag@example.com", enabled: false });
    expect(updated).toMatchObject({ firstName: "Amazing Grace", lastName: "Hopper", email: "ag@example.com", enabled: false });
    expect(await client.getUser(created.id)).toEqual(updated);
    expect(await client.getUser("00000000-0000-4000-8000-000000000000")).toBeUndefined();
  });

  it("a username is never reusable, even after deletion: the error says so and what to do", async () => {
    const gone = sim.state.findUser("user0100")!;
    expect(await client.deleteUser(gone.id)).toBe(true);
    await expect(client.createUser({ username: "User0100", email: "x@example.com", firstName: "X", lastName: "Y" })).rejects.toThrow(
      /409.*belonged to a user who was deleted.*The username 'User0100' is taken: Anypoint usernames are never reusable, even after the user was deleted\. Choose a username that was never used on Anypoint.*rollcall suggests none/,
    );
    // A suggested name is never checked to be free (it may be someone else's account): none is given.
    await expect(client.createUser({ username: "User0100", email: "x@example.com", firstName: "X", lastName: "Y" })).rejects.not.toThrow(
      /User01002|for example/,
    );
  });

  it("deleteUser() deletes on the master organization only; a second delete answers false (404 = already gone)", async () => {
    const u = sim.state.findUser("user0101")!;
    sim.state.assign(u.id, sim.state.roleByName("Exchange Viewer")!.id, sim.state.orgByName("Sales")!.id);
    expect(await client.deleteUser(u.id)).toBe(true);
    expect(await client.deleteUser(u.id)).toBe(false);
    expect(log().filter((l) => l.startsWith("DELETE"))).toEqual([
      "DELETE /accounts/api/organizations/MASTER/users/user0101 200",
      "DELETE /accounts/api/organizations/MASTER/users/user0101 404",
    ]);
    expect(sim.state.users.get(u.id)!.deleted).toBe(true);
  });

  it("deleteUsers() sends one bulk DELETE and answers per id; a batch refused as a whole throws so the caller can go one by one", async () => {
    const ids = ["user0102", "user0103", "user0104"].map((n) => sim.state.findUser(n)!.id);
    expect(await client.deleteUsers(ids)).toEqual(ids.map((id) => ({ id, deleted: true })));
    expect(sim.requests.filter((r) => r.method === "DELETE")).toMatchObject([
      { path: `/accounts/api/organizations/${sim.state.master.id}/users`, body: ids, status: 204 },
    ]);
    const alive = sim.state.findUser("user0105")!.id;
    await expect(client.deleteUsers([alive, ids[0]!])).rejects.toThrow(/Anypoint: DELETE .*\/users failed: HTTP 404.*User does not exist/);
    expect(sim.state.activeUser(alive)).toBeDefined();
    expect(await client.deleteUsers([])).toEqual([]);
  });

  it("roles: lists the catalogue, assigns in a business group, lists and unassigns there", async () => {
    const u = sim.state.findUser("user0200")!;
    const sales = await client.businessGroupId("Sales");
    const roles = await client.listRoles(sales);
    expect(roles.map((r) => r.name)).toContain("Exchange Contributor");
    const pick = roles.filter((r) => r.name === "Exchange Contributor" || r.name === "API Creator").map((r) => r.id);
    await client.assignRoles(sales, u.id, pick);
    expect((await client.listUserRoles(sales, u.id)).map((r) => r.name).sort()).toEqual(["API Creator", "Exchange Contributor"]);
    expect(await client.listUserRoles(await client.businessGroupId("EMEA"), u.id)).toEqual([]);
    await client.unassignRoles(sales, u.id, [pick[0]!]);
    expect(sim.state.rolesOf(u.id, sales)).toHaveLength(1);
    expect(sim.requests.find((r) => r.method === "DELETE")!.body).toEqual({ org: sales });
  });

  it("role groups: list in a business group, assign, list a user's, unassign", async () => {
    const u = sim.state.findUser("user0201")!;
    const sales = await client.businessGroupId("Sales");
    const [group] = await client.listRoleGroups(sales);
    expect(group!.name).toBe("Sales Auditors");
    await client.assignRoleGroup(sales, u.id, group!.id);
    expect(await client.listUserRoleGroups(sales, u.id)).toEqual([group]);
    await client.unassignRoleGroup(sales, u.id, group!.id);
    expect(await client.listUserRoleGroups(sales, u.id)).toEqual([]);
  });

  it("teams: list, add a member, list members and the user's teams, remove (false when not a member)", async () => {
    const u = sim.state.findUser("user0202")!;
    const approvers = (await client.listTeams()).find((t) => t.name === "Approvers")!;
    await client.addTeamMember(approvers.id, u.id);
    expect(await client.listTeamMembers(approvers.id)).toEqual([
      { id: u.id, name: "First Last", membershipType: "member", viaExternalGroups: false },
    ]);
    expect((await client.listUserTeams(u.id)).map((t) => t.name)).toEqual(["Approvers"]);
    expect(sim.requests.find((r) => r.method === "PUT")).toMatchObject({ body: { membership_type: "member" }, status: 204 });
    expect(await client.removeTeamMember(approvers.id, u.id)).toBe(true);
    expect(await client.listTeamMembers(approvers.id)).toEqual([]);
    expect(await client.removeTeamMember(approvers.id, "00000000-0000-4000-8000-000000000000")).toBe(false);
  });

  it("removeAllBusinessGroupPermissions(): roles, role groups and teams scoped to that group go; other groups and SSO-mapped teams stay", async () => {
    const s = sim.state;
    const u = s.findUser("user0300")!;
    const [sales, emea, eng] = ["Sales", "EMEA", "Engineering"].map((n) => s.orgByName(n)!.id);
    s.assign(u.id, s.roleByName("Exchange Viewer")!.id, sales!);
    s.assign(u.id, s.roleByName("API Creator")!.id, sales!);
    s.assign(u.id, s.roleByName("Exchange Viewer")!.id, emea!);
    s.userRoleGroups.set(`${u.id}|${s.roleGroupByName("Sales Auditors", sales)!.id}`, "urg-1");
    s.joinTeam(s.teamByName("Sales Reviewers")!.id, u.id);
    s.joinTeam(s.teamByName("Approvers")!.id, u.id);
    s.joinTeam(s.teamByName("SSO Sales")!.id, u.id);
    s.teamByName("SSO Sales")!.viaExternalGroups.add(u.id);
    const removal = await client.removeAllBusinessGroupPermissions(sales!, u.id);
    expect(removal.roles.map((r) => r.name).sort()).toEqual(["API Creator", "Exchange Viewer"]);
    expect(removal.roleGroups.map((g) => g.name)).toEqual(["Sales Auditors"]);
    expect(removal.teams.map((t) => t.name)).toEqual(["Sales Reviewers"]);
    expect(removal.keptTeams.map((t) => t.name)).toEqual(["SSO Sales"]);
    expect(s.permissionsOf(u.id, sales!)).toEqual([{ via: "team", name: "SSO Sales", roleName: "Exchange Viewer" }]);
    expect(s.rolesOf(u.id, emea!).map((r) => r.name)).toEqual(["Exchange Viewer"]);
    expect(
      s
        .teamsOf(u.id)
        .map((t) => t.name)
        .sort(),
    ).toEqual(["Approvers", "SSO Sales"]);
    expect(s.permissionsOf(u.id, eng!)).toEqual([]); // Sales Reviewers also granted Engineering: gone with the team
    expect(log().filter((l) => !l.startsWith("GET"))).toEqual([
      expect.stringMatching(/^DELETE \/accounts\/api\/organizations\/Sales\/users\/user0300\/roles\/[0-9a-f-]+ 200$/),
      expect.stringMatching(/^DELETE \/accounts\/api\/organizations\/Sales\/users\/user0300\/roles\/[0-9a-f-]+ 200$/),
      expect.stringMatching(/^DELETE \/accounts\/api\/organizations\/Sales\/users\/user0300\/rolegroups\/[0-9a-f-]+ 200$/),
      expect.stringMatching(/^DELETE \/accounts\/api\/organizations\/MASTER\/teams\/[0-9a-f-]+\/members\/user0300 204$/),
    ]);
    expect(await client.removeAllBusinessGroupPermissions(sales!, "00000000-0000-4000-8000-000000000000")).toEqual({
      roles: [],
      roleGroups: [],
      teams: [],
      keptTeams: [],
    });
  });

  it("removeBusinessGroupMembers() removes many users' direct permissions in one call", async () => {
    const s = sim.state;
    const eng = s.orgByName("Engineering")!.id;
    const ids = ["user0301", "user0302"].map((n) => s.findUser(n)!.id);
    for (const id of ids) s.assign(id, s.roleByName("API Creator")!.id, eng);
    await client.removeBusinessGroupMembers(eng, ids);
    expect(ids.map((id) => s.membersOf(eng).has(id))).toEqual([false, false]);
    expect(log()).toEqual(["DELETE /accounts/api/organizations/Engineering/members 204"]);
  });

  it("invites by email (with teams) and cancels the invitation", async () => {
    const approvers = (await client.listTeams()).find((t) => t.name === "Approvers")!;
    const id = await client.inviteUser("newbie@example.com", { teams: [{ teamId: approvers.id }] });
    expect(sim.state.invites.get(Number(id))).toMatchObject({
      email: "newbie@example.com",
      status: "INVITED",
      teams: [{ teamId: approvers.id, membershipType: "member" }],
    });
    expect(await client.cancelInvite(id)).toBe(true);
    expect(await client.cancelInvite(id)).toBe(false);
  });

  it("a caller without Organization Administrator: reads work, changes fail with a message naming the role", async () => {
    const viewer = new AnypointClient(appConnection(sim, SIM_ANYPOINT_VIEWER_APP));
    try {
      const u = sim.state.findUser("user0400")!;
      expect((await viewer.getUser(u.id))?.username).toBe("user0400");
      await expect(viewer.deleteUser(u.id)).rejects.toThrow(
        /HTTP 403: Forbidden\. Managing users needs the Organization Administrator role in the master organization/,
      );
      await expect(viewer.createUser({ username: "nope", email: "n@example.com", firstName: "N", lastName: "O" })).rejects.toThrow(
        /Organization Administrator/,
      );
      expect(sim.state.activeUser(u.id)).toBeDefined();
      expect(sim.state.findUser("nope")).toBeUndefined();
    } finally {
      await viewer.close();
    }
  });

  it("a permission probe answered 404 says to check the credentials and organization, not to refresh", async () => {
    sim.server.injectFault({ path: "/connectedApplications/", status: 404, body: { message: "Not found" }, times: 1 });
    const error = await client.connectedAppCanAdminister("rollcall-sim-app").then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      /HTTP 404: Not found\. This call checks what rollcall's own Anypoint login may do, and the platform did not find that login or app here: check the Anypoint URL, organization and credentials/,
    );
    expect(error?.message).not.toContain("run `pulumi refresh`");
  });
});
