// Partial failure through the real engine: `rollcall up` (src/features/apply/up.ts, the documented command)
// applies every change that can be applied when one person fails, then names who failed and why,
// exiting non-zero.
import { afterAll, describe, expect, it } from "vitest";
import { runUp } from "../../src/features/apply/up";
import { platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

describe("rollcall up with one failing person", () => {
  let f: AnypointStackFixture;
  afterAll(async () => f?.dispose());

  it("applies the other 7 people, ends non-zero and names the failure", async () => {
    f = await platformsStack("partial", { seed: { users: [{ username: "carol.acme", email: "carol.old@example.com" }] } });
    // A username once used on Anypoint is never reusable: creating carol.acme again answers 409.
    f.anypoint.state.deleteUser(f.anypoint.state.findUser("carol.acme")!.id);
    const grant = { businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } };
    const others: TestPerson[] = ["ada", "bea", "cy", "dan", "eve", "fay", "gus"].map((key) => ({ key, anypoint: grant }));
    // carol first and --parallel 1: without --continue-on-error the engine would stop at her and leave the 7 others unapplied.
    f.writeUsers(usersYaml([{ key: "carol", anypoint: grant }, ...others]));
    const { code, outcome, report } = await runUp(f.stack, ["--parallel", "1"]);
    expect(code).not.toBe(0);
    for (const p of others) expect(f.anypoint.state.findUser(`${p.key}.acme`), p.key).toBeDefined();
    expect(
      outcome.applied
        .filter((c) => c.what === "Anypoint user" && c.op === "create")
        .map((c) => c.person)
        .sort(),
    ).toEqual(others.map((p) => p.key));
    expect(outcome.failed).toEqual([expect.objectContaining({ person: "carol", what: "Anypoint user", op: "create" })]);
    expect(report).toMatch(/FAILED {2}carol: Anypoint user create: .*HTTP 409.*The username 'carol\.acme' is taken/);
    expect(report).not.toMatch(/for example 'carol\.acme2'/);
  });
});
