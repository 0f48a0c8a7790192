// The Anypoint simulator on the wire (raw HTTP on 127.0.0.1): the vendor behaviours a client
// depends on, checked without AnypointClient so that a client bug cannot hide a simulator bug.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAnypointSimulator,
  SIM_ANYPOINT_APP,
  SIM_ANYPOINT_VIEWER_APP,
  SIM_EXTERNAL_IDP_ID,
  type AnypointSimulator,
} from "../../src/sim/anypoint/simulator";
import { wire } from "./support";

describe("Anypoint simulator: authentication, organizations, users", () => {
  const sim = createAnypointSimulator({ idleTimeoutSeconds: 120 });
  const w = wire(sim);
  let token: string;
  let seeded: ReturnType<AnypointSimulator["seedOrganization"]>;
  beforeAll(async () => {
    seeded = sim.seedOrganization({
      masterName: "Mythical Bank",
      businessGroups: ["Sales", { name: "EMEA", parent: "Sales" }, "Engineering"],
      roles: ["Design Center Developer"],
      teams: ["Approvers", { name: "Sales Team", roles: [{ org: "Sales", role: "Exchange Viewer" }] }],
      users: [
        { username: "root.admin", password: "Secret-123", roles: [{ role: "Organization Administrator" }] },
        { username: "sales.admin", password: "Secret-456", roles: [{ org: "Sales", role: "Organization Administrator" }] },
        { username: "off.duty", password: "Secret-789", enabled: false },
      ],
    });
    sim.seedOrganization({ users: 60 });
    await sim.start();
    token = await w.token();
  });
  afterAll(() => sim.stop());

  it("issues connected-app tokens for JSON and form-encoded requests, with expires_in", async () => {
    const form = await w.send("POST", "/accounts/api/v2/oauth2/token", {
      form: `grant_type=client_credentials&client_id=${SIM_ANYPOINT_APP.clientId}&client_secret=${SIM_ANYPOINT_APP.clientSecret}`,
    });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    expect(form.body.access_token).toMatch(/^[0-9a-f-]{36}$/);
    const wrong = await w.send("POST", "/accounts/api/v2/oauth2/token", {
      body: { grant_type: "client_credentials", client_id: SIM_ANYPOINT_APP.clientId, client_secret: "nope" },
    });
    expect(wrong).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect((await w.send("POST", "/accounts/api/v2/oauth2/token", { body: { grant_type: "password" } })).status).toBe(400);
  });

  it("logs users in with a password at /accounts/login (no expires_in, as recorded); refuses wrong or disabled ones", async () => {
    const ok = await w.send("POST", "/accounts/login", { body: { username: "ROOT.admin", password: "Secret-123" } });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(["access_token", "redirectUrl", "token_type"]);
    expect(await w.send("POST", "/accounts/login", { body: { username: "root.admin", password: "x" } })).toMatchObject({
      status: 401,
      body: { message: "Invalid username or password" },
    });
    expect(await w.send("POST", "/accounts/login", { body: { username: "off.duty", password: "Secret-789" } })).toMatchObject({
      status: 403,
      body: { message: "The user is disabled and cannot login" },
    });
  });

  it("answers 401 without a valid bearer token, and for an expired one", async () => {
    const none = await w.send("GET", "/accounts/api/me");
    expect(none.status).toBe(401);
    expect(none.body).toBe("Unauthorized");
    expect((await w.send("GET", "/accounts/api/me", { token: "not-a-token" })).status).toBe(401);
    const doomed = await w.token();
    sim.expireTokens();
    expect((await w.send("GET", `${w.org()}/users`, { token: doomed })).status).toBe(401);
    token = await w.token();
    expect(sim.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(3); // every request is logged, refused ones too
  });

  it("GET /me: a connected app's client with org_id; a user's user with the master organization and their business groups", async () => {
    expect((await w.send("GET", "/accounts/api/me", { token })).body).toEqual({
      client: {
        client_id: SIM_ANYPOINT_APP.clientId,
        name: "rollcall",
        org_id: seeded.masterId,
        redirect_uris: [],
        grant_types: ["client_credentials"],
      },
    });
    const me = (await w.send("GET", "/accounts/api/me", { token: await w.login("sales.admin", "Secret-456") })).body;
    expect(me.user).toMatchObject({
      username: "sales.admin",
      organizationId: seeded.masterId,
      organization: { id: seeded.masterId, isMaster: true },
    });
    expect(me.user.memberOfOrganizations.map((o: { name: string }) => o.name)).toEqual(["Mythical Bank", "Sales"]);
    expect(me.access_token.expires_in).toBeGreaterThan(3500);
  });

  it("serves the organization and its business-group hierarchy (ancestor chains root first)", async () => {
    const tree = (await w.send("GET", `${w.org()}/hierarchy`, { token })).body;
    expect(tree).toMatchObject({ name: "Mythical Bank", isMaster: true, parentOrganizationIds: [] });
    const sales = tree.subOrganizations.find((o: { name: string }) => o.name === "Sales");
    expect(sales).toMatchObject({
      isMaster: false,
      parentOrganizationIds: [seeded.masterId],
      subOrganizations: [{ name: "EMEA", parentOrganizationIds: [seeded.masterId, seeded.businessGroups.Sales] }],
    });
    expect((await w.send("GET", w.org("EMEA"), { token })).body).toMatchObject({
      id: seeded.businessGroups.EMEA,
      name: "EMEA",
      isRoot: false,
    });
    expect((await w.send("GET", "/accounts/api/organizations/nope/hierarchy", { token })).status).toBe(400);
    expect((await w.send("GET", "/accounts/api/organizations/nope", { token })).status).toBe(404);
  });

  it("pages users with offset/limit: default 25, at most 500 (400 above), total over all pages, search", async () => {
    const first = await w.send("GET", `${w.org()}/users`, { token });
    expect(first.body.data).toHaveLength(25);
    expect(first.body.total).toBe(63);
    const rest = await w.send("GET", `${w.org()}/users?offset=50&limit=500`, { token });
    expect(rest.body.data.map((u: { username: string }) => u.username)).toEqual(
      Array.from({ length: 13 }, (_, i) => `user${String(47 + i).padStart(4, "0")}`),
    );
    expect((await w.send("GET", `${w.org()}/users?limit=501`, { token })).status).toBe(400);
    expect((await w.send("GET", `${w.org()}/users?offset=-1`, { token })).status).toBe(400);
    const search = await w.send("GET", `${w.org()}/users?search=ADMIN`, { token });
    expect(search.body.data.map((u: { username: string }) => u.username).sort()).toEqual(["root.admin", "sales.admin"]);
  });

  it("lists in a business group only the users holding a permission there, through a role or a team", async () => {
    const u = sim.state.findUser("user0001")!;
    sim.state.joinTeam(sim.state.teamByName("Sales Team")!.id, u.id);
    const names = async (bg: string) =>
      (await w.send("GET", `${w.org(bg)}/users?limit=500`, { token })).body.data.map((x: { username: string }) => x.username).sort();
    expect(await names("Sales")).toEqual(["sales.admin", "user0001"]);
    expect(await names("Engineering")).toEqual([]);
    sim.state.leaveTeam(sim.state.teamByName("Sales Team")!.id, u.id);
    expect(await names("Sales")).toEqual(["sales.admin"]);
  });

  it("creates users (201); a username is never reusable: 409 tells an existing user from a deleted one", async () => {
    const body = {
      username: "new.person",
      firstName: "New",
      lastName: "Person",
      email: "new@example.com",
      phoneNumber: "",
      password: "Passw0rd-1",
    };
    const created = await w.send("POST", `${w.org()}/users`, { token, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      username: "new.person",
      organizationId: seeded.masterId,
      enabled: true,
      deleted: false,
      idprovider_id: "mulesoft",
    });
    expect(await w.send("POST", `${w.org()}/users`, { token, body: { ...body, username: "NEW.PERSON" } })).toMatchObject({
      status: 409,
      body: { message: "Username already exists", reason: "exists" },
    });
    expect((await w.send("DELETE", `${w.org()}/users/${created.body.id}`, { token })).status).toBe(200);
    const again = await w.send("POST", `${w.org()}/users`, { token, body });
    expect(again).toMatchObject({ status: 409, body: { reason: "deleted" } });
    expect(again.body.message).toMatch(/deleted.*never reusable/);
    expect((await w.send("POST", `${w.org()}/users`, { token, body: { ...body, username: "weak", password: "short" } })).status).toBe(400);
    expect((await w.send("POST", `${w.org("Sales")}/users`, { token, body: { ...body, username: "in.bg" } })).status).toBe(400);
  });

  it("updates names, email and enabled (200 with the user); a user changing their own email must reauthenticate (403)", async () => {
    const u = sim.state.findUser("user0002")!;
    const res = await w.send("PUT", `${w.org()}/users/${u.id}`, {
      token,
      body: { firstName: "Ann", lastName: "Lee", email: "ann@example.com", enabled: false },
    });
    expect(res).toMatchObject({ status: 200, body: { firstName: "Ann", lastName: "Lee", email: "ann@example.com", enabled: false } });
    expect((await w.send("PUT", `${w.org()}/users/${u.id}`, { token, body: { enabled: "no" } })).status).toBe(400);
    const self = sim.state.findUser("root.admin")!;
    const own = await w.send("PUT", `${w.org()}/users/${self.id}`, {
      token: await w.login("root.admin", "Secret-123"),
      body: { email: "me@example.com" },
    });
    expect(own).toMatchObject({ status: 403, body: { error: "You must reauthenticate", location: "/login/?reauthenticate=true" } });
  });

  it("deletes only from the master organization: a business group refuses single and bulk deletes (400) and nothing changes", async () => {
    const u = sim.state.findUser("user0003")!;
    const single = await w.send("DELETE", `${w.org("Sales")}/users/${u.id}`, { token });
    expect(single.status).toBe(400);
    expect(single.body.message).toMatch(/only be deleted from the master organization/);
    expect((await w.send("DELETE", `${w.org("EMEA")}/users`, { token, body: [u.id] })).status).toBe(400);
    expect(sim.state.activeUser(u.id)).toBeDefined();
  });

  it("bulk-deletes a JSON array of ids (204); deletion removes the membership, not the account; unknown ids refuse the batch", async () => {
    const ids = ["user0004", "user0005"].map((n) => sim.state.findUser(n)!.id);
    sim.state.assign(ids[0]!, sim.state.roleByName("Exchange Viewer")!.id, seeded.businessGroups.Sales!);
    expect((await w.send("DELETE", `${w.org()}/users`, { token, body: ids })).status).toBe(204);
    expect(ids.map((id) => sim.state.users.get(id)!.deleted)).toEqual([true, true]);
    expect(sim.state.membersOf(seeded.businessGroups.Sales!).has(ids[0]!)).toBe(false);
    expect((await w.send("GET", `${w.org()}/users/${ids[0]}`, { token })).status).toBe(404);
    const withDeleted = (await w.send("GET", `${w.org()}/users?deleted=true&search=user0004`, { token })).body.data;
    expect(withDeleted).toMatchObject([{ username: "user0004", deleted: true }]);
    const keep = sim.state.findUser("user0006")!.id;
    expect((await w.send("DELETE", `${w.org()}/users`, { token, body: [keep, ids[1]] })).status).toBe(404);
    expect(sim.state.activeUser(keep)).toBeDefined();
    expect((await w.send("DELETE", `${w.org()}/users`, { token, body: {} })).status).toBe(400);
  });

  it("refuses user management to callers without Organization Administrator (403), and scopes a business-group admin to it", async () => {
    const viewer = await w.token(SIM_ANYPOINT_VIEWER_APP);
    const target = sim.state.findUser("user0007")!;
    expect((await w.send("GET", `${w.org()}/users`, { token: viewer })).status).toBe(200);
    expect(await w.send("DELETE", `${w.org()}/users/${target.id}`, { token: viewer })).toMatchObject({ status: 403, body: "Forbidden" });
    expect((await w.send("POST", `${w.org()}/users`, { token: viewer, body: {} })).status).toBe(403);
    const bgAdmin = await w.login("sales.admin", "Secret-456");
    const viewerRole = sim.state.roleByName("Exchange Viewer")!.id;
    expect(
      (
        await w.send("POST", `${w.org("EMEA")}/users/${target.id}/roles`, {
          token: bgAdmin,
          body: { [viewerRole]: { org: seeded.businessGroups.EMEA } },
        })
      ).status,
    ).toBe(200);
    expect((await w.send("DELETE", `${w.org()}/users/${target.id}`, { token: bgAdmin })).status).toBe(403);
    expect(sim.state.activeUser(target.id)).toBeDefined();
  });

  it("seeds an existing organization of 50 users in one call", () => {
    const other = createAnypointSimulator();
    const { users, businessGroups } = other.seedOrganization({ masterName: "Fifty", businessGroups: ["Ops"], users: 50, teams: ["T"] });
    expect(users).toHaveLength(50);
    expect(other.state.users.size).toBe(50);
    expect(Object.keys(businessGroups)).toEqual(["Ops"]);
    expect(() => other.seedOrganization({ users: [{ username: "x", roles: [{ org: "Nope", role: "API Creator" }] }] })).toThrow(
      /no organization or business group named 'Nope'/,
    );
  });
});

describe("Anypoint simulator: lastLogin on users", () => {
  const sim = createAnypointSimulator({ idleTimeoutSeconds: 120 });
  const w = wire(sim);
  beforeAll(async () => {
    sim.seedOrganization({
      users: [{ username: "seen.before", password: "Secret-123", lastLogin: "2026-01-02T03:04:05.000Z" }, { username: "never.came" }],
    });
    await sim.start();
  });
  afterAll(() => sim.stop());

  const listed = async () => {
    const r = await w.send("GET", `${w.org()}/users?limit=500`, { token: await w.token() });
    expect(r.status).toBe(200);
    return new Map((r.body.data as { username: string; lastLogin: unknown; previousLastLogin: unknown }[]).map((u) => [u.username, u]));
  };

  it("lists lastLogin as seeded, null for a user who never signed in, and moves it on each sign-in", async () => {
    const before = await listed();
    expect(before.get("seen.before")).toMatchObject({ lastLogin: "2026-01-02T03:04:05.000Z", previousLastLogin: null });
    expect(before.get("never.came")).toHaveProperty("lastLogin", null);
    await w.login("seen.before", "Secret-123");
    const after = (await listed()).get("seen.before")!;
    expect(after.previousLastLogin).toBe("2026-01-02T03:04:05.000Z");
    expect(typeof after.lastLogin === "string" && after.lastLogin > "2026-01-02T03:04:05.000Z").toBe(true);
  });
});

describe("Anypoint simulator: rate limits and faults", () => {
  const sim = createAnypointSimulator({ rateLimit: { limit: 3, windowMs: 60_000 } });
  const w = wire(sim);
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it("sends X-RateLimit-* on every answer and 429 past the limit, with the reset in UTC epoch seconds", async () => {
    const token = await w.token();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await w.send("GET", "/accounts/api/me", { token }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers["x-ratelimit-remaining"])).toEqual(["2", "1", "0", "0"]);
    expect(answers[3]!.headers["x-ratelimit-limit"]).toBe("3");
    const reset = Number(answers[3]!.headers["x-ratelimit-reset"]);
    expect(reset * 1000).toBeGreaterThan(Date.now() + 50_000);
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 61_000);
  });

  it("answers an injected 503 with an empty body, as seen in the field", async () => {
    sim.server.injectFault({ path: "/users$", status: 503 });
    const res = await w.send("GET", "/accounts/api/organizations/x/users");
    expect(res).toMatchObject({ status: 503, text: "" });
    expect(sim.requests.at(-1)).toMatchObject({ status: 503, path: "/accounts/api/organizations/x/users" });
  });
});

