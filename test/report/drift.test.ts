// The report's "changed outside rollcall" section, on `pulumi preview --refresh --json` that the real
// engine printed in test/e2e/drift.test.ts (a role added, a user disabled, a user deleted on each
// platform). Engine v3.259.0's refresh steps carry no refreshed values, so a renderer that reads
// drift off them alone reports nothing: this test fails then.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { PreviewDigest } from "../../src/pulumi/engine/pulumi-cli";
import { buildReport } from "../../src/features/report/report";
import { renderText } from "../../src/features/report/render";

const digest = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/preview-refresh-drift.json"), "utf8")) as PreviewDigest;

describe("report: changed outside rollcall", () => {
  it("names each person and field that the platform changed, from the engine's own preview --refresh JSON", () => {
    expect(buildReport(digest).drift).toEqual([
      { platform: "Anypoint", person: "ada@Sales", fields: ["roles"] },
      { platform: "Anypoint", person: "bob", fields: ["enabled"] },
      { platform: "Control Room", person: "ada", fields: ["roles"] },
      { platform: "Control Room", person: "bob", fields: ["disabled"] },
      { platform: "Control Room", person: "cyd", fields: ["deleted outside rollcall"] },
    ]);
    const lines = renderText(buildReport(digest))
      .split("\n")
      .filter((l) => l.includes("outside rollcall"));
    expect(lines).toEqual([
      "  - Anypoint ada@Sales was changed outside rollcall (roles); this run puts users.yaml back",
      "  - Anypoint bob was changed outside rollcall (enabled); this run puts users.yaml back",
      "  - Control Room ada was changed outside rollcall (roles); this run puts users.yaml back",
      "  - Control Room bob was changed outside rollcall (disabled); this run puts users.yaml back",
      "  - Control Room cyd was changed outside rollcall (deleted outside rollcall); this run puts users.yaml back",
    ]);
  });
});
