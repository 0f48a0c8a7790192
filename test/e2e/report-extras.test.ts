// The pull-request report tells what the engine's preview alone cannot: who is adopted rather than
// created, who is on the platform but not in users.yaml, and that a soft offboarding (disable) takes
// access away although the engine sees an update. The program writes these to its data file
// (src/features/report/extras.ts, src/features/report/program-data.ts); this drives the real engine and renders the report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewWithProgramData } from "../../src/features/report/command";
import { buildReport } from "../../src/features/report/report";
import { renderMarkdown } from "../../src/features/report/render";
import { controlRoomStack, expectOk, usersYaml, type ControlRoomStackFixture } from "../support/stack";

describe("report extras from the program, through the real engine", () => {
  let f: ControlRoomStackFixture;
  beforeAll(async () => {
    // One Control Room user may go per run here, so removing one is at the limit: the report warns.
    f = await controlRoomStack("reportextras", undefined, {
      ROLLCALL_OFFBOARDING: "disable",
      ROLLCALL_REMOVAL_LIMITS: JSON.stringify({ controlRoomUsers: { count: 1 } }),
    });
    f.sim.addUser({ username: "bob", email: "bob@example.com", roles: ["AAE_Basic"] });
    f.sim.addUser({ username: "zed", email: "zed@example.com", roles: ["AAE_Basic"] });
  });
  afterAll(async () => f?.dispose());

  it("says adopted for an existing user, created for a new one, and lists the undeclared", async () => {
    f.writeUsers(
      usersYaml([
        { key: "ada", controlRoom: {} },
        { key: "bob", controlRoom: {} },
      ]),
    );
    const { result, digest, data } = await previewWithProgramData(f.stack);
    expectOk(result, "preview");
    const report = buildReport(digest, { extras: data.report });
    expect(report.changes.map((c) => [c.person, c.op])).toEqual([
      ["ada", "added"],
      ["bob", "adopted"],
    ]);
    expect(report.undeclared).toEqual([{ platform: "Control Room", username: "zed" }]);
  });

  it("lists a person being disabled under Access will be REMOVED, and warns that the removal limit is near", async () => {
    expectOk(await f.stack.up(), "up");
    f.writeUsers(usersYaml([{ key: "bob", controlRoom: {} }]));
    const { result, digest, data } = await previewWithProgramData(f.stack);
    expectOk(result, "preview");
    const report = buildReport(digest, { extras: data.report });
    expect(report.removals).toEqual([{ person: "ada", where: ["Control Room user `ada` (disable)"] }]);
    expect(report.warnings).toContain(
      "guard Control Room users (rollcall:removalLimits.controlRoomUsers): 1 of at most 1 — near the limit",
    );
    expect(renderMarkdown(report)).toContain("Access will be REMOVED");
  });
});
