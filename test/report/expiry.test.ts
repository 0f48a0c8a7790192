// Expiry in the report, by exact output: expired access is its own kind of removal ("expired
// 2027-03-31"), and access ending within rollcall:expiryWarningDays is listed per person and grant.
import { describe, expect, it } from "vitest";
import type { PreviewStep } from "../../src/pulumi/engine/pulumi-cli";
import { renderMarkdown, renderText } from "../../src/features/report/render";
import { buildReport, type ReportExtras } from "../../src/features/report/report";

const CR = "pulumi-nodejs:dynamic/rollcall:ControlRoomUser";
const AU = "pulumi-nodejs:dynamic/rollcall:AnypointUser";
const urn = (t: string, n: string) => `urn:pulumi:production::rollcall::${t}::${n}`;

const steps: PreviewStep[] = [
  // ada's role ended: the user stays, with one role fewer.
  {
    op: "update",
    urn: urn(CR, "ada"),
    oldState: { type: CR, inputs: { username: "ada", roles: ["AAE_Basic", "Bot Runner"], licenseFeatures: [] } },
    newState: { type: CR, inputs: { username: "ada", roles: ["AAE_Basic"], licenseFeatures: [] } },
  },
  // ada's business group ended.
  {
    op: "update",
    urn: urn(AU, "ada"),
    oldState: {
      type: AU,
      inputs: {
        username: "ada.acme",
        enabled: true,
        businessGroups: { Sales: { roles: ["Exchange Viewer"], teams: [] }, Engineering: { roles: ["API Creator"], teams: [] } },
      },
    },
    newState: {
      type: AU,
      inputs: { username: "ada.acme", enabled: true, businessGroups: { Engineering: { roles: ["API Creator"], teams: [] } } },
    },
  },
  // carol expired: disabled (the default offboarding) on Control Room, deleted on Anypoint.
  {
    op: "update",
    urn: urn(CR, "carol"),
    oldState: { type: CR, inputs: { username: "carol", roles: ["AAE_Basic"], licenseFeatures: [], disabled: false } },
    newState: { type: CR, inputs: { username: "carol", roles: ["AAE_Basic"], licenseFeatures: [], disabled: true } },
  },
  {
    op: "delete",
    urn: urn(AU, "carol"),
    oldState: {
      type: AU,
      inputs: { username: "carol.acme", enabled: true, businessGroups: { Sales: { roles: ["Exchange Viewer"], teams: [] } } },
    },
  },
];
const extras: ReportExtras = {
  removals: [
    { person: "carol", platform: "Control Room", action: "disable", username: "carol" },
    { person: "carol", platform: "Anypoint", action: "delete", username: "carol.acme" },
  ],
  expired: [
    { person: "ada", grant: "role", platform: "Control Room", name: "Bot Runner", expires: "2027-03-31" },
    { person: "ada", grant: "businessGroup", platform: "Anypoint", name: "Sales", expires: "2027-03-31" },
    { person: "carol", grant: "person", expires: "2027-03-30" },
  ],
  expiring: [
    { person: "grace", grant: "Control Room license 'DEVELOPMENT'", expires: "2027-04-12" },
    { person: "dave", grant: "all access", expires: "2027-04-01" },
  ],
  expiringWithinDays: 14,
};

describe("expiry in the report", () => {
  it("text: expired access among the removals and reductions, with its date; what ends soon, by date", () => {
    expect(renderText(buildReport({ steps }, { extras }))).toBe(
      [
        "rollcall: access changes for 2 people",
        "",
        "!! ACCESS WILL BE REMOVED for 1 person:",
        "  - carol: Anypoint user carol.acme (expired 2027-03-30), Control Room user carol (disable; expired 2027-03-30)",
        "",
        "!! Reduced for 1 person:",
        "  - ada: Anypoint Sales (expired 2027-03-31): −Exchange Viewer (leaves the business group); Control Room −Bot Runner (expired 2027-03-31)",
        "",
        "Where             added adopted removed reduced changed",
        "Anypoint              0       0       1       0       0",
        "Anypoint · Sales      0       0       2       0       0",
        "Control Room          0       0       0       1       1",
        "",
        "Access expiring within 14 days (rollcall removes it on that date):",
        "  - dave: all access, expires 2027-04-01",
        "  - grace: Control Room license 'DEVELOPMENT', expires 2027-04-12",
        "",
        "ada",
        "  Anypoint ada.acme · Sales: removed (roles: −Exchange Viewer)",
        "  Control Room ada: changed (roles: −Bot Runner)",
        "carol",
        "  Anypoint carol.acme: removed",
        "  Anypoint carol.acme · Sales: removed (roles: −Exchange Viewer)",
        "  Control Room carol: changed (disabled: false → true)",
        "",
      ].join("\n"),
    );
  });

  it("markdown: the same, and the expiring list even when nothing changes (the nightly summary)", () => {
    const md = renderMarkdown(
      buildReport({ steps: [] }, { stack: "production", extras: { expiring: extras.expiring, expiringWithinDays: 14 } }),
    );
    expect(md).toBe(
      [
        "<!-- rollcall:report stack=production -->",
        "## rollcall on production: no access changes",
        "",
        "> [!NOTE]",
        "> **Access expiring within 14 days** — rollcall removes it on that date:",
        "> - **dave**: all access, expires 2027-04-01",
        "> - **grace**: Control Room license 'DEVELOPMENT', expires 2027-04-12",
        "",
        "",
        "<sub>rollcall · stack `production` · 0 resources unchanged</sub>",
        "",
      ].join("\n"),
    );
  });
});
