// Every runnable block of every page of docs/ runs, page by page, each page in its own empty
// directory with rollcall installed, against the simulators (test/docs/support.ts). README.md's
// steps run in getting-started.test.ts, with what they promise asserted.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/pulumi/engine/pulumi-cli";
import { runnableBlocks } from "../../src/tools/docs/markdown";
import { runDocs } from "./support";

const DOCS = path.join(PROJECT_ROOT, "docs");
const pages = readdirSync(DOCS)
  .filter((f) => f.endsWith(".md"))
  .filter((f) => runnableBlocks(readFileSync(path.join(DOCS, f), "utf8")).length > 0);

describe("docs/: runnable blocks", () => {
  it("some page has runnable blocks (the users.yaml example is validated)", () => {
    expect(pages).toContain("users-yaml.md");
  });

  for (const page of pages)
    it(`docs/${page}: every runnable block succeeds, in order`, async () => {
      const repo = await runDocs(path.join(DOCS, page));
      try {
        for (const run of repo.runs) expect(run.code, run.output).toBe(0);
        expect(repo.runs).toHaveLength(runnableBlocks(readFileSync(path.join(DOCS, page), "utf8")).length);
      } finally {
        await repo.dispose();
      }
    }, 900_000);
});
