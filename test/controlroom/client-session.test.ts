// The Control Room session as the README states it, through the public client API against the
// simulator over real HTTP: tokens are renewed before their 20 minutes run out (no call ever hits
// an expired token) and logins are single-flight (a second password login would end the first
// session). Time is moved with a fake clock shared by the client and the simulator, which expires
// tokens after 20 minutes as the real Control Room does.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ControlRoomClient } from "../../providers/controlroom/client";
import { ControlRoomSimulator, SIM_ADMIN } from "../../providers/controlroom/simulator";

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
        await Promise.all([client.listRoles(), client.listUsers(), client.listRoles(), client.getUser(1), client.listUsers(), client.listRoles()]);
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
