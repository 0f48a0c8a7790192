// The README's steps, run literally: every ```sh runnable / ```diff runnable block of README.md,
// in order, in an empty directory with rollcall installed, against the sample organization on
// both simulators (test/docs/support.ts). Then what the steps promise, asserted on the simulators:
// the export and the first up write nothing, the removal disables the person on both platforms.
// The pull-request comment the README shows is the one these steps produce (comment.md): a test
// compares them; ROLLCALL_UPDATE_DOCS=1 (make docs) writes it into the README instead.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/pulumi/engine/pulumi-cli";
import { generatedSection } from "../../src/tools/docs/markdown";
import { runDocs, type BlockRun, type DocsRepo } from "./support";

const README = path.join(PROJECT_ROOT, "README.md");
const REMOVED = { controlRoom: "katherine.johnson", anypoint: "katherine.johnson.acme" };

describe("README: use it for your organization, step by step", () => {
  let repo: DocsRepo;
  const runOf = (pattern: RegExp, nth = 0): BlockRun => {
    const found = repo.runs.filter((r) => pattern.test(r.block.text));
    expect(found.length, `a runnable block matching ${pattern}`).toBeGreaterThan(nth);
    return found[nth]!;
  };

  // Every step through the real engine, one after another: minutes on a loaded machine.
  beforeAll(async () => {
    repo = await runDocs(README);
  }, 900_000);
  afterAll(async () => {
    await repo?.dispose();
  });

  it("every runnable block succeeds, in order", () => {
    for (const run of repo.runs) expect(run.code, run.output).toBe(0);
    // The getting-started path, end to end: nothing of it may quietly stop being run.
    const texts = repo.runs.map((r) => r.block.text).join("\n");
    for (const step of ["rollcall init", "rollcall export", "rollcall validate", "rollcall preview", "rollcall up"])
      expect(texts, `README runs '${step}'`).toContain(step);
    expect(repo.runs.some((r) => r.block.lang === "diff")).toBe(true);
  });

  it("export and the first preview and up adopt the organization without a single write", () => {
    for (const run of [runOf(/rollcall export/), runOf(/rollcall up/)])
      expect(run.writes, run.block.text).toEqual({ controlRoom: [], anypoint: [] });
  });

  it("after the first up, preview --detailed-exitcode exits 0: nobody's access changes", () => {
    // Step 5's block ends with it; under `set -e` an exit of 2 (changes) or 3 (refused) fails the block.
    const run = runOf(/preview --stack production --detailed-exitcode/);
    expect(run.block.text.trimEnd().split("\n").at(-1)).toMatch(/--detailed-exitcode/);
    expect(run.code, run.output).toBe(0);
  });

  it("the pull request's removal, applied, disables the person on both platforms and touches nobody else", () => {
    const apply = runOf(/rollcall up/, 1);
    expect(apply.code, apply.output).toBe(0);
    const cr = [...repo.sims.controlRoom.users.values()].find((u) => u.username === REMOVED.controlRoom);
    expect(cr?.disabled).toBe(true);
    const ap = [...repo.sims.anypoint.state.users.values()].find((u) => u.username === REMOVED.anypoint);
    expect(ap?.enabled).toBe(false);
    expect(apply.writes.controlRoom.length).toBeGreaterThan(0);
    expect(apply.writes.anypoint.length).toBeGreaterThan(0);
  });

  it("the README shows the pull-request comment those steps produce", () => {
    const comment = readFileSync(path.join(repo.dir, "comment.md"), "utf8");
    expect(comment).toContain(REMOVED.controlRoom);
    const readme = readFileSync(README, "utf8");
    const section = generatedSection(readme, "pr-comment");
    expect(section, "README.md has <!-- pr-comment:begin --> … <!-- pr-comment:end -->").toBeDefined();
    // Framed as GitHub frames a comment: one table cell, the Markdown inside rendered as it is.
    const expected = `<table><tr><td>\n\n${comment.endsWith("\n") ? comment : `${comment}\n`}\n</td></tr></table>\n`;
    if (process.env.ROLLCALL_UPDATE_DOCS === "1" && section!.text !== expected)
      writeFileSync(README, readme.slice(0, section!.start) + expected + readme.slice(section!.end));
    else expect(section!.text, "README.md's pull-request comment drifted from the renderer: make docs").toBe(expected);
  });
});
