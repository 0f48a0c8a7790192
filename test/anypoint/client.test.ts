// AnypointClient against the Anypoint simulator over real HTTP (127.0.0.1).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AnypointClient } from "../../providers/anypoint/client";
import { AnypointSimulator, SIM_ANYPOINT_APP } from "../../providers/anypoint/simulator";
import { readAnypointSettings } from "../../src/config";
import { request } from "undici";

describe("AnypointClient ↔ simulator", () => {
  const sim = new AnypointSimulator({ seed: { businessGroups: [{ name: "Sales" }, { name: "EMEA", parent: "Sales" }], users: 1200, teams: ["Approvers"] }, rateLimit: { limit: 100_000, windowMs: 60_000 } });
  const settings = () => readAnypointSettings(() => undefined, { ROLLCALL_ANYPOINT_URL: sim.url, ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId, ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret });
  let client: AnypointClient;
  beforeAll(async () => {
    await sim.start();
    client = new AnypointClient(settings());
  });
  afterEach(() => sim.server.clearFaults());
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  it("pages through more than 500 users with limit 500", async () => {
    sim.server.clearLog();
    const users = await client.listUsers();
    expect(users).toHaveLength(1200);
    expect(sim.requests.filter((r) => r.path.endsWith("/users")).map((r) => r.query)).toEqual(["?offset=0&limit=500", "?offset=500&limit=500", "?offset=1000&limit=500"]);
  });

  it("the simulator refuses a page larger than 500 and defaults to 25", async () => {
    const token = ((await (await request(`${sim.url}/accounts/api/v2/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `grant_type=client_credentials&client_id=${SIM_ANYPOINT_APP.clientId}&client_secret=${SIM_ANYPOINT_APP.clientSecret}` })).body.json()) as { access_token: string }).access_token;
    const get = async (q: string) => request(`${sim.url}/accounts/api/organizations/${sim.state.master.id}/users${q}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get("?limit=501")).statusCode).toBe(400);
    const page = (await (await get("")).body.json()) as { data: unknown[]; total: number };
    expect(page.data).toHaveLength(25);
    expect(page.total).toBe(sim.state.users.size);
  });

  it("resolves business groups by name, with the closest names when unknown", async () => {
    expect(await client.businessGroupId("EMEA")).toBe(sim.state.orgByName("EMEA")!.id);
    await expect(client.businessGroupId("Sale")).rejects.toThrow(/no business group named 'Sale' under the master organization \(did you mean 'Sales'\?\)/);
  });

  it("refuses to delete a user through a business group: only the master organization deletes", async () => {
    const token = await (client as unknown as { login(): Promise<string> }).login();
    const user = sim.state.findUser("user0001")!;
    const res = await request(`${sim.url}/accounts/api/organizations/${sim.state.orgByName("Sales")!.id}/users/${user.id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as { message: string }).message).toMatch(/only be deleted from the master organization/);
    expect(sim.state.activeUser(user.id)).toBeDefined();
  });

  it("bulk-deletes in the master organization; the accounts remain, the usernames stay taken", async () => {
    const ids = ["user0002", "user0003"].map((u) => sim.state.findUser(u)!.id);
    await client.deleteUsers(ids);
    expect(ids.every((id) => sim.state.users.get(id)!.deleted)).toBe(true);
    await expect(client.createUser({ username: "USER0002", email: "x@example.com", firstName: "X", lastName: "Y" })).rejects.toThrow(/The username 'USER0002' is taken: Anypoint usernames are never reusable, even after the user was deleted/);
    expect(await client.deleteUser(ids[0]!)).toBe(false); // already gone: 404
  });

  it("removing a user from a business group removes every permission there, and only there", async () => {
    const user = sim.state.findUser("user0004")!;
    const roles = await client.listRoles(sim.state.master.id);
    const viewer = roles.find((r) => r.name === "Exchange Viewer")!.id;
    const sales = sim.state.orgByName("Sales")!.id;
    const emea = sim.state.orgByName("EMEA")!.id;
    await client.assignRoles(sales, user.id, [viewer]);
    await client.assignRoles(emea, user.id, [viewer]);
    await client.removeBusinessGroupMembers(sales, [user.id]);
    expect(await client.listUserRoles(sales, user.id)).toEqual([]);
    expect((await client.listUserRoles(emea, user.id)).map((r) => r.name)).toEqual(["Exchange Viewer"]);
    expect(sim.state.activeUser(user.id)).toBeDefined();
  });

  it("logs in with a username and password (POST /accounts/login) as an Organization Administrator", async () => {
    const admin = sim.state.addUser({ username: "admin.user", password: "Secret-123" });
    sim.state.assign(admin.id, sim.state.roleByName("Organization Administrator")!.id, sim.state.master.id);
    const c = new AnypointClient(readAnypointSettings(() => undefined, { ROLLCALL_ANYPOINT_URL: sim.url, ROLLCALL_ANYPOINT_USERNAME: "admin.user", ROLLCALL_ANYPOINT_PASSWORD: "Secret-123" }));
    sim.server.clearLog();
    expect((await c.masterOrganization()).id).toBe(sim.state.master.id);
    expect(sim.requests[0]).toMatchObject({ method: "POST", path: "/accounts/login", status: 200 });
    const wrong = new AnypointClient(readAnypointSettings(() => undefined, { ROLLCALL_ANYPOINT_URL: sim.url, ROLLCALL_ANYPOINT_USERNAME: "admin.user", ROLLCALL_ANYPOINT_PASSWORD: "nope" }));
    await expect(wrong.listUsers()).rejects.toThrow(/Login as user 'admin.user' was refused: check rollcall:anypointUsername and rollcall:anypointPassword/);
    await c.close();
    await wrong.close();
  });

  it("logs in again once when the token expired", async () => {
    const short = new AnypointSimulator({ tokenTtlSeconds: 1 });
    await short.start();
    const c = new AnypointClient(readAnypointSettings(() => undefined, { ROLLCALL_ANYPOINT_URL: short.url, ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId, ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret }));
    await c.listUsers();
    await new Promise((r) => setTimeout(r, 1100));
    short.server.clearLog();
    await c.getUser("nobody");
    expect(short.requests.map((r) => `${r.method} ${r.path.replace(/organizations\/[^/]+/, "organizations/M")} ${r.status}`)).toEqual([
      "GET /accounts/api/organizations/M/users/nobody 401",
      "POST /accounts/api/v2/oauth2/token 200",
      "GET /accounts/api/organizations/M/users/nobody 404",
    ]);
    await c.close();
    await short.stop();
  });

  it("retries 429 after X-RateLimit-Reset and the 503 with an empty body seen in the field", async () => {
    const limited = new AnypointSimulator({ rateLimit: { limit: 2, windowMs: 1000 } });
    await limited.start();
    const c = new AnypointClient(readAnypointSettings(() => undefined, { ROLLCALL_ANYPOINT_URL: limited.url, ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId, ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret }));
    limited.server.injectFault({ path: "/users$", status: 503 });
    await c.listUsers(); // me, org, (503) users, users
    const statuses = limited.requests.map((r) => r.status);
    expect(statuses).toContain(503);
    expect(statuses).toContain(429);
    const throttled = limited.requests.find((r) => r.status === 429)!;
    expect(limited.requests.at(-1)!.status).toBe(200);
    expect(limited.requests.at(-1)!.seq).toBeGreaterThan(throttled.seq);
    await c.close();
    await limited.stop();
  });
});
