// ControlRoomClient against the Control Room simulator over real HTTP (127.0.0.1).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ControlRoomClient } from "../../src/providers/controlroom/client";
import { ControlRoomSimulator, SIM_ADMIN } from "../../src/sim/controlroom/simulator";
import { HttpError } from "../../src/core/http/client";

describe("ControlRoomClient ↔ simulator", () => {
  const sim = new ControlRoomSimulator({ maxPageLength: 1000 });
  let client: ControlRoomClient;
  beforeAll(async () => {
    await sim.start();
    client = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey });
  });
  afterEach(() => sim.server.clearFaults());
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  it("authenticates once with X-Authorization (no Bearer) and lists roles", async () => {
    sim.server.clearLog();
    const roles = await client.listRoles();
    expect(roles.map((r) => r.name)).toContain("AAE_Basic");
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v2/authentication", "POST /v2/usermanagement/roles/list"]);
  });

  it("creates (201), reads, updates (full replace) and deletes (200 with the user's JSON)", async () => {
    const basic = (await client.listRoles()).find((r) => r.name === "AAE_Basic")!;
    const created = await client.createUser({
      username: "jdoe",
      email: "jdoe@example.com",
      firstName: "J",
      lastName: "Doe",
      disabled: false,
      roleIds: [basic.id],
      licenseFeatures: ["RUNTIME"],
    });
    expect(sim.requests.at(-1)!.status).toBe(201);
    expect((await client.getUser(created.id))!.username).toBe("jdoe");
    const updated = await client.updateUser(created.id, {
      username: "jdoe",
      email: "jdoe@example.com",
      disabled: true,
      roleIds: [basic.id],
      licenseFeatures: [],
    });
    expect(updated.firstName).toBeNull();
    expect(updated.disabled).toBe(true);
    const deleted = await client.deleteUser(created.id);
    expect(sim.requests.at(-1)).toMatchObject({ method: "DELETE", path: `/v2/usermanagement/users/${created.id}`, status: 200 });
    expect(deleted!.username).toBe("jdoe");
    expect(await client.deleteUser(created.id)).toBeUndefined(); // 404: already gone
    expect(await client.getUser(created.id)).toBeUndefined();
  });

  it("finds users case-insensitively and pages through more than one page", async () => {
    for (let i = 0; i < 1100; i++) sim.addUser({ username: `bulk${String(i).padStart(4, "0")}` });
    expect((await client.findUserByUsername("BULK0042"))!.username).toBe("bulk0042");
    sim.server.clearLog();
    const all = await client.listUsers();
    expect(all.length).toBe(sim.users.size);
    expect(sim.requests.filter((r) => r.path.endsWith("/users/list")).length).toBe(Math.ceil(sim.users.size / 500));
  });

  it("logs in again once when the token is superseded (single session per password login)", async () => {
    const pw = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, password: SIM_ADMIN.password });
    await pw.listRoles();
    // Someone else logs in with the same password account: the first token is now dead (401 UM1114).
    const other = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, password: SIM_ADMIN.password });
    await other.listRoles();
    sim.server.clearLog();
    await pw.listRoles();
    expect(sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "POST /v2/usermanagement/roles/list 401",
      "POST /v2/authentication 200",
      "POST /v2/usermanagement/roles/list 200",
    ]);
    await pw.close();
    await other.close();
  });

  it("retries a 503 with an empty body and a 429 honouring Retry-After", async () => {
    sim.server.injectFault({ path: "/roles/list$", status: 503 });
    sim.server.injectFault({
      path: "/roles/list$",
      status: 429,
      headers: { "retry-after": "0" },
      body: { code: "RL", details: null, message: "Too many requests" },
    });
    sim.server.clearLog();
    await client.listRoles();
    expect(sim.requests.map((r) => r.status)).toEqual([503, 429, 200]);
  });

  it("says which call failed and what to do on 403", async () => {
    sim.addUser({ username: "viewer", apiKey: "viewer-key", roles: ["User Viewer"] });
    const viewer = new ControlRoomClient({ url: sim.url, username: "viewer", apiKey: "viewer-key" });
    const basic = (await viewer.listRoles()).find((r) => r.name === "AAE_Basic")!;
    const attempt = viewer.createUser({ username: "x", email: "x@example.com", disabled: false, roleIds: [basic.id], licenseFeatures: [] });
    await expect(attempt).rejects.toThrow(HttpError);
    await expect(attempt).rejects.toThrow(
      /Control Room: POST http:\/\/127\.0\.0\.1:\d+\/v2\/usermanagement\/users failed: HTTP 403: UM1403 .*Requires one of: Create users\. The Control Room account rollcall uses lacks a permission/,
    );
    await viewer.close();
  });

  it("rejects a wrong API key with a message naming the setting", async () => {
    const bad = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, apiKey: "wrong" });
    await expect(bad.listRoles()).rejects.toThrow(/Login as 'rollcall-bot' was refused: check rollcall:controlRoomUsername/);
    await bad.close();
  });

  it("v1 sends roles as [{id}] and v2 as roleIds strings", async () => {
    const v1 = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey, apiVersion: "v1" });
    const basic = (await v1.listRoles()).find((r) => r.name === "AAE_Basic")!;
    sim.server.clearLog();
    const u = await v1.createUser({
      username: "v1user",
      email: "v1@example.com",
      disabled: false,
      roleIds: [basic.id],
      licenseFeatures: [],
    });
    expect(sim.requests.at(-1)).toMatchObject({ path: "/v1/usermanagement/users", body: { roles: [{ id: basic.id }] } });
    expect(u.roles.map((r) => r.name)).toEqual(["AAE_Basic"]);
    await v1.close();
  });
});
