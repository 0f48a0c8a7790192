// The pull-request comment at any size, by exact output where small: the budget the sticky-comment
// action's header leaves, the capped banner and the job summary that names everyone, the fold
// above ten people, the footer and the stale marker.
import { describe, expect, it } from "vitest";
import type { PreviewStep } from "../../src/pulumi/engine/pulumi-cli";
import { fullReport, SUMMARY_LIMIT_BYTES } from "../../src/features/report/command";
import { commentBudget, defaultHeader, footerFromEnv, staleComment } from "../../src/features/report/comment";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../src/features/report/render";
import { buildReport } from "../../src/features/report/report";
import { postedByStickyComment } from "../fixtures/sticky-comment";

const CR = "pulumi-nodejs:dynamic/rollcall:ControlRoomUser";
const AU = "pulumi-nodejs:dynamic/rollcall:AnypointUser";
const urn = (t: string, n: string) => `urn:pulumi:production::rollcall::${t}::${n}`;
const key = (i: number) => `person${String(i).padStart(4, "0")}`;
const footer = { version: "0.1.0", commit: "0123456789abcdef0123", runUrl: "https://github.com/acme/people/actions/runs/42" };

/** 5,000 people on both platforms: 1,000 leave (guard overridden), 500 lose a role, 500 are downgraded in a business group, the rest unchanged. */
function bigPreview(): PreviewStep[] {
  const steps: PreviewStep[] = [];
  for (let i = 0; i < 5000; i++) {
    const name = key(i);
    const crUser = (roles: string[]) => ({ type: CR, inputs: { username: name, roles, licenseFeatures: ["RUNTIME"] } });
    const auUser = (roles: string[]) => ({
      type: AU,
      inputs: { username: `${name}.acme`, enabled: true, businessGroups: { Sales: { roles, teams: ["Approvers"] } } },
    });
    if (i < 1000) {
      steps.push(
        { op: "delete", urn: urn(CR, name), oldState: crUser(["Bot Runner"]) },
        { op: "delete", urn: urn(AU, name), oldState: auUser(["Exchange Viewer"]) },
      );
    } else if (i < 1500) {
      steps.push({
        op: "update",
        urn: urn(CR, name),
        oldState: crUser(["AAE_Bot Developer", "Bot Runner"]),
        newState: crUser(["Bot Runner"]),
      });
    } else if (i < 2000) {
      steps.push({ op: "update", urn: urn(AU, name), oldState: auUser(["Exchange Contributor"]), newState: auUser(["Exchange Viewer"]) });
    } else {
      steps.push({ op: "same", urn: urn(CR, name), oldState: crUser(["Bot Runner"]), newState: crUser(["Bot Runner"]) });
    }
  }
  return steps;
}

