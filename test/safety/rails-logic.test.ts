// The rails' decisions on rosters, without the engine (the engine-level proofs are in
// test/e2e/rails.test.ts): which level is over its limit, who is protected, what offboarding does.
import { describe, expect, it } from "vitest";
import { parseUsersYaml } from "../../src/core/model/load";
import { fromOutputs, LastDeploymentError } from "../../src/features/safety/last-deployment";
import { planOffboarding } from "../../src/features/safety/offboarding";
import { planRails } from "../../src/features/safety/rails";
import { protectedIdentityProblems } from "../../src/features/safety/protected";
import {
  DEFAULT_LIMITS,
  levelLosses,
  overLimit,
  percentOf,
  readRemovalLimits,
  removalLimitError,
} from "../../src/features/safety/removal-limits";
import { usersYaml, type TestPerson } from "../support/stack";

const sales = (key: string, extra: Partial<TestPerson> = {}): TestPerson => ({
  key,
  controlRoom: {},
  anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] }, Engineering: { roles: ["Exchange Viewer"] } } },
  ...extra,
});
const model = (people: TestPerson[]) => parseUsersYaml(usersYaml(people), "users.yaml");
const team = Array.from({ length: 40 }, (_, i) => sales(`p${i}`));
const rosterOf = (
  people: TestPerson[],
  mode: "delete" | "disable" | "unmanage" = "delete",
  previous?: ReturnType<typeof planOffboarding>["roster"],
) => planOffboarding(model(people), previous, mode);

describe("removal limits", () => {
  const before = rosterOf(team).roster;

  it("catch 40 people stripped of one business group although no user is deleted", () => {
    const after = rosterOf(
      team.map((p) => ({ ...p, anypoint: { businessGroups: { Engineering: { roles: ["Exchange Viewer"] } } } })),
      "delete",
      before,
    );
    const over = overLimit(levelLosses(before, after.roster, after.actions), DEFAULT_LIMITS);
    expect(over.map((l) => [l.where, l.who.length, l.total])).toEqual([["Anypoint business group 'Sales'", 40, 40]]);
  });

  it("apply the percentage only from PERCENT_FLOOR removals, and the override's count alone", () => {
    const small = rosterOf(team.slice(0, 4)).roster;
    const two = rosterOf(team.slice(0, 2), "delete", small);
    expect(overLimit(levelLosses(small, two.roster, two.actions), DEFAULT_LIMITS)).toEqual([]);
    const one = rosterOf(team.slice(0, 1), "delete", small);
    const losses = levelLosses(small, one.roster, one.actions);
    expect(overLimit(losses, DEFAULT_LIMITS).map((l) => l.where)).toEqual(["Control Room users", "Anypoint users"]);
    expect(overLimit(losses, DEFAULT_LIMITS, 3)).toEqual([]);
    expect(overLimit(losses, DEFAULT_LIMITS, 2).length).toBe(2);
  });

  it("show the share with one decimal where a whole percent would hide why it was refused", () => {
    const of = (n: number, total: number) => ({ who: Array(n).fill("x"), total });
    expect([
      percentOf(of(3, 29), 10),
      percentOf(of(1, 10), 10),
      percentOf(of(51, 550), 10),
      percentOf(of(29, 290), 10),
      percentOf(of(19, 199), 10),
    ]).toEqual(["10.3%", "10%", "9%", "10%", "9.5%"]);
    const over = [{ level: "controlRoomUsers" as const, where: "Control Room users", who: ["a", "b", "c"], total: 29 }];
    expect(
      removalLimitError(over, { ...DEFAULT_LIMITS, controlRoomUsers: { count: 2, percent: 10 } }, undefined, "ROLLCALL_MAX_REMOVALS"),
    ).toContain("Control Room users: 3 of 29 (10.3%) would lose it — limit 2 or 10%");
  });

  it("count disabled users as losing access, and unmanaged ones not", () => {
    const disabled = rosterOf(team.slice(5), "disable", before);
    expect(levelLosses(before, disabled.roster, disabled.actions).find((l) => l.where === "Control Room users")!.who).toContain(
      "p0 'p0' (disabled)",
    );
    const unmanaged = rosterOf(team.slice(5), "unmanage", before);
    expect(levelLosses(before, unmanaged.roster, unmanaged.actions)).toEqual([]);
  });

  it("read from stack config, with rollcall:maxRemovals as the user-level count, and reject nonsense", () => {
    const limits = readRemovalLimits('{"businessGroupAccess":{"count":"50"},"roles":{"percent":5}}', "7");
    expect(limits).toMatchObject({
      businessGroupAccess: { count: 50, percent: 25 },
      roles: { count: 10, percent: 5 },
      controlRoomUsers: { count: 7 },
      anypointUsers: { count: 7 },
    });
    expect(readRemovalLimits('{"groups":{}}', undefined)).toMatch(/no level 'groups'/);
    expect(readRemovalLimits('{"roles":{"count":-1}}', undefined)).toMatch(/rollcall:removalLimits\.roles\.count/);
    expect(readRemovalLimits(undefined, "many")).toMatch(/rollcall:maxRemovals must be a whole number/);
  });
});

