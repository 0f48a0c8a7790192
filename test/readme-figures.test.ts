// The README figures check (src/tools/figures/readme-figures.ts) on the README itself, and on small
// texts that show what it refuses, so that it can fail.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkReadmeFigures } from "../src/tools/figures/readme-figures";
import { liveFigures } from "../src/tools/figures/live";
import { PROJECT_ROOT } from "../src/pulumi/engine/pulumi-cli";

describe("README figures", () => {
  // The README and every page of docs/ (the scale tables live in docs/scale.md).
  const pages = [
    "README.md",
    ...readdirSync(path.join(PROJECT_ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ];

  it("every time, size or ratio in README.md and docs/ is produced by the command that measures it, or says why not", async () => {
    expect(pages).toContain("docs/scale.md");
    const live = await liveFigures();
    const problems = pages.flatMap((page) =>
      checkReadmeFigures(readFileSync(path.join(PROJECT_ROOT, page), "utf8"), PROJECT_ROOT, live).map(
        (p) => `${page}:${p.line} ${p.figure}: ${p.message}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  const live = { "shim.bytes.max": 2005 };
  const check = (text: string) => checkReadmeFigures(text, PROJECT_ROOT, live).map((p) => `${p.line} ${p.figure}: ${p.message}`);

  it("accepts a tagged figure that matches at its own precision, and figures in code blocks", () => {
    expect(check("The shim is 2,005 bytes <!-- measured: live shim.bytes.max --> long.\n```\ntook 3 s\n```\n")).toEqual([]);
    expect(check("about 2.0 KB <!-- measured: live shim.bytes.max -->")).toEqual([
      "1 2.0 KB: the README says 2.0 but the live measurement says 2005.0 (shim.bytes.max): update the README",
    ]);
  });

  it("refuses a tagged figure that no longer matches, a missing source, and untagged measurements", () => {
    expect(check("The shim is 1,968 bytes <!-- measured: live shim.bytes.max -->.")).toEqual([
      "1 1,968 bytes: the README says 1,968 but the live measurement says 2005 (shim.bytes.max): update the README",
    ]);
    expect(check("took 3.1 s <!-- measured: bench-nothing seconds -->")).toEqual([
      "1 3.1 s: no measured figure 'seconds' in measurements/bench-nothing.json: run the command that measures it",
    ]);
    expect(check("removing 200 people took 28.5 s, 9.2× faster; state: 5.9 KB per user")).toEqual([
      "1 28.5 s: a measurement-looking figure with no source: tag it <!-- measured: <source> <key> --> (or <!-- not measured: <why> -->), or remove it",
      "1 9.2×: a measurement-looking figure with no source: tag it <!-- measured: <source> <key> --> (or <!-- not measured: <why> -->), or remove it",
      "1 5.9 KB: a measurement-looking figure with no source: tag it <!-- measured: <source> <key> --> (or <!-- not measured: <why> -->), or remove it",
    ]);
  });

  it("accepts a setting marked as not measured, but only with a reason", () => {
    expect(check("deletions within 250 ms <!-- not measured: the coalescing window, a constant --> go together")).toEqual([]);
    expect(check("within 250 ms <!-- not measured: -->")).toHaveLength(1);
  });
});
