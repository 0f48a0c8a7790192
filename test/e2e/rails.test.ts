// The safety rails through the real engine against both simulators: removal limits at every level,
// the one-run override, protected identities, soft offboarding (disable, unmanage) and the audit
// trail. Each refusal is checked on preview AND up: exit status, message, zero mutating requests
// on either platform, state unchanged.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutatingRequests } from "../../src/sim/harness";
import type { AuditLine } from "../../src/features/audit/sink";
import { summarizeAudit } from "../../src/features/audit/summary";
import { SIM_ANYPOINT_APP } from "../../src/sim/anypoint/simulator";
import { SIM_ADMIN } from "../../src/sim/controlroom/simulator";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const seed = { businessGroups: [{ name: "Sales" }, { name: "Engineering" }], teams: ["Approvers"] };

const member = (key: string): TestPerson => ({
  key,
  controlRoom: { roles: ["AAE_Basic"] },
  anypoint: {
    businessGroups: {
      Sales: { roles: ["Exchange Viewer", "API Creator"], teams: ["Approvers"] },
      Engineering: { roles: ["Exchange Viewer"] },
    },
  },
});
const staff = ["s1", "s2", "s3", "s4", "s5", "s6"].map(member);
const admin: TestPerson = {
  key: "admin",
  controlRoom: { roles: ["AAE_Admin"] },
  anypoint: { businessGroups: { "Acme Corp": { roles: ["Organization Administrator"] } } },
};
// The account rollcall signs in as, declared with its own email (rollcall adopts only the same person).
const bot: TestPerson = {
  key: "bot",
  email: "rollcall-bot@example.com",
  controlRoom: { username: SIM_ADMIN.username, roles: ["AAE_Admin"] },
};
const boss: TestPerson = { ...member("boss"), protected: true };
const everyone = [admin, bot, boss, ...staff];

/** everyone, with `change` applied to the listed people (undefined drops them). */
const edit = (keys: string[], change: (p: TestPerson) => TestPerson | undefined) =>
  everyone.flatMap((p) => (keys.includes(p.key) ? [change(p)].filter((x): x is TestPerson => !!x) : [p]));

