// Access that expires, through the real engine against both simulators, with the clock set by
// ROLLCALL_TEST_NOW: a grant expiring today is removed by the next up and not before; a person
// expiring loses every membership; the pruned users.yaml changes nothing; an expired protected
// person fails closed exactly like removing them; a mass expiry trips the removal limits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { mutatingRequests } from "../../src/sim/harness";
import { buildReport } from "../../src/features/report/report";
import { previewWithProgramData } from "../../src/features/report/command";
import { renderText } from "../../src/features/report/render";
import { pruneExpired } from "../../src/features/expiry/prune";
import { expectOk, platformsStack, type AnypointStackFixture } from "../support/stack";

const D = "2027-03-31";
const seed = { businessGroups: [{ name: "Sales" }, { name: "Engineering" }] };

type Entry = Record<string, unknown> & { key: string };
const person = (
  key: string,
  extra: Record<string, unknown> = {},
  cr: unknown = ["AAE_Basic"],
  groups: Record<string, unknown> = { Sales: { roles: ["Exchange Viewer"] }, Engineering: { roles: ["Exchange Viewer"] } },
): Entry => ({
  key,
  email: `${key}@example.com`,
  firstName: key[0]!.toUpperCase() + key.slice(1),
  lastName: "Tester",
  ...extra,
  controlRoom: { username: key, roles: cr },
  anypoint: { username: `${key}.acme`, businessGroups: groups },
});
const admin = person("admin", {}, ["AAE_Admin"], { "Acme Corp": { roles: ["Organization Administrator"] } });
const boss = person("boss", { protected: true });
const staff = ["s1", "s2", "s3", "s4", "s5", "s6"].map((k) => person(k));
// ada: a Control Room role and an Anypoint business group until D; carol: everything until D.
const ada = person("ada", {}, ["AAE_Basic", { name: "Bot Runner", expires: D }], {
  Sales: { roles: ["Exchange Viewer"] },
  Engineering: { roles: ["API Creator"], expires: D },
});
const carol = person("carol", { expires: D });
const file = (people: Entry[]) => stringify({ version: 1, users: people });

