// The simulator's own fidelity: auth rules, error bodies, filters, paging, token expiry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { ControlRoomSimulator, SIM_ADMIN } from "../../src/sim/controlroom/simulator";

async function call(url: string, method: string, path: string, body?: unknown, token?: string) {
  const res = await request(url + path, {
    method: method as "GET",
    headers: { "content-type": "application/json", ...(token ? { "x-authorization": token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

describe("Control Room simulator", () => {
  const sim = new ControlRoomSimulator({ tokenTtlSeconds: 1 });
  let url: string;
  beforeAll(async () => {
    url = await sim.start();
  });
  afterAll(() => sim.stop());

  it("answers 401 UM1117 without X-Authorization, and does not accept Bearer", async () => {
    const r = await call(url, "POST", "/v2/usermanagement/users/list", {});
    expect(r).toEqual({
      status: 401,
      body: { code: "UM1117", details: null, message: "Access token expected in the 'X-Authorization' header" },
    });
  });

  it("issues tokens that expire", async () => {
    const login = await call(url, "POST", "/v1/authentication", { username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey });
    expect(login.status).toBe(200);
    expect(login.body.user.username).toBe(SIM_ADMIN.username);
    expect((await call(url, "POST", "/v1/usermanagement/roles/list", {}, login.body.token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call(url, "POST", "/v1/usermanagement/roles/list", {}, login.body.token)).status).toBe(401);
  });

  it("filters with and/or/substring/eq, sorts and pages with totals", async () => {
    sim.addUser({ username: "finance1" });
    sim.addUser({ username: "dolfin" });
    sim.addUser({ username: "other" });
    const { body: auth } = await call(url, "POST", "/v2/authentication", { username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey });
    const r = await call(
      url,
      "POST",
      "/v2/usermanagement/users/list",
      {
        filter: {
          operator: "or",
          operands: [
            { operator: "substring", field: "username", value: "FIN" },
            { operator: "eq", field: "username", value: "other" },
          ],
        },
        sort: [{ field: "username", direction: "asc" }],
        page: { offset: 1, length: 1 },
      },
      auth.token,
    );
    expect(r.status).toBe(200);
    expect(r.body.page).toEqual({ offset: 1, total: sim.users.size, totalFilter: 3 });
    expect(r.body.list.map((u: { username: string }) => u.username)).toEqual(["finance1"]);
    const bad = await call(url, "POST", "/v2/usermanagement/users/list", { page: { offset: 0, length: 5000 } }, auth.token);
    expect(bad.status).toBe(400);
  });

  it("answers 409 on a duplicate username (case-insensitive) and 404 on an unknown id", async () => {
    const { body: auth } = await call(url, "POST", "/v2/authentication", { username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey });
    const dup = await call(
      url,
      "POST",
      "/v2/usermanagement/users",
      { username: "DOLFIN", email: "d@example.com", roleIds: ["2"] },
      auth.token,
    );
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBeDefined();
    const missing = await call(url, "DELETE", "/v2/usermanagement/users/999999", undefined, auth.token);
    expect(missing.status).toBe(404);
  });

  it("records every request and exposes the log and faults to other processes", async () => {
    await call(url, "POST", "/__sim/faults", { method: "GET", path: "/users/\\d+$", status: 500, times: 1 });
    const { body: auth } = await call(url, "POST", "/v2/authentication", { username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey });
    expect((await call(url, "GET", "/v2/usermanagement/users/1001", undefined, auth.token)).status).toBe(500);
    expect((await call(url, "GET", "/v2/usermanagement/users/1001", undefined, auth.token)).status).toBe(200);
    const log = await call(url, "GET", "/__sim/requests");
    expect(log.body.slice(-2).map((r: { status: number }) => r.status)).toEqual([500, 200]);
  });
});

describe("Control Room simulator: lastLoginTime", () => {
  const seed = {
    users: [
      { username: "seen", lastLoginTime: "2026-01-02T03:04:05Z" },
      { username: "never", password: "Never-123!" },
    ],
  };
  const current = new ControlRoomSimulator({ seed });
  const older = new ControlRoomSimulator({ seed, lastLoginTime: false });
  const urls: string[] = [];
  beforeAll(async () => {
    urls.push(await current.start(), await older.start());
  });
  afterAll(async () => {
    await current.stop();
    await older.stop();
  });

  const list = async (url: string) => {
    const { body: auth } = await call(url, "POST", "/v2/authentication", { username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey });
    const r = await call(url, "POST", "/v2/usermanagement/users/list", {}, auth.token);
    return new Map((r.body.list as Record<string, unknown>[]).map((u) => [u.username as string, u]));
  };

  it("carries lastLoginTime (null = never signed in), set by a sign-in", async () => {
    const users = await list(urls[0]!);
    expect(users.get("seen")).toHaveProperty("lastLoginTime", "2026-01-02T03:04:05Z");
    expect(users.get("never")).toHaveProperty("lastLoginTime", null);
    expect((await call(urls[0]!, "POST", "/v2/authentication", { username: "never", password: "Never-123!" })).status).toBe(200);
    expect((await list(urls[0]!)).get("never")!.lastLoginTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("omits the field on a version without it (lastLoginTime: false), so that no reader can mistake it for never", async () => {
    const users = await list(urls[1]!);
    expect(users.get("seen")).not.toHaveProperty("lastLoginTime");
    expect(users.get("never")).not.toHaveProperty("lastLoginTime");
  });
});
