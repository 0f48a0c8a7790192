// The report by exact output: from preview JSON captured from the real engine
// (test/fixtures/preview, see engine-fixtures.test.ts), and a truncation case with thousands of people.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { PreviewDigest, PreviewStep } from "../../src/pulumi/engine/pulumi-cli";
import { BANNER_CAP, GITHUB_COMMENT_LIMIT, renderMarkdown, renderText } from "../../src/features/report/render";
import { buildReport } from "../../src/features/report/report";

const fixture = (name: string) =>
  JSON.parse(readFileSync(path.resolve(__dirname, `../fixtures/preview/${name}.json`), "utf8")) as PreviewDigest;
const CR = "pulumi-nodejs:dynamic/rollcall:ControlRoomUser";
const urn = (t: string, n: string) => `urn:pulumi:production::rollcall::${t}::${n}`;

describe("the report of a real preview", () => {
  it("markdown: removals first, the table per platform and business group, set changes per person", () => {
    expect(renderMarkdown(buildReport(fixture("mixed"), { stack: "production" }))).toMatchSnapshot();
  });
  it("text for a terminal says the same without markup", () => {
    expect(renderText(buildReport(fixture("mixed"), { stack: "production" }))).toMatchSnapshot();
  });
  it("nothing to do", () => {
    expect(renderText(buildReport(fixture("unchanged")))).toBe("rollcall: no access changes\n");
  });
  it("never shows the provider text or credentials", () => {
    // The captured preview holds no credential: put some in every step's inputs, changed between old and new, so showing them would show.
    const digest = fixture("mixed");
    const secrets = (n: string) => ({ password: `pw-${n}-7c1e`, apiKey: `key-${n}-9d2a`, clientSecret: `cs-${n}-3f8b` });
    for (const step of digest.steps ?? []) {
      if (step.oldState?.inputs) Object.assign(step.oldState.inputs, secrets("old"));
      if (step.newState?.inputs) Object.assign(step.newState.inputs, secrets("new"));
    }
    const raw = JSON.stringify(digest);
    const md = renderMarkdown(buildReport(digest));
    expect(raw).toContain("__provider");
    expect(md).not.toContain("__provider");
    for (const value of [...Object.values(secrets("old")), ...Object.values(secrets("new"))]) {
      expect(raw).toContain(value);
      expect(md).not.toContain(value);
    }
    expect(md).not.toMatch(/clientSecret|apiKey|password/i);
  });
});

describe("extras other parts of rollcall export, and the folded Anypoint model", () => {
  it("adopted, soft removals, guards, undeclared people and per-group access on one AnypointUser", () => {
    const AU = "pulumi-nodejs:dynamic/rollcall:AnypointUser";
    const steps: PreviewStep[] = [
      {
        op: "create",
        urn: urn(AU, "mary"),
        newState: {
          type: AU,
          inputs: { username: "mary.acme", enabled: true, businessGroups: { Sales: { roles: ["Exchange Viewer"], teams: [] } } },
        },
      },
      {
        op: "update",
        urn: urn(AU, "grace"),
        oldState: {
          type: AU,
          inputs: {
            username: "grace.acme",
            enabled: true,
            businessGroups: {
              Sales: { roles: ["Exchange Contributor"], teams: ["Approvers"] },
              Engineering: { roles: ["API Creator"], teams: [] },
            },
          },
        },
        newState: {
          type: AU,
          inputs: {
            username: "grace.acme",
            enabled: true,
            businessGroups: { Sales: { roles: ["Exchange Viewer"], teams: ["Approvers"] } },
          },
        },
      },
      {
        op: "delete",
        urn: urn(CR, "alan"),
        oldState: { type: CR, inputs: { username: "alan.turing", roles: ["Bot Runner"], licenseFeatures: [] } },
      },
    ];
    const report = buildReport(
      { steps },
      {
        extras: {
          adopted: ["mary"],
          removals: [{ person: "alan", platform: "Control Room", action: "disable" }],
          guards: [{ name: "maxRemovals", used: 9, limit: 10 }],
          undeclared: [{ platform: "Control Room", username: "eve" }],
          emptyDuties: ["Control Room role Bot Runner"],
        },
      },
    );
    expect(renderText(report)).toBe(
      [
        "rollcall: access changes for 3 people",
        "",
        "!! ACCESS WILL BE REMOVED for 1 person:",
        "  - alan: Control Room user alan.turing (disable)",
        "",
        "!! Reduced for 1 person:",
        "  - grace: Anypoint Engineering: −API Creator (leaves the business group); Anypoint Sales: Exchange Contributor → Exchange Viewer",
        "",
        "Where                   added adopted removed reduced changed",
        "Anypoint                    0       1       0       0       0",
        "Anypoint · Engineering      0       0       1       0       0",
        "Anypoint · Sales            0       1       0       1       0",
        "Control Room                0       0       1       0       0",
        "",
        "Warnings:",
        "  - guard maxRemovals: 9 of at most 10 — near the limit",
        "  - Control Room role Bot Runner would be left with nobody",
        "  - Control Room user eve is on the platform but not in users.yaml",
        "",
        "alan",
        "  Control Room alan.turing: removed (roles: −Bot Runner)",
        "grace",
        "  Anypoint grace.acme · Engineering: removed (roles: −API Creator)",
        "  Anypoint grace.acme · Sales: changed (roles: −Exchange Contributor, +Exchange Viewer)",
        "mary",
        "  Anypoint mary.acme: adopted",
        "  Anypoint mary.acme · Sales: adopted (roles: +Exchange Viewer)",
        "",
      ].join("\n"),
    );
  });
});

describe("under GitHub's comment limit", () => {
  const steps: PreviewStep[] = [];
  for (let i = 0; i < 4000; i++) {
    const name = `person${String(i).padStart(4, "0")}`;
    steps.push(
      i % 10 === 0
        ? {
            op: "delete",
            urn: urn(CR, name),
            oldState: { type: CR, inputs: { username: name, roles: ["Bot Runner"], licenseFeatures: [] } },
          }
        : {
            op: "update",
            urn: urn(CR, name),
            oldState: { type: CR, inputs: { username: name, roles: ["Bot Runner"], licenseFeatures: [] } },
            newState: { type: CR, inputs: { username: name, roles: ["AAE_Basic", "Bot Runner"], licenseFeatures: ["RUNTIME"] } },
          },
    );
  }
  const md = renderMarkdown(buildReport({ steps }, { stack: "production" }));

  it("stays under the limit and keeps the marker, the summary and every removal", () => {
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md.startsWith("<!-- rollcall:report stack=production -->\n## rollcall on production: access changes for 4000 people\n")).toBe(
      true,
    );
    expect(md).toContain("> **Access will be REMOVED** for 400 people:");
    // The banner names the first BANNER_CAP; the rest are counted, in the job summary (test/report/comment.test.ts).
    for (let i = 0; i < BANNER_CAP * 10; i += 10)
      expect(md).toContain(`> - **person${String(i).padStart(4, "0")}**: Control Room user \`person${String(i).padStart(4, "0")}\``);
    expect(md).toContain(`> - …and ${400 - BANNER_CAP} more, full list in`);
    expect(md).toContain("| Control Room | 0 | 0 | 400 | 0 | 3600 |");
  });

  it("says how much was cut", () => {
    const kept = md.split("\n").filter((l) => l.startsWith("- **person")).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(4000);
    expect(md).toContain(`_… ${4000 - kept} more people's details (of 4000) cut to stay under GitHub's 65,536-character comment limit;`);
  });
});
