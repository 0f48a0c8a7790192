// The Control Room session as the README states it, through the public client API against the
// simulator over real HTTP: tokens are renewed before their 20 minutes run out (no call ever hits
// an expired token) and logins are single-flight (a second password login would end the first
// session). Time is moved with a fake clock shared by the client and the simulator, which expires
// tokens after 20 minutes as the real Control Room does.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ControlRoomClient } from "../../src/providers/controlroom/client";
import { ControlRoomSimulator, SIM_ADMIN } from "../../src/sim/controlroom/simulator";

const MINUTE = 60_000;

describe("Control Room session", () => {
  let sim: ControlRoomSimulator;
  const calls = () => sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
  beforeEach(async () => {
    sim = new ControlRoomSimulator({ tokenTtlSeconds: 20 * 60 });
    await sim.start();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await sim.stop();
  });

  for (const credential of ["apiKey", "password"] as const) {
    it(`renews the token before its 20 minutes run out: no call is sent with an expired token (${credential})`, async () => {
      vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-01-05T09:00:00Z") });
      const client = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, [credential]: SIM_ADMIN[credential] });
      try {
        await client.listRoles();
        // 19 minutes on, the token is still valid for the platform, but too old to start a call with.
        vi.setSystemTime(Date.now() + 19 * MINUTE);
        sim.server.clearLog();
        await client.listRoles();
        expect(calls()).toEqual(["POST /v2/authentication 200", "POST /v2/usermanagement/roles/list 200"]);
        // Past the platform's 20 minutes since that renewal: again a fresh login first, never a 401.
        vi.setSystemTime(Date.now() + 21 * MINUTE);
        sim.server.clearLog();
        await client.listUsers();
        expect(calls()).toEqual(["POST /v2/authentication 200", "POST /v2/usermanagement/users/list 200"]);
      } finally {
        await client.close();
      }
    });
  }

  it("keeps using a fresh token: a second call within minutes sends no login", async () => {
    const client = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey });
    try {
      await client.listRoles();
      sim.server.clearLog();
      await client.listUsers();
      expect(calls()).toEqual(["POST /v2/usermanagement/users/list 200"]);
    } finally {
      await client.close();
    }
  });

  for (const credential of ["apiKey", "password"] as const) {
    it(`concurrent callers share one login (${credential})`, async () => {
      const client = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, [credential]: SIM_ADMIN[credential] });
      try {
        await Promise.all([
          client.listRoles(),
          client.listUsers(),
          client.listRoles(),
          client.getUser(1),
          client.listUsers(),
          client.listRoles(),
        ]);
        expect(sim.requests.filter((r) => r.path === "/v2/authentication")).toHaveLength(1);
        // With a password, a second login would have ended the first session: no call was refused.
        expect(sim.requests.filter((r) => r.status === 401)).toEqual([]);
      } finally {
        await client.close();
      }
    });
  }

  it("concurrent callers after expiry share one renewal", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-01-05T09:00:00Z") });
    const client = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, password: SIM_ADMIN.password });
    try {
      await client.listRoles();
      vi.setSystemTime(Date.now() + 25 * MINUTE);
      sim.server.clearLog();
      await Promise.all([client.listRoles(), client.listUsers(), client.listRoles()]);
      expect(sim.requests.filter((r) => r.path === "/v2/authentication")).toHaveLength(1);
      expect(sim.requests.filter((r) => r.status === 401)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});

