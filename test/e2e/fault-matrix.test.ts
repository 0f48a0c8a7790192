// The fault matrix: for each kind of fault the platforms show in the field, `pulumi up` (re-run as
// the README says, at most 4 runs) through the real engine against both simulators, with the fault
// injected while people are created and removed. Converged = the platforms hold exactly the people
// users.yaml declares; a duplicate (a person created twice) or a wrong deletion (a declared person
// deleted) fails the test whatever else happened. Bounded: 8 people, two removed and two added per fault, tiny timeouts and windows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fault } from "../../src/sim/harness";
import { SIM_ADMIN } from "../../src/sim/controlroom/simulator";
import {
  controlRoomStack,
  expectOk,
  platformsStack,
  usersYaml,
  type AnypointStackFixture,
  type ControlRoomStackFixture,
  type TestPerson,
} from "../support/stack";

const MAX_RUNS = 4;

interface FaultCase {
  name: string;
  controlRoom?: Fault[];
  anypoint?: Fault[];
}

// Paths of the user APIs only, so the engine's own start-up is never the thing failing.
const CR = "/usermanagement/";
const AP = "/accounts/api/organizations/";
const cases: FaultCase[] = [
  { name: "latency 150 ms", controlRoom: [{ path: CR, delayMs: 150, times: 40 }], anypoint: [{ path: AP, delayMs: 150, times: 40 }] },
  {
    name: "429 with reset headers",
    controlRoom: [
      {
        path: CR,
        status: 429,
        headers: { "retry-after": "1" },
        body: { code: "RATE", message: "Too many requests" },
        after: 3,
        forMs: 900,
      },
    ],
    anypoint: [
      {
        path: AP,
        status: 429,
        resetInMs: 1000,
        headers: { "x-ratelimit-limit": "500", "x-ratelimit-remaining": "0" },
        body: { message: "Too many requests" },
        after: 3,
        forMs: 900,
      },
    ],
  },
  {
    name: "503 empty body, 3 s window",
    controlRoom: [{ path: CR, status: 503, after: 3, forMs: 3000 }],
    anypoint: [{ path: AP, status: 503, after: 3, forMs: 3000 }],
  },
  {
    name: "500 on writes",
    controlRoom: [{ path: CR, method: "POST", status: 500, body: { code: "ERR", message: "Internal error" }, after: 2, times: 2 }],
    anypoint: [{ path: AP, method: "DELETE", status: 500, body: { message: "Internal error" }, times: 1 }],
  },
  {
    name: "connection reset",
    controlRoom: [{ path: CR, kind: "reset", after: 2, times: 3 }],
    anypoint: [{ path: AP, kind: "reset", after: 2, times: 3 }],
  },
  {
    name: "response never comes",
    controlRoom: [{ path: CR, kind: "hang", after: 2, times: 2 }],
    anypoint: [{ path: AP, kind: "hang", after: 2, times: 2 }],
  },
  {
    name: "token expiry mid-run",
    controlRoom: [{ path: CR, kind: "action", action: "expire-tokens", after: 4 }],
    anypoint: [{ path: AP, kind: "action", action: "expire-tokens", after: 4 }],
  },
  { name: "Control Room session kick", controlRoom: [{ path: CR, kind: "action", action: "kick-sessions", after: 3, times: 2 }] },
];

function person(i: number): TestPerson {
  const key = `p${String(i).padStart(3, "0")}`;
  // Everyone has Control Room; every third person Anypoint access too.
  return {
    key,
    controlRoom: { roles: ["AAE_Basic"] },
    ...(i % 3 === 0 ? { anypoint: { businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } } } : {}),
  };
}

interface Row {
  fault: string;
  runs: number;
  converged: boolean;
  duplicates: number;
  wrongDeletions: number;
  seconds: number;
}

const ENV = {
  ROLLCALL_CONTROLROOM_TIMEOUT_SECONDS: "1",
  ROLLCALL_ANYPOINT_TIMEOUT_SECONDS: "1",
  ROLLCALL_CONTROLROOM_RETRY_FOR_SECONDS: "15",
  ROLLCALL_ANYPOINT_RETRY_FOR_SECONDS: "15",
  // A checkpoint after every step costs most of an up's time here; rollcall tolerates runs cut short without one (README).
  PULUMI_SKIP_CHECKPOINTS: "true",
};