describe("a 5,000-person preview removing 1,000 (guard overridden)", () => {
  const report = buildReport(
    { steps: bigPreview() },
    { stack: "production", extras: { guards: [{ name: "maxRemovals", used: 1000, limit: 1000 }] } },
  );
  const header = defaultHeader("production");
  const comment = renderMarkdown(report, { limit: commentBudget(header), footer, elsewhere: `[the job summary](${footer.runUrl})` });
  const summary = fullReport(report, footer);
  const named = (md: string) => new Set([...md.matchAll(/^> - \*\*([^*]+)\*\*/gm)].map((m) => m[1]!));

  it("posts: the body with the action's header stays under GitHub's limit, whatever the header", () => {
    expect(postedByStickyComment(comment, header).length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    // A long header (a long stack name) takes more of the limit: the body gives it back.
    const long = defaultHeader(`production-${"x".repeat(200)}`);
    const body = renderMarkdown(report, { limit: commentBudget(long), footer });
    expect(postedByStickyComment(body, long).length).toBeLessThan(GITHUB_COMMENT_LIMIT);
  });

  it("names everyone losing any access in the comment or the job summary it links to", () => {
    const everyone = new Set([...named(comment), ...named(summary)]);
    for (let i = 0; i < 2000; i++) expect(everyone.has(key(i)), key(i)).toBe(true);
    expect(named(summary).size).toBe(2000);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
  });

  it("caps the banner with …and N more, and keeps the counts and the table outside the fold", () => {
    expect(comment).toContain("> **Access will be REMOVED** for 1000 people:");
    expect(comment).toContain("> **Reduced for 1000 people:**");
    expect(comment).toMatch(
      /^> - …and \d+ more, full list in \[the job summary\]\(https:\/\/github\.com\/acme\/people\/actions\/runs\/42\)$/m,
    );
    expect(comment).toContain("| Control Room | 0 | 0 | 1000 | 500 | 0 |");
    expect(comment).toContain("| Anypoint · Sales | 0 | 0 | 1000 | 500 | 0 |");
    expect(comment.indexOf("<details>")).toBeGreaterThan(comment.indexOf("| Control Room |"));
    expect(comment.indexOf("<details>")).toBeGreaterThan(comment.indexOf("> - guard maxRemovals: 1000 of at most 1000 — near the limit"));
    expect(
      comment
        .trimEnd()
        .endsWith(
          "<sub>rollcall 0.1.0 · stack `production` · commit `0123456789ab` · [run](https://github.com/acme/people/actions/runs/42): full report in its job summary and artifact · 3000 resources unchanged</sub>",
        ),
    ).toBe(true);
  });
});

describe("small comments by exact output", () => {
  const AU_GRACE: PreviewStep = {
    op: "update",
    urn: urn(AU, "grace"),
    oldState: {
      type: AU,
      inputs: { username: "grace.acme", enabled: true, businessGroups: { Sales: { roles: ["Exchange Contributor"], teams: [] } } },
    },
    newState: {
      type: AU,
      inputs: { username: "grace.acme", enabled: true, businessGroups: { Sales: { roles: ["Exchange Viewer"], teams: [] } } },
    },
  };
  const CR_GRACE: PreviewStep = {
    op: "update",
    urn: urn(CR, "grace"),
    oldState: {
      type: CR,
      inputs: { username: "grace.hopper", roles: ["AAE_Bot Developer", "Bot Runner"], licenseFeatures: ["DEVELOPMENT"] },
    },
    newState: { type: CR, inputs: { username: "grace.hopper", roles: ["Bot Runner", "AAE_Basic"], licenseFeatures: [] } },
  };

  it("reduced access in the banner, the table and per person as set changes; no fold at one person", () => {
    expect(renderMarkdown(buildReport({ steps: [CR_GRACE, AU_GRACE] }, { stack: "production" }), { footer })).toBe(
      [
        "<!-- rollcall:report stack=production -->",
        "## rollcall on production: access changes for 1 person",
        "",
        "> [!CAUTION]",
        "> **Reduced for 1 person:**",
        "> - **grace**: Anypoint Sales: Exchange Contributor → Exchange Viewer; Control Room AAE_Bot Developer → AAE_Basic, −DEVELOPMENT",
        "",
        "| Where | Added | Adopted | Removed | Reduced | Changed |",
        "|---|---:|---:|---:|---:|---:|",
        "| Anypoint · Sales | 0 | 0 | 0 | 1 | 0 |",
        "| Control Room | 0 | 0 | 0 | 1 | 0 |",
        "",
        "### Per person",
        "",
        "- **grace**",
        "  - Anypoint `grace.acme` · Sales: changed (roles: −Exchange Contributor, +Exchange Viewer)",
        "  - Control Room `grace.hopper`: changed (roles: −AAE_Bot Developer, +AAE_Basic; licenses: −DEVELOPMENT)",
        "",
        "<sub>rollcall 0.1.0 · stack `production` · commit `0123456789ab` · [run](https://github.com/acme/people/actions/runs/42): full report in its job summary and artifact · 0 resources unchanged</sub>",
        "",
      ].join("\n"),
    );
  });

  it("folds the details above ten people", () => {
    const steps: PreviewStep[] = Array.from({ length: 11 }, (_, i) => ({
      op: "create",
      urn: urn(CR, key(i)),
      newState: { type: CR, inputs: { username: key(i), roles: ["Bot Runner"], licenseFeatures: [] } },
    }));
    const md = renderMarkdown(buildReport({ steps }));
    expect(md).toContain(
      "|---|---:|---:|---:|---:|---:|\n| Control Room | 11 | 0 | 0 | 0 | 0 |\n\n<details><summary>Per person (11 people)</summary>\n\n- **person0000**\n  - Control Room `person0000`: added (roles: +Bot Runner)\n",
    );
    expect(md).toContain("  - Control Room `person0010`: added (roles: +Bot Runner)\n\n</details>\n\n<sub>");
    expect(renderMarkdown(buildReport({ steps: steps.slice(0, 10) }))).not.toContain("<details>");
  });

  it("the footer's facts come from GitHub Actions' environment; a flag's commit wins", () => {
    const env = { GITHUB_SHA: "feedface", GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/people", GITHUB_RUN_ID: "7" };
    expect(footerFromEnv(env, "0.1.0")).toEqual({
      version: "0.1.0",
      commit: "feedface",
      runUrl: "https://github.com/acme/people/actions/runs/7",
    });
    expect(footerFromEnv(env, "0.1.0", "c0ffee")).toEqual({
      version: "0.1.0",
      commit: "c0ffee",
      runUrl: "https://github.com/acme/people/actions/runs/7",
    });
    expect(footerFromEnv({}, "0.1.0")).toEqual({ version: "0.1.0" });
  });

  it("the stale marker", () => {
    expect(staleComment("production", footer)).toBe(
      [
        "<!-- rollcall:stale stack=production -->",
        "> [!WARNING]",
        "> **This rollcall report is out of date.** The latest preview of `production` (commit `0123456789ab`) failed before it could replace it: see [the run](https://github.com/acme/people/actions/runs/42).",
        "> Any report in this comment is from an earlier commit: don't approve on it. Fix the run and re-run it.",
        "",
      ].join("\n"),
    );
  });

  it("the budget leaves room for the action's newline and header", () => {
    expect(commentBudget("rollcall-production")).toBe(GITHUB_COMMENT_LIMIT - 1 - postedByStickyComment("", "rollcall-production").length);
  });
});