// Tokens that expire while calls wait for the request budget (issue #19): a call takes its token
// only once it holds its slot, a renewal goes ahead of the queued calls, and a 401 after a renewal
// gets one more renewal and attempt. Short-lived tokens on the simulator make the queue outlive them.
// A renewal stuck behind the calls that wait on it would hang: 30 s per test lets that fail the test, not the run.
describe("Control Room session under the request budget", () => {
  let sim: ControlRoomSimulator;
  const tokens = (path: string) => sim.requests.filter((r) => r.path === path);
  afterEach(async () => {
    await sim.stop();
  });

  for (const credential of ["apiKey", "password"] as const) {
    it(`a call takes its token when its budget slot comes, so none is sent with a token that expired in the queue (${credential})`, async () => {
      // 2-second tokens, 2 calls a second, one at a time: the last of 8 calls waits about 4 seconds.
      sim = new ControlRoomSimulator({ tokenTtlSeconds: 2 });
      await sim.start();
      const client = new ControlRoomClient({
        url: sim.url,
        username: SIM_ADMIN.username,
        [credential]: SIM_ADMIN[credential],
        http: { requestsPerSecond: 2, maxConcurrent: 1 },
      });
      try {
        await Promise.all(Array.from({ length: 8 }, () => client.listRoles()));
        expect(sim.requests.filter((r) => r.status === 401)).toEqual([]);
        expect(tokens("/v2/usermanagement/roles/list").map((r) => r.status)).toEqual(Array(8).fill(200));
      } finally {
        await client.close();
      }
    }, 30_000);
  }

  it("a renewal goes ahead of the queued calls: the login is the next request after the 401", async () => {
    sim = new ControlRoomSimulator();
    await sim.start();
    const client = new ControlRoomClient({
      url: sim.url,
      username: SIM_ADMIN.username,
      password: SIM_ADMIN.password,
      http: { requestsPerSecond: 20, maxConcurrent: 1 },
    });
    try {
      await client.listRoles();
      sim.server.clearLog();
      // The platform ends the session as the third queued call arrives.
      sim.server.injectFault({ path: "/usermanagement/", kind: "action", action: "expire-tokens", after: 2 });
      await Promise.all(Array.from({ length: 6 }, () => client.listRoles()));
      const log = sim.requests.map((r) => `${r.path} ${r.status}`);
      const refused = log.indexOf("/v2/usermanagement/roles/list 401");
      expect(refused).toBeGreaterThan(0);
      expect(log[refused + 1]).toBe("/v2/authentication 200");
      expect(log.filter((l) => l.endsWith(" 401"))).toHaveLength(1);
      expect(log.filter((l) => l === "/v2/usermanagement/roles/list 200")).toHaveLength(6);
    } finally {
      await client.close();
    }
  }, 30_000);

  // Every session ends as the call arrives: the platform's real answer is then 401 (UM1111).
  const refusal = { path: "/usermanagement/roles/list", kind: "action", action: "expire-tokens" } as const;

  it("a 401 after a renewal queues the call once more, with the newest token", async () => {
    sim = new ControlRoomSimulator();
    await sim.start();
    const client = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey });
    try {
      sim.server.injectFault({ ...refusal, times: 2 });
      await client.listRoles();
      expect(sim.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
        "/v2/authentication 200",
        "/v2/usermanagement/roles/list 401",
        "/v2/authentication 200",
        "/v2/usermanagement/roles/list 401",
        "/v2/authentication 200",
        "/v2/usermanagement/roles/list 200",
      ]);
      // The last attempt succeeded, so it carried the newest token: every earlier one had expired.
    } finally {
      await client.close();
    }
  }, 30_000);

  for (const [credential, names, never] of [
    ["apiKey", /API key/, /password/],
    ["password", /password/, /API key for/],
  ] as const) {
    it(`a third 401 fails the call with a message naming the ${credential} it logged in with`, async () => {
      sim = new ControlRoomSimulator();
      await sim.start();
      const client = new ControlRoomClient({ url: sim.url, username: SIM_ADMIN.username, [credential]: SIM_ADMIN[credential] });
      try {
        sim.server.injectFault({ ...refusal, times: 3 });
        const error = await client.listRoles().then(
          () => undefined,
          (e: Error) => e,
        );
        expect(error?.message).toMatch(/roles\/list failed: HTTP 401/);
        expect(error?.message).toMatch(names);
        expect(error?.message).not.toMatch(never);
        expect(tokens("/v2/authentication")).toHaveLength(3);
      } finally {
        await client.close();
      }
    }, 30_000);
  }
});
