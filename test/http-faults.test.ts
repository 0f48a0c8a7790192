// The one retry rule and the per-platform request budget (src/core/http) against a loopback server with
// injected faults: rate-limit windows longer than the old 3-second give-up, resets that pause every
// caller, a budget shared by clients of one platform, connection resets and answers that never come.
import { afterEach, describe, expect, it } from "vitest";
import { ControlRoomClient } from "../src/providers/controlroom/client";
import { ControlRoomSimulator, SIM_ADMIN } from "../src/sim/controlroom/simulator";
import { RequestBudget } from "../src/core/http/budget";
import { HttpClient } from "../src/core/http/client";
import { SimulatorServer } from "../src/sim/harness";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

let inFlight = 0;
let peak = 0;
async function server(): Promise<SimulatorServer> {
  const s = new SimulatorServer("Test", { idleTimeoutSeconds: 60 });
  s.route("GET", "/things", async () => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 20));
    inFlight--;
    return { status: 200, body: { ok: true } };
  });
  s.route("POST", "/things", () => ({ status: 201, body: { id: 1 } }));
  s.route("GET", "/things/missing", () => ({ status: 404, body: { message: "not found" } }));
  await s.start();
  cleanup.push(() => s.stop());
  return s;
}
function client(s: SimulatorServer, options: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}): HttpClient {
  const c = new HttpClient({
    platform: "Test",
    baseUrl: s.url,
    budget: new RequestBudget({ maxConcurrent: 8, requestsPerSecond: 1000 }),
    retry: { baseDelayMs: 50, maxDelayMs: 400 },
    ...options,
  });
  cleanup.push(() => c.close());
  return c;
}

describe("retries", () => {
  it("outlasts a 4-second window of 503s with an empty body (the old rule gave up after about 3 s)", async () => {
    const s = await server();
    s.injectFault({ path: "^/things$", status: 503, forMs: 4000 });
    const res = await client(s, { settings: { retryForMs: 30_000 } }).call({ method: "GET", path: "/things" });
    expect(res.body).toEqual({ ok: true });
    const statuses = s.requests.map((r) => r.status);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.filter((x) => x === 503).length).toBeGreaterThan(1);
    expect(Date.parse(s.requests.at(-1)!.at) - Date.parse(s.requests[0]!.at)).toBeGreaterThanOrEqual(4000);
  });

  it("gives up when the window outlasts the retry setting, saying how long it tried and what to change", async () => {
    const s = await server();
    s.injectFault({ path: "^/things$", status: 503, forMs: 60_000 });
    await expect(client(s, { settings: { retryForMs: 600 } }).call({ method: "GET", path: "/things" })).rejects.toThrow(
      /Test: GET http:\/\/127\.0\.0\.1:\d+\/things failed: HTTP 503 \(empty body\)\. Still rate-limited or unavailable after \d+ attempts over \d+ s; run again later, or lower the request budget/,
    );
  });

  it("a 429 with X-RateLimit-Reset (epoch seconds) pauses every caller of the budget until the reset", async () => {
    const s = await server();
    s.injectFault({ path: "^/things$", status: 429, body: { message: "Too many requests" }, resetInMs: 1000, forMs: 900 });
    const c = client(s, { budget: new RequestBudget({ maxConcurrent: 1, requestsPerSecond: 1000 }) });
    await Promise.all(Array.from({ length: 6 }, () => c.call({ method: "GET", path: "/things" })));
    // One caller met the closed window; the other five waited for its reset instead of spending their retries on it.
    expect(s.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(s.requests.filter((r) => r.status === 200)).toHaveLength(6);
  });

  it("repeats an idempotent call after a connection reset and after an answer that never comes (timeout)", async () => {
    const s = await server();
    s.injectFault({ path: "^/things$", method: "GET", kind: "reset" });
    s.injectFault({ path: "^/things$", method: "GET", kind: "hang" });
    const res = await client(s, { settings: { timeoutMs: 300 } }).call({ method: "GET", path: "/things" });
    expect(res.status).toBe(200);
    expect(s.requests.map((r) => r.status)).toEqual([0, 0, 200]);
  });

  it("never repeats a POST that may have landed, and says why", async () => {
    const s = await server();
    s.injectFault({ path: "^/things$", method: "POST", kind: "hang" });
    await expect(client(s, { settings: { timeoutMs: 300 } }).call({ method: "POST", path: "/things", body: {} })).rejects.toThrow(
      /not repeated, since the call may have been applied/,
    );
    expect(s.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("hints `pulumi refresh` on a 404 for one object only, not for a list", async () => {
    const s = await server();
    const c = client(s);
    await expect(c.call({ method: "GET", path: "/things/missing" })).rejects.toThrow(/run `pulumi refresh`/);
    await expect(c.call({ method: "GET", path: "/things/missing", list: true })).rejects.toThrow(
      /The list itself was not found: check the Test URL/,
    );
    await expect(c.call({ method: "GET", path: "/things/missing", list: true })).rejects.not.toThrow(/refresh/);
  });
});

describe("request budget", () => {
  it("is shared by every client of one platform and URL in the process", async () => {
    const s = await server();
    peak = 0;
    const settings = { maxConcurrent: 3, requestsPerSecond: 1000 };
    const a = new HttpClient({ platform: "Shared", baseUrl: s.url, settings });
    const b = new HttpClient({ platform: "Shared", baseUrl: s.url, settings });
    cleanup.push(
      () => a.close(),
      () => b.close(),
    );
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).call({ method: "GET", path: "/things" })));
    expect(peak).toBe(3);
  });
});

describe("Control Room sessions", () => {
  it("a session kicked out under 12 concurrent calls is renewed by one login they all share", async () => {
    const sim = new ControlRoomSimulator({ idleTimeoutSeconds: 60 });
    await sim.start();
    cleanup.push(() => sim.stop());
    const pw = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, password: SIM_ADMIN.password });
    cleanup.push(() => pw.close());
    await pw.listRoles();
    sim.kickSessions();
    sim.server.clearLog();
    await Promise.all(Array.from({ length: 12 }, () => pw.listRoles()));
    expect(sim.requests.filter((r) => r.path === "/v2/authentication")).toHaveLength(1);
    expect(sim.requests.filter((r) => r.status === 401).every((r) => (r.response as { code: string }).code === "UM1114")).toBe(true);
  });

  it("blames something other than the credentials when a session that just opened is refused", async () => {
    const sim = new ControlRoomSimulator({ idleTimeoutSeconds: 60 });
    await sim.start();
    cleanup.push(() => sim.stop());
    const pw = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, password: SIM_ADMIN.password });
    cleanup.push(() => pw.close());
    await pw.listRoles();
    // Every attempt (the first and the two after a renewal each) finds its session ended.
    sim.server.injectFault({ path: "/roles/list$", kind: "action", action: "kick-sessions", times: 3 });
    await expect(pw.listRoles()).rejects.toThrow(
      /Sessions opened just now with the password of 'rollcall-bot' were refused too: another program is probably logging in as 'rollcall-bot' with its password/,
    );
  });
});