describe("protected identities", () => {
  const people = [sales("boss", { protected: true }), sales("bot"), sales("root", { controlRoom: { roles: ["AAE_Admin"] } })];
  const before = rosterOf(people).roster;
  const check = (after: TestPerson[], mode: "delete" | "disable" = "delete") => {
    const plan = rosterOf(after, mode, before);
    return protectedIdentityProblems(before, plan.roster, { controlRoom: "bot", anypointMaster: "Acme Corp" }, new Set());
  };

  it("refuse removing, disabling or stripping a protected person or the login account, naming them", () => {
    expect(check(people.filter((p) => p.key !== "boss"))).toEqual([
      expect.stringMatching(/^boss \(protected: true\) would lose their Control Room user 'boss', their Anypoint user 'boss.acme'/),
    ]);
    expect(
      check(
        people.filter((p) => p.key !== "bot"),
        "disable",
      ),
    ).toEqual([
      expect.stringMatching(
        /^bot \(rollcall signs in to Control Room as 'bot'\) would lose Control Room sign-in \(disabled\), Anypoint sign-in \(disabled\)/,
      ),
    ]);
    expect(
      check(
        people.map((p) =>
          p.key === "boss" ? { ...p, protected: false, anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } } : p,
        ),
      ),
    ).toEqual([expect.stringMatching(/^boss \(protected: true\) would lose Anypoint business group 'Engineering'/)]);
  });

  it("refuse leaving the Control Room admin role with nobody enabled", () => {
    expect(check(people.map((p) => (p.key === "root" ? { ...p, controlRoom: { roles: ["AAE_Basic"] } } : p)))).toEqual([
      expect.stringMatching(/leaves the Control Room admin role 'AAE_Admin' with no enabled holder in users.yaml \(it was held by root\)/),
    ]);
  });
});

describe("offboarding", () => {
  const before = rosterOf([sales("ada"), sales("bob")], "delete").roster;

  it("disable re-declares the person from the roster, disabled, keeping their access", () => {
    const plan = rosterOf([sales("bob")], "disable", before);
    const ada = plan.model.people.find((p) => p.key === "ada")!;
    expect(ada.controlRoom!.disabled).toBe(true);
    expect(ada.anypoint).toMatchObject({ disabled: true, businessGroups: { Sales: { roles: ["Exchange Viewer"] } } });
    expect(plan.actions.map((a) => `${a.person} ${a.platform} ${a.mode}`)).toEqual(["ada Control Room disable", "ada Anypoint disable"]);
    expect(plan.roster.ada!.offboarded).toBe("disable");
  });

  it("offboard: disable on someone never deployed declares nothing (no user created only to be disabled)", () => {
    const plan = rosterOf([sales("bob"), sales("eve", { offboard: "disable" })], "delete", before);
    expect(plan.model.people.map((p) => p.key)).toEqual(["bob"]);
    expect(plan.actions.filter((a) => a.person === "eve")).toEqual([]);
  });

  it("unmanage marks retainOnDelete first, then forgets the person; delete just drops them", () => {
    const first = rosterOf([sales("bob"), sales("ada", { offboard: "unmanage" })], "delete", before);
    expect([...first.retained].sort()).toEqual(["ada:anypoint", "ada:controlRoom"]);
    const second = rosterOf([sales("bob"), sales("ada", { offboard: "unmanage" })], "delete", first.roster);
    expect(second.model.people.map((p) => p.key)).toEqual(["bob"]);
    expect(second.actions.map((a) => a.effect)).toEqual([
      "dropped from the state; no call to the platform",
      "dropped from the state; no call to the platform",
    ]);
    expect(rosterOf([sales("bob")], "delete", before).model.people.map((p) => p.key)).toEqual(["bob"]);
  });
});

describe("the last deployment", () => {
  it("is nothing on a first deployment, a legacy roster for old outputs, and an error for foreign ones", () => {
    expect(fromOutputs({})).toBeUndefined();
    expect(fromOutputs({ controlRoom: ["ada"], anypoint: [] })!.legacy).toBe(true);
    expect(() => fromOutputs({ url: "x" })).toThrow(LastDeploymentError);
  });
});

describe("a deployment from before the roster", () => {
  const legacy = fromOutputs({ controlRoom: ["ada", "bob"], anypoint: [] })!;
  const config = (mode: string) => (key: string) => (key === "rollcall:offboarding" ? mode : undefined);
  it("refuses to remove anyone unless removals are deletes, since nobody can be re-declared disabled", () => {
    expect(() => planRails(model([sales("bob", { anypoint: undefined })]), legacy, config("disable"))).toThrow(
      /predates rollcall's roster output, so rollcall cannot disable the users this change removes \(controlRoom:ada 'ada' \(deleted\)\)/,
    );
    expect(planRails(model([sales("bob", { anypoint: undefined })]), legacy, config("delete")).model.people.map((p) => p.key)).toEqual([
      "bob",
    ]);
    expect(
      planRails(model([sales("ada", { anypoint: undefined }), sales("bob", { anypoint: undefined })]), legacy, config("disable")).actions,
    ).toEqual([]);
  });
});
