// AnypointClient's authentication and resilience against the simulator over real HTTP: connected
// app and password logins, one token fetch at a time, renewal before expiry, one re-login on 401,
// 429s waited out by the platform's headers, and the 503 with an empty body seen in the field.
import { afterEach, describe, expect, it } from "vitest";
import { anypointBaseUrl, AnypointClient } from "../../src/providers/anypoint/client";
import { retryDelayMs } from "../../src/core/http/retry";
import { createAnypointSimulator, type AnypointSimulator, type AnypointSimulatorOptions } from "../../src/sim/anypoint/simulator";
import { appConnection } from "./support";

/** Everything a test started, closed after it: clients first, then simulators. */
const cleanup: (() => Promise<void>)[] = [];
function keep(client: AnypointClient): AnypointClient {
  cleanup.unshift(() => client.close());
  return client;
}

async function setUp(options: AnypointSimulatorOptions = {}, clientOptions: ConstructorParameters<typeof AnypointClient>[1] = {}) {
  const sim: AnypointSimulator = createAnypointSimulator({ idleTimeoutSeconds: 120, seed: { users: 3 }, ...options });
  await sim.start();
  cleanup.push(() => sim.stop());
  const client = keep(new AnypointClient(appConnection(sim), clientOptions));
  return {
    sim,
    client,
    calls: () => sim.requests.map((r) => `${r.method} ${r.path.replace(/organizations\/[^/]+/, "organizations/M")} ${r.status}`),
  };
}