/** Declared people on each platform, and what the simulators hold. */
function check(f: AnypointStackFixture, declared: TestPerson[]): { converged: boolean; duplicates: number; wrongDeletions: number } {
  const wantCr = declared.map((p) => p.key).sort();
  const wantAp = declared
    .filter((p) => p.anypoint)
    .map((p) => `${p.key}.acme`)
    .sort();
  const haveCr = [...f.sim.users.values()]
    .map((u) => u.username.toLowerCase())
    .filter((u) => /^p\d{3}$/.test(u))
    .sort();
  const haveAp = [...f.anypoint.state.users.values()]
    .filter((u) => !u.deleted && /^p\d{3}\.acme$/.test(u.username))
    .map((u) => u.username.toLowerCase())
    .sort();
  // Created twice: successful creates of one username beyond the first, plus live users sharing one.
  const creates = (log: typeof f.sim.requests, path: RegExp) =>
    log
      .filter((r) => r.method === "POST" && path.test(r.path) && r.status >= 200 && r.status < 300)
      .map((r) => String((r.body as { username?: string }).username).toLowerCase());
  const extra = (names: string[]) => names.length - new Set(names).size;
  const duplicates =
    extra(creates(f.sim.requests, /\/usermanagement\/users$/)) +
    extra(creates(f.anypoint.requests, /\/users$/)) +
    extra(haveCr) +
    extra(haveAp);
  // A declared person deleted: Control Room answers a DELETE with the deleted user; an Anypoint deletion leaves a tombstone.
  const declaredCr = new Set(wantCr);
  const declaredAp = new Set(wantAp);
  const wrongCr = f.sim.requests.filter(
    (r) =>
      r.method === "DELETE" && r.status === 200 && declaredCr.has(String((r.response as { username?: string })?.username).toLowerCase()),
  ).length;
  const wrongAp = [...f.anypoint.state.users.values()].filter((u) => u.deleted && declaredAp.has(u.username.toLowerCase())).length;
  const converged =
    JSON.stringify([...new Set(haveCr)]) === JSON.stringify(wantCr) && JSON.stringify([...new Set(haveAp)]) === JSON.stringify(wantAp);
  return { converged, duplicates, wrongDeletions: wrongCr + wrongAp };
}

describe("fault matrix through the real engine", () => {
  let f: AnypointStackFixture;
  let next = 0;
  let declared: TestPerson[] = [];
  const rows: Row[] = [];

  beforeAll(async () => {
    f = await platformsStack("faults", {}, ENV);
    declared = Array.from({ length: 8 }, () => person(next++));
    f.writeUsers(usersYaml(declared));
    expectOk(await f.stack.up(), "pulumi up (no fault)");
  }, 120_000);
  afterAll(async () => {
    const line = (r: (string | number | boolean)[]) => `| ${r.map(String).join(" | ")} |`;
    process.stdout.write(
      [
        "",
        line(["fault", "runs", "converged", "duplicates", "wrong deletions", "time to converge (s)"]),
        line(["---", "---", "---", "---", "---", "---"]),
        ...rows.map((r) => line([r.fault, r.runs, r.converged, r.duplicates, r.wrongDeletions, r.seconds.toFixed(1)])),
        "",
      ].join("\n"),
    );
    await f?.dispose();
  });

  for (const c of cases) {
    it(`${c.name}: converges with no duplicate and no wrong deletion`, async () => {
      // Each round removes the two oldest people and adds two, so the fault meets creates and deletes.
      declared = [...declared.slice(2), person(next++), person(next++)];
      f.writeUsers(usersYaml(declared));
      f.sim.server.clearLog();
      f.anypoint.server.clearLog();
      for (const fault of c.controlRoom ?? []) f.sim.server.injectFault(fault);
      for (const fault of c.anypoint ?? []) f.anypoint.server.injectFault(fault);
      const started = Date.now();
      let runs = 0;
      let last = { code: 1, stdout: "", stderr: "" };
      while (runs < MAX_RUNS) {
        runs++;
        last = await f.stack.up();
        if (last.code === 0 && check(f, declared).converged) break;
      }
      const result = check(f, declared);
      rows.push({ fault: c.name, runs, ...result, seconds: (Date.now() - started) / 1000 });
      f.sim.server.clearFaults();
      f.anypoint.server.clearFaults();
      if (!result.converged) expectOk(last, `pulumi up under "${c.name}" (run ${runs})`);
      expect(result).toEqual({ converged: true, duplicates: 0, wrongDeletions: 0 });
    }, 120_000);
  }
});