describe("expiry through the real engine", { timeout: 300_000 }, () => {
  let f: AnypointStackFixture;
  const mutations = () => [...mutatingRequests(f.sim.requests), ...mutatingRequests(f.anypoint.requests)];
  const clearLogs = () => {
    f.sim.server.clearLog();
    f.anypoint.server.clearLog();
  };
  const clock = (instant: string) => Object.assign(f.stack.opts.env!, { ROLLCALL_TEST_NOW: instant });
  const crRoles = (username: string) =>
    f.sim
      .findUser(username)!
      .roleIds.map((id) => f.sim.roles.get(id)!.name)
      .sort();
  const groupsOf = (username: string) =>
    [
      ...new Set(
        f.anypoint.state
          .memberships()
          .filter((m) => m.username === username)
          .map((m) => m.orgName),
      ),
    ].sort();
  const snapshot = async () =>
    JSON.stringify(
      (await f.stack.exportState()).deployment
        .resources!.filter((r) => r.type.includes("rollcall:"))
        .map((r) => ({ urn: r.urn, inputs: r.inputs, outputs: r.outputs })),
    );
  let current = [admin, boss, ...staff, ada, carol];

  /** preview and up both refuse; the output of the up; nothing sent; state unchanged. */
  async function refused(people: Entry[]): Promise<string> {
    f.writeUsers(file(people));
    const before = await snapshot();
    clearLogs();
    let output = "";
    for (const result of [await f.stack.preview(), await f.stack.up()]) {
      expect(result.code).not.toBe(0);
      output = `${result.stdout}${result.stderr}`;
    }
    expect(mutations()).toEqual([]);
    expect(await snapshot()).toBe(before);
    return output;
  }

  beforeAll(async () => {
    // Removals delete (the support's mode), so "every membership" is visible on the platforms.
    f = await platformsStack("expiry", { seed });
    clock("2027-03-30T12:00:00Z");
    f.writeUsers(file(current));
    expectOk(await f.stack.up(), "pulumi up");
  }, 180_000);
  afterAll(async () => f?.dispose());

  it("a grant expiring today is removed by the next up, not before — and the report says it is coming, then that it expired", async () => {
    clock("2027-03-30T23:59:59Z");
    const { result, digest, data } = await previewWithProgramData(f.stack);
    expectOk(result, "pulumi preview --json the day before");
    const soon = renderText(buildReport(digest, { extras: data.report }));
    expect(soon).toContain("rollcall: no access changes");
    expect(soon).toContain(
      "Access expiring within 14 days (rollcall removes it on that date):\n  - ada: Anypoint business group 'Engineering', expires 2027-03-31\n  - ada: Control Room role 'Bot Runner', expires 2027-03-31\n  - carol: all access, expires 2027-03-31\n",
    );
    expect(result.stdout + result.stderr).toContain("ROLLCALL_TEST_NOW=2027-03-30T23:59:59Z: the clock is set for a test");
    clearLogs();
    expectOk(await f.stack.up(["--expect-no-changes"]), "pulumi up the day before");
    expect(mutations()).toEqual([]);
    expect(crRoles("ada")).toEqual(["AAE_Basic", "Bot Runner"]);

    clock("2027-03-31T00:00:00Z");
    const on = await previewWithProgramData(f.stack);
    expectOk(on.result, "pulumi preview --json on the date");
    expect(renderText(buildReport(on.digest, { extras: on.data.report }))).toContain(
      "!! ACCESS WILL BE REMOVED for 1 person:\n  - carol: Anypoint user carol.acme (expired 2027-03-31), Control Room user carol (expired 2027-03-31)\n\n!! Reduced for 1 person:\n  - ada: Anypoint Engineering (expired 2027-03-31): −API Creator (leaves the business group); Control Room −Bot Runner (expired 2027-03-31)\n",
    );
    clearLogs();
    expectOk(await f.stack.up(), "pulumi up on the date");
    expect(crRoles("ada")).toEqual(["AAE_Basic"]);
    expect(groupsOf("ada.acme")).toEqual(["Sales"]);
  });

  it("a person expiring loses every membership, through the stack's offboarding (delete here)", () => {
    const deletes = mutations()
      .filter((r) => r.method === "DELETE")
      .map((r) => `${r.method} ${r.path}`);
    expect(f.sim.findUser("carol")).toBeUndefined();
    expect(f.anypoint.state.findUser("carol.acme")).toBeUndefined();
    expect(groupsOf("carol.acme")).toEqual([]);
    expect(deletes.length).toBeGreaterThanOrEqual(2);
  });

  it("users.yaml pruned of the expired entries changes nothing", async () => {
    const { text, removed } = pruneExpired(file(current), D);
    expect(removed.map((r) => `${r.person}:${r.grant}`)).toEqual(["ada:role", "ada:businessGroup", "carol:person"]);
    f.writeUsers(text);
    clearLogs();
    expectOk(await f.stack.up(["--expect-no-changes"]), "pulumi up of the pruned file");
    expect(mutations()).toEqual([]);
    current = [admin, boss, ...staff, person("ada", {}, ["AAE_Basic"], { Sales: { roles: ["Exchange Viewer"] } })];
  });

  it("an expired protected person fails closed exactly like removing them", async () => {
    const removedOutput = await refused(current.filter((p) => p.key !== "boss"));
    const expiredOutput = await refused(current.map((p) => (p.key === "boss" ? { ...p, expires: D } : p)));
    const refusal = (out: string) => /boss \(protected: true\) would lose [^\n]*/.exec(out)?.[0];
    expect(refusal(removedOutput)).toMatch(
      /^boss \(protected: true\) would lose their Control Room user 'boss', their Anypoint user 'boss\.acme'/,
    );
    expect(refusal(expiredOutput)).toBe(refusal(removedOutput));
  });

  it("a mass expiry trips the removal limits", async () => {
    const output = await refused(
      current.map((p) =>
        ["s1", "s2", "s3", "s4"].includes(p.key)
          ? {
              ...p,
              anypoint: {
                username: `${p.key}.acme`,
                businessGroups: {
                  Sales: { roles: ["Exchange Viewer"], expires: "2027-03-01" },
                  Engineering: { roles: ["Exchange Viewer"] },
                },
              },
            }
          : p,
      ),
    );
    // 4 of the 8 in Sales (boss, s1–s6, ada) after the tests before; 4 of 9 (carol too) when run alone.
    expect(output).toMatch(
      /Anypoint business group 'Sales': 4 of [89] \((50|44)%\) would lose it — limit 10 or 25% \(rollcall:removalLimits\.businessGroupAccess\): s1, s2, s3, s4/,
    );
  });
});