describe("Anypoint simulator: an organization with an external identity provider", () => {
  const sim = createAnypointSimulator({ identityProvider: "external", seed: { businessGroups: ["Sales"], teams: ["Approvers"] } });
  const w = wire(sim);
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it("refuses password users, invites people instead, and they become users when they first sign in", async () => {
    const token = await w.token();
    expect((await w.send("GET", w.org(), { token })).body).toMatchObject({ isFederated: true, idprovider_id: SIM_EXTERNAL_IDP_ID });
    const create = await w.send("POST", `${w.org()}/users`, {
      token,
      body: { username: "dana", firstName: "D", lastName: "A", email: "dana@example.com", phoneNumber: "", password: "Passw0rd-1" },
    });
    expect(create.status).toBe(400);
    expect(create.body.message).toMatch(/external identity provider.*invite/);
    const team = sim.state.teamByName("Approvers")!;
    const invited = await w.send("POST", `${w.org()}/invites`, {
      token,
      body: [{ email: "dana@example.com", teams: [{ team_id: team.id, membership_type: "member" }] }],
    });
    expect(invited).toMatchObject({
      status: 200,
      body: [{ invited_email: "dana@example.com", status: "INVITED", teams: [{ team_id: team.id }] }],
    });
    expect(Number.isInteger(invited.body[0].id)).toBe(true);
    const dana = sim.state.acceptInvite("dana@example.com", "dana.sso");
    expect(dana.idproviderId).toBe(SIM_EXTERNAL_IDP_ID);
    expect([...team.members]).toEqual([dana.id]);
    expect((await w.send("POST", "/accounts/login", { body: { username: "dana.sso", password: "" } })).status).toBe(401);
    expect((await w.send("DELETE", `${w.org()}/invites`, { token, body: [invited.body[0].id] })).status).toBe(400); // accepted: nothing to cancel
  });
});