// Sessions that outlive the queue (issue #19): 3-second tokens (real ones last 20 minutes) while 150
// creates, then 150 updates, wait for the request budget — the default and a low one — with an API
// key and with a password, whose every login ends the previous session. One run each must converge:
// no call may be lost to a token that expired while it queued. The two credentials take the two
// budgets in opposite order, so each pairing of operation, credential and budget is run once.
// The figures (requests, 401s absorbed, logins, wall time) are printed as a table after the runs.
describe("Control Room stress: 3 s tokens while 150 calls queue", () => {
  const PEOPLE = 150;
  const LOW_BUDGET = "10";
  const stressRows: { run: string; requests: number; absorbed401: number; logins: number; seconds: number }[] = [];
  afterAll(() => {
    const line = (r: (string | number)[]) => `| ${r.map(String).join(" | ")} |`;
    process.stdout.write(
      [
        "",
        line(["stress run", "requests", "401s absorbed", "logins", "wall time (s)"]),
        line(["---", "---", "---", "---", "---"]),
        ...stressRows.map((r) => line([r.run, r.requests, r.absorbed401, r.logins, r.seconds.toFixed(1)])),
        "",
      ].join("\n"),
    );
  });

  const people = (lastName: string): TestPerson[] =>
    Array.from({ length: PEOPLE }, (_, i) => ({ key: `s${String(i).padStart(3, "0")}`, lastName, controlRoom: { roles: ["AAE_Basic"] } }));

  async function stressUp(f: ControlRoomStackFixture, run: string, budget: "default" | "low", lastName: string): Promise<void> {
    if (budget === "low") expectOk(await f.stack.setConfig("rollcall:controlRoomRequestsPerSecond", LOW_BUDGET), "pulumi config set");
    else await f.stack.run(["config", "rm", "rollcall:controlRoomRequestsPerSecond"]);
    f.writeUsers(usersYaml(people(lastName)));
    f.sim.server.clearLog();
    const started = Date.now();
    expectOk(await f.stack.up(), `pulumi up (${run}, ${budget} budget)`);
    const log = f.sim.requests;
    stressRows.push({
      run: `${run}, ${budget} budget`,
      requests: log.length,
      absorbed401: log.filter((r) => r.status === 401).length,
      logins: log.filter((r) => r.path === "/v2/authentication").length,
      seconds: (Date.now() - started) / 1000,
    });
    const users = [...f.sim.users.values()].filter((u) => /^s\d{3}$/.test(u.username));
    const creates = log
      .filter((r) => r.method === "POST" && r.path === "/v2/usermanagement/users" && r.status === 201)
      .map((r) => (r.body as { username: string }).username);
    expect({
      users: users.length,
      distinct: new Set(users.map((u) => u.username)).size,
      duplicateCreates: creates.length - new Set(creates).size,
      stale: users.filter((u) => u.lastName !== lastName).length,
    }).toEqual({ users: PEOPLE, distinct: PEOPLE, duplicateCreates: 0, stale: 0 });
  }

  for (const [credential, createBudget, updateBudget] of [
    ["apiKey", "default", "low"],
    ["password", "low", "default"],
  ] as const) {
    // The two stacks run side by side: their time is mostly waiting for the budget, not CPU.
    it.concurrent(
      `${credential}: ${PEOPLE} creates (${createBudget} budget), then ${PEOPLE} updates (${updateBudget} budget), each in one run`,
      async () => {
        const auth: Record<string, string> =
          credential === "apiKey" ? {} : { ROLLCALL_CONTROLROOM_API_KEY: "", ROLLCALL_CONTROLROOM_PASSWORD: SIM_ADMIN.password };
        // The default request budget: no override from the test fixture.
        const f = await controlRoomStack(
          `stress-${credential}`,
          { tokenTtlSeconds: 3 },
          { ROLLCALL_CONTROLROOM_REQUESTS_PER_SECOND: "", PULUMI_SKIP_CHECKPOINTS: "true", ...auth },
        );
        try {
          await stressUp(f, `${credential}: ${PEOPLE} creates`, createBudget, "Tester");
          await stressUp(f, `${credential}: ${PEOPLE} updates`, updateBudget, "Renamed");
        } finally {
          await f.dispose();
        }
      },
      300_000,
    );
  }
});
