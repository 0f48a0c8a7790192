// The outputs a workflow decides from, by exact value: counts, label, $GITHUB_OUTPUT lines, exit codes.
import { describe, expect, it } from "vitest";
import type { PreviewStep } from "../../src/pulumi/engine/pulumi-cli";
import { detailedExitCode, githubOutput, outcome } from "../../src/features/report/outcome";
import { buildReport } from "../../src/features/report/report";

const CR = "pulumi-nodejs:dynamic/rollcall:ControlRoomUser";
const AU = "pulumi-nodejs:dynamic/rollcall:AnypointUser";
const urn = (t: string, n: string) => `urn:pulumi:production::rollcall::${t}::${n}`;
const cr = (name: string, roles: string[], licenseFeatures: string[] = []) => ({
  type: CR,
  inputs: { username: name, roles, licenseFeatures },
});
const au = (name: string, businessGroups: Record<string, { roles: string[]; teams: string[] }>) => ({
  type: AU,
  inputs: { username: `${name}.acme`, enabled: true, businessGroups },
});

const report = (steps: PreviewStep[]) => buildReport({ steps });

describe("outcome", () => {
  it("nothing to do: no-access-change, exit 0", () => {
    const o = outcome(report([]), false);
    expect(githubOutput(o)).toBe("removed=0\nreduced=0\nchanged=0\nrefused=false\nlabel=no-access-change\n");
    expect(detailedExitCode(o, false)).toBe(0);
  });

  it("only gains: access-change, exit 2", () => {
    const o = outcome(
      report([
        { op: "create", urn: urn(CR, "mary"), newState: cr("mary", ["Bot Runner"]) },
        { op: "update", urn: urn(CR, "ada"), oldState: cr("ada", ["A"]), newState: cr("ada", ["A", "B"]) },
      ]),
      false,
    );
    expect(githubOutput(o)).toBe("removed=0\nreduced=0\nchanged=2\nrefused=false\nlabel=access-change\n");
    expect(detailedExitCode(o, false)).toBe(2);
  });

  it("a lost role, a lost license, a downgrade or a lost business group is reduced access: access-removal", () => {
    const steps: PreviewStep[] = [
      {
        op: "update",
        urn: urn(CR, "grace"),
        oldState: cr("grace", ["AAE_Bot Developer", "Bot Runner"], ["DEVELOPMENT"]),
        newState: cr("grace", ["Bot Runner"]),
      },
      {
        op: "update",
        urn: urn(AU, "ada"),
        oldState: au("ada", { Sales: { roles: ["Exchange Contributor"], teams: [] } }),
        newState: au("ada", { Sales: { roles: ["Exchange Viewer"], teams: [] } }),
      },
      {
        op: "update",
        urn: urn(AU, "kat"),
        oldState: au("kat", {
          Sales: { roles: ["Exchange Viewer"], teams: ["Approvers"] },
          Engineering: { roles: ["API Creator"], teams: [] },
        }),
        newState: au("kat", { Sales: { roles: ["Exchange Viewer"], teams: [] } }),
      },
    ];
    const r = report(steps);
    expect(r.reductions).toEqual([
      { person: "ada", where: ["Anypoint Sales: Exchange Contributor → Exchange Viewer"] },
      { person: "grace", where: ["Control Room −AAE_Bot Developer, −DEVELOPMENT"] },
      { person: "kat", where: ["Anypoint Engineering: −API Creator (leaves the business group)", "Anypoint Sales: −team Approvers"] },
    ]);
    expect(r.removals).toEqual([]);
    const o = outcome(r, false);
    expect(githubOutput(o)).toBe("removed=0\nreduced=3\nchanged=3\nrefused=false\nlabel=access-removal\n");
    expect(detailedExitCode(o, false)).toBe(2);
  });

  it("a removed user counts as removed, not also as reduced on the same platform", () => {
    const r = report([
      { op: "delete", urn: urn(CR, "alan"), oldState: cr("alan", ["Bot Runner"]) },
      { op: "delete", urn: urn(AU, "alan"), oldState: au("alan", { Sales: { roles: ["Exchange Viewer"], teams: [] } }) },
    ]);
    expect(githubOutput(outcome(r, false))).toBe("removed=1\nreduced=0\nchanged=1\nrefused=false\nlabel=access-removal\n");
  });

  it("refused by a guard: exit 3, whatever the engine said; other failures exit 1", () => {
    const r = report([{ op: "delete", urn: urn(CR, "alan"), oldState: cr("alan", ["Bot Runner"]) }]);
    expect(detailedExitCode(outcome(r, true), true)).toBe(3);
    expect(githubOutput(outcome(r, true))).toContain("refused=true\n");
    expect(githubOutput(outcome(report([]), true))).toBe("removed=0\nreduced=0\nchanged=0\nrefused=true\nlabel=access-removal\n");
    expect(detailedExitCode(outcome(r, false), true)).toBe(1);
  });
});