// Each test runs up to three engine commands; on a loaded 2-core machine one can take 30 s.
describe("safety rails through the real engine", { timeout: 300_000 }, () => {
  let f: AnypointStackFixture;
  const auditFile = () => path.join(f.dir, "project", "audit", "rails.jsonl");
  const mutations = () => [...mutatingRequests(f.sim.requests), ...mutatingRequests(f.anypoint.requests)];
  const clearLogs = () => {
    f.sim.server.clearLog();
    f.anypoint.server.clearLog();
  };
  // The platform resources as the engine stores them (a failed run still re-reads the StackReference).
  const snapshot = async () =>
    JSON.stringify(
      (await f.stack.exportState()).deployment
        .resources!.filter((r) => r.type.includes("rollcall:"))
        .map((r) => ({ urn: r.urn, id: r.id, inputs: r.inputs, outputs: r.outputs, protect: r.protect })),
    );
  const env = (vars: Record<string, string>) => Object.assign(f.stack.opts.env!, vars);

  /** preview and up both refuse, with `message`, sending no mutating call and leaving the state as it was. */
  async function expectRefused(people: TestPerson[], message: string | RegExp) {
    f.writeUsers(usersYaml(people));
    const before = await snapshot();
    clearLogs();
    for (const result of [await f.stack.preview(), await f.stack.up()]) {
      expect(result.code).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toMatch(message);
    }
    expect(mutations()).toEqual([]);
    expect(await snapshot()).toBe(before);
  }

  beforeAll(async () => {
    // The default offboarding (disable) applies: the support's delete mode is cleared.
    f = await platformsStack("rails", { seed }, { ROLLCALL_OFFBOARDING: "" });
    f.writeUsers(usersYaml(everyone));
    expectOk(await f.stack.up(), "pulumi up");
  }, 120_000);
  afterAll(async () => f?.dispose());

  it("stripping 4 of 7 people of one business group is refused, though no user is deleted", async () => {
    await expectRefused(
      edit(["s1", "s2", "s3", "s4"], (p) => ({ ...p, anypoint: { businessGroups: { Engineering: { roles: ["Exchange Viewer"] } } } })),
      /Anypoint business group 'Sales': 4 of 7 \(57%\) would lose it — limit 10 or 25% \(rollcall:removalLimits\.businessGroupAccess\): s1, s2, s3, s4[\s\S]*ROLLCALL_MAX_REMOVALS=4 pulumi up/,
    );
  });

  // One test per level: each refusal is a preview and an up, seconds each on a busy machine.
  const otherLevels: [string, TestPerson[], RegExp][] = [
    [
      "Control Room users",
      edit(["s1", "s2", "s3"], (p) => ({ ...p, controlRoom: undefined })),
      /Control Room users: 3 of 9 \(33%\) would lose it — limit 25 or 10%.*s1 's1' \(disabled\)/,
    ],
    [
      "Anypoint users",
      edit(["s1", "s2", "s3"], (p) => ({ ...p, anypoint: undefined })),
      /Anypoint users: 3 of 8 \(38%\) would lose it.*s1 's1\.acme' \(disabled\)/,
    ],
    [
      "roles",
      edit(["s1", "s2", "s3"], (p) => ({
        ...p,
        anypoint: { businessGroups: { ...p.anypoint!.businessGroups, Sales: { roles: ["Exchange Viewer"], teams: ["Approvers"] } } },
      })),
      /Anypoint role 'API Creator' in business group 'Sales': 3 of 7 \(43%\) would lose it — limit 10 or 25% \(rollcall:removalLimits\.roles\)/,
    ],
    [
      "teams",
      edit(["s1", "s2", "s3"], (p) => ({
        ...p,
        anypoint: { businessGroups: { ...p.anypoint!.businessGroups, Sales: { roles: ["Exchange Viewer", "API Creator"] } } },
      })),
      /Anypoint team 'Approvers': 3 of 7 \(43%\) would lose it — limit 10 or 25% \(rollcall:removalLimits\.teams\)/,
    ],
  ];
  for (const [level, people, message] of otherLevels) {
    it(`over the limit at the level of ${level} is refused too`, () => expectRefused(people, message));
  }

  it("the one-run override lets the same change through", async () => {
    f.writeUsers(
      usersYaml(
        edit(["s1", "s2", "s3", "s4"], (p) => ({ ...p, anypoint: { businessGroups: { Engineering: { roles: ["Exchange Viewer"] } } } })),
      ),
    );
    clearLogs();
    env({ ROLLCALL_MAX_REMOVALS: "4" });
    try {
      expectOk(await f.stack.up(), "pulumi up with ROLLCALL_MAX_REMOVALS=4");
    } finally {
      env({ ROLLCALL_MAX_REMOVALS: "" });
    }
    const sales = f.anypoint.state.orgByName("Sales")!.id;
    expect(
      mutatingRequests(f.anypoint.requests).some((r) => r.method === "DELETE" && r.path === `/accounts/api/organizations/${sales}/members`),
    ).toBe(true);
    expect(f.anypoint.state.rolesOf(f.anypoint.state.findUser("s1.acme")!.id, sales)).toEqual([]);
    f.writeUsers(usersYaml(everyone));
    env({ ROLLCALL_MAX_REMOVALS: "4" });
    try {
      expectOk(await f.stack.up(), "pulumi up restoring Sales");
    } finally {
      env({ ROLLCALL_MAX_REMOVALS: "" });
    }
  });

  const protectedCases: [string, TestPerson[], RegExp][] = [
    [
      "a protected person deleted",
      edit(["boss"], (p) => ({ ...p, offboard: "delete" })),
      /boss \(protected: true\) would lose their Control Room user 'boss', their Anypoint user 'boss\.acme'/,
    ],
    [
      "a protected person disabled",
      edit(["boss"], (p) => ({ ...p, offboard: "disable" })),
      /boss \(protected: true\) would lose Control Room sign-in \(disabled\), Anypoint sign-in \(disabled\)/,
    ],
    [
      "the account rollcall signs in as",
      edit(["bot"], () => undefined),
      new RegExp(`bot \\(rollcall signs in to Control Room as '${SIM_ADMIN.username}'\\) would lose Control Room sign-in \\(disabled\\)`),
    ],
    [
      "the last Organization Administrator",
      edit(["admin"], (p) => ({ ...p, anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } })),
      /leaves 'Organization Administrator' of the Anypoint master organization 'Acme Corp' with no enabled holder in users\.yaml \(it was held by admin\)/,
    ],
  ];
  for (const [who, people, message] of protectedCases) {
    it(`${who} is refused, naming who and why`, () => expectRefused(people, message));
  }

  it("by default a removed person is disabled on both platforms: no DELETE, roles kept", async () => {
    f.writeUsers(usersYaml(edit(["s6"], () => undefined)));
    clearLogs();
    const preview = await f.stack.preview();
    expectOk(preview, "pulumi preview");
    expect(preview.stdout + preview.stderr).toContain("offboarding s6: Anypoint user 's6.acme' — disable: disabled (enabled: false)");
    expectOk(await f.stack.up(), "pulumi up");
    const calls = mutations();
    expect(calls.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(f.sim.findUser("s6")!.disabled).toBe(true);
    const s6 = f.anypoint.state.findUser("s6.acme")!;
    expect(s6.enabled).toBe(false);
    expect(
      f.anypoint.state
        .rolesOf(s6.id, f.anypoint.state.orgByName("Sales")!.id)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["API Creator", "Exchange Viewer"]);
    // Still declared (disabled) on the next run, with nothing to send.
    clearLogs();
    expectOk(await f.stack.up(["--expect-no-changes"]), "pulumi up --expect-no-changes");
    expect(mutations()).toEqual([]);
  });

  it("offboard: unmanage stops managing someone without a single call", async () => {
    const without6 = edit(["s6"], () => undefined);
    const people = without6.map((p) => (p.key === "s5" ? { ...p, offboard: "unmanage" as const } : p));
    f.writeUsers(usersYaml(people));
    clearLogs();
    expectOk(await f.stack.up(), "pulumi up (marks s5 retained)");
    expectOk(await f.stack.up(), "pulumi up (drops s5 from the state)");
    expect(mutations()).toEqual([]);
    const names = (await f.stack.exportState()).deployment.resources!.map((r) => r.urn.split("::").pop());
    expect(names.filter((n) => n === "s5" || n?.startsWith("s5@"))).toEqual([]);
    expect(f.sim.findUser("s5")!.disabled).toBe(false);
    expect(f.anypoint.state.findUser("s5.acme")!.enabled).toBe(true);
  });

  it("a last deployment that is not rollcall's fails closed: preview and up refuse, nothing is sent", async () => {
    const state = await f.stack.exportState();
    const stackResource = state.deployment.resources!.find((r) => r.type === "pulumi:pulumi:Stack")!;
    const saved = stackResource.outputs;
    stackResource.outputs = { url: "https://example.com" };
    const file = path.join(f.dir, "foreign-state.json");
    writeFileSync(file, JSON.stringify(state));
    expectOk(await f.stack.run(["stack", "import", "--file", file]), "pulumi stack import");
    try {
      f.writeUsers(usersYaml(everyone));
      clearLogs();
      for (const result of [await f.stack.preview(), await f.stack.up()]) {
        expect(result.code).not.toBe(0);
        expect(`${result.stdout}${result.stderr}`).toContain(
          "The last deployment of this stack exported neither 'roster' nor user lists (outputs: url), so rollcall cannot tell what this change removes; nothing was sent.",
        );
      }
      expect(mutations()).toEqual([]);
    } finally {
      stackResource.outputs = saved;
      writeFileSync(file, JSON.stringify(state));
      expectOk(await f.stack.run(["stack", "import", "--file", file]), "pulumi stack import (restore)");
    }
  });

  it("the audit file holds exactly one line per mutating request the simulators saw, and no secret", async () => {
    const readLines = () =>
      existsSync(auditFile())
        ? readFileSync(auditFile(), "utf8")
            .trim()
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as AuditLine)
        : [];
    // One more change, with a clean log, so both sides cover exactly the same calls (whether or not
    // the tests before ran: s6 and s5 are then already offboarded).
    const already = readLines().length;
    const people = edit(["s6"], () => undefined).map((p) =>
      p.key === "s5"
        ? { ...p, offboard: "unmanage" as const }
        : p.key === "s3"
          ? { ...p, controlRoom: { roles: ["AAE_Basic", "Bot Runner"] } }
          : p,
    );
    f.writeUsers(usersYaml(people));
    clearLogs();
    expectOk(await f.stack.up(), "pulumi up");
    const text = readFileSync(auditFile(), "utf8");
    const fresh = readLines().slice(already);
    const seen = mutations()
      .map((r) => `${r.method} ${r.path.split("?")[0]}`)
      .sort();
    expect(seen.length).toBeGreaterThan(0);
    expect(fresh.map((l) => `${l.method} ${l.path}`).sort()).toEqual(seen);
    expect(fresh.every((l) => l.stack === "rails" && l.people.length > 0 && l.platform)).toBe(true);
    expect(summarizeAudit(fresh)).toContain(`audit: stack rails, run ${fresh[0]!.run}: ${fresh.length} mutating calls`);
    // The secrets this run sent (it logs in with the API key and the connected app), each seen by a simulator — a password it never sends could not leak.
    const sent = JSON.stringify([f.sim.requests, f.anypoint.requests]);
    for (const secret of [SIM_ADMIN.apiKey, SIM_ANYPOINT_APP.clientSecret]) expect(sent).toContain(secret);
    for (const secret of [SIM_ADMIN.apiKey, SIM_ANYPOINT_APP.clientSecret, "Bearer", "x-authorization"]) expect(text).not.toContain(secret);
  });
});