describe("AnypointClient authentication and resilience", () => {
  afterEach(async () => {
    for (const close of cleanup.splice(0)) await close();
  });

  it("maps control plane names to base URLs and takes any http(s) URL", () => {
    expect(anypointBaseUrl("us")).toBe("https://anypoint.mulesoft.com");
    expect(anypointBaseUrl("EU")).toBe("https://eu1.anypoint.mulesoft.com");
    expect(anypointBaseUrl("gov")).toBe("https://gov.anypoint.mulesoft.com");
    expect(anypointBaseUrl("http://127.0.0.1:4010/")).toBe("http://127.0.0.1:4010");
    expect(() => anypointBaseUrl("ca")).toThrow(/'ca' is neither a control plane \(us, eu, gov\) nor an http\(s\) URL/);
    expect(keep(new AnypointClient({ url: "eu", clientId: "a", clientSecret: "b" })).url).toBe("https://eu1.anypoint.mulesoft.com");
  });

  it("authenticates a connected app with client credentials (JSON) and fetches the token once for many concurrent calls", async () => {
    const { sim, client } = await setUp();
    await Promise.all(Array.from({ length: 10 }, () => client.listUsers()));
    const tokenCalls = sim.requests.filter((r) => r.path === "/accounts/api/v2/oauth2/token");
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.body).toEqual({
      grant_type: "client_credentials",
      client_id: "rollcall-sim-app",
      client_secret: "sim-secret-5b0c2e7d",
    });
    expect(sim.requests.filter((r) => r.path.endsWith("/me"))).toHaveLength(1);
  });

  it("logs in with a username and password (POST /accounts/login); a wrong password names the settings to check", async () => {
    const { sim } = await setUp({
      seed: { users: [{ username: "admin.user", password: "Secret-123", roles: [{ role: "Organization Administrator" }] }] },
    });
    const user = keep(new AnypointClient({ url: sim.url, username: "admin.user", password: "Secret-123" }));
    const wrong = keep(new AnypointClient({ url: sim.url, username: "admin.user", password: "nope" }));
    expect(await user.me()).toMatchObject({ kind: "user", name: "admin.user", organizationId: sim.state.master.id });
    expect(sim.requests[0]).toMatchObject({
      method: "POST",
      path: "/accounts/login",
      status: 200,
      body: { username: "admin.user", password: "Secret-123" },
    });
    expect((await user.createUser({ username: "made.by.user", email: "m@example.com", firstName: "M", lastName: "U" })).username).toBe(
      "made.by.user",
    );
    await expect(wrong.listUsers()).rejects.toThrow(
      /HTTP 401: Invalid username or password\. Login as user 'admin\.user' was refused: check rollcall:anypointUsername and rollcall:anypointPassword/,
    );
  });

  it("refuses bad connected-app credentials with a message naming the settings", async () => {
    const { sim } = await setUp();
    const bad = keep(new AnypointClient({ url: sim.url, clientId: "rollcall-sim-app", clientSecret: "wrong" }));
    await expect(bad.me()).rejects.toThrow(
      /Login as connected app 'rollcall-sim-app' was refused: check rollcall:anypointClientId and rollcall:anypointClientSecret/,
    );
  });

  it("renews the token shortly before it expires, without a 401", async () => {
    const { client, sim, calls } = await setUp({ tokenTtlSeconds: 2 });
    await client.listUsers();
    await new Promise((r) => setTimeout(r, 1900)); // past the renewal point (90% of 2 s), before expiry
    sim.server.clearLog();
    await client.getUser("nobody");
    expect(calls()).toEqual(["POST /accounts/api/v2/oauth2/token 200", "GET /accounts/api/organizations/M/users/nobody 404"]);
  });

  it("logs in again once when a token is refused (401), then repeats the call", async () => {
    const { client, sim, calls } = await setUp();
    await client.listUsers();
    sim.expireTokens();
    sim.server.clearLog();
    expect(await client.getUser("nobody")).toBeUndefined();
    expect(calls()).toEqual([
      "GET /accounts/api/organizations/M/users/nobody 401",
      "POST /accounts/api/v2/oauth2/token 200",
      "GET /accounts/api/organizations/M/users/nobody 404",
    ]);
  });

  it("gives up after a second 401 with a message about the credentials", async () => {
    const { client, sim } = await setUp();
    await client.listUsers();
    sim.server.injectFault({ method: "GET", path: "/users/nobody$", status: 401, body: "Unauthorized", times: 2 });
    await expect(client.getUser("nobody")).rejects.toThrow(
      /HTTP 401: Unauthorized\. A token issued just now was refused too, so the login works but this call is not allowed with it/,
    );
    expect(sim.requests.filter((r) => r.path.endsWith("/token"))).toHaveLength(2);
  });

  it("waits out a 429 until X-RateLimit-Reset (UTC epoch seconds), then succeeds", async () => {
    const waits: number[] = [];
    const { client, sim } = await setUp(
      { rateLimit: { limit: 3, windowMs: 1000 } },
      { httpOptions: { onRetry: (w) => waits.push(w.delayMs) } },
    );
    await client.listUsers(); // me, hierarchy, users: the window's three requests
    const before = Date.now();
    await client.getUser(sim.state.findUser("user0001")!.id);
    const statuses = sim.requests.filter((r) => r.path.includes("/users/")).map((r) => r.status);
    expect(statuses).toEqual([429, 200]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(2100); // reset at most the next whole second after the 1 s window
    const retried = sim.requests.at(-1)!;
    expect(Date.parse(retried.at)).toBeGreaterThanOrEqual(before + waits[0]! - 100);
  });

  it("stops after the configured number of 429s with a message saying what to do", async () => {
    const { client, sim } = await setUp({}, { httpOptions: { retry: { maxAttempts: 3 } } });
    await client.listUsers();
    sim.server.injectFault({
      path: "/users/nobody$",
      status: 429,
      body: { status: 429, message: "Too many requests" },
      headers: { "x-ratelimit-limit": "500", "x-ratelimit-reset": "1" },
      times: 5,
    });
    await expect(client.getUser("nobody")).rejects.toThrow(
      /HTTP 429: Too many requests\. Still rate-limited or unavailable after 3 attempts over \d+ s \(limit 500 requests per window\)/,
    );
    expect(sim.requests.filter((r) => r.status === 429)).toHaveLength(3);
  });

  it("retries the 503 with an empty body seen in the field", async () => {
    const { client, sim } = await setUp();
    await client.me();
    sim.server.injectFault({ path: "/users$", status: 503, times: 2 });
    expect(await client.listUsers()).toHaveLength(3);
    const users = sim.requests.filter((r) => r.path.endsWith("/users"));
    expect(users.map((r) => [r.status, r.response])).toEqual([
      [503, undefined],
      [503, undefined],
      [200, expect.objectContaining({ total: 3 })],
    ]);
  });

  it("reads X-RateLimit-Reset as epoch seconds or as seconds to wait; Retry-After wins", () => {
    const now = 1_750_000_000_000;
    expect(retryDelayMs({ "x-ratelimit-reset": String(now / 1000 + 7) }, 0, now)).toBe(7050);
    expect(retryDelayMs({ "x-ratelimit-reset": "2" }, 0, now)).toBe(2050);
    const skewed = retryDelayMs({ "x-ratelimit-reset": String(now / 1000 - 5) }, 1, now); // past (clock skew): back off
    expect(skewed).toBeGreaterThanOrEqual(250);
    expect(skewed).toBeLessThanOrEqual(500);
    expect(retryDelayMs({ "retry-after": "3", "x-ratelimit-reset": "9" }, 0, now)).toBe(3050);
    expect(retryDelayMs({}, 2, now)).toBeGreaterThanOrEqual(500);
    expect(retryDelayMs({}, 2, now)).toBeLessThanOrEqual(1000);
  });

  it("outlasts a 503-with-empty-body window longer than the old 3-second give-up", async () => {
    const { client, sim } = await setUp();
    await client.me();
    sim.server.injectFault({ path: "/users$", status: 503, forMs: 3500 });
    expect(await client.listUsers()).toHaveLength(3);
    const users = sim.requests.filter((r) => r.path.endsWith("/users"));
    expect(users.at(-1)!.status).toBe(200);
    expect(Date.parse(users.at(-1)!.at) - Date.parse(users[0]!.at)).toBeGreaterThanOrEqual(3500);
  });

  it("renews a token refused by many concurrent calls once, for all of them", async () => {
    const { client, sim } = await setUp();
    await client.listUsers();
    sim.expireTokens();
    sim.server.clearLog();
    await Promise.all(Array.from({ length: 8 }, (_, i) => client.getUser(`nobody${i}`)));
    expect(sim.requests.filter((r) => r.path.endsWith("/token"))).toHaveLength(1);
  });
});
