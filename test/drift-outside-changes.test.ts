// outsideChanges() on the JSON engine v3.259.0 printed for `pulumi preview --refresh --json` after a
// role was added, a user disabled and a user deleted outside rollcall (captured from
// test/e2e/drift.test.ts, state paths and stack traces stripped).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { outsideChanges } from "../src/features/drift/outside-changes";
import type { PreviewDigest } from "../src/pulumi/engine/pulumi-cli";

const digest = JSON.parse(readFileSync(path.join(__dirname, "fixtures/preview-refresh-drift.json"), "utf8")) as PreviewDigest;

describe("changed outside rollcall, from pulumi preview --refresh --json", () => {
  it("the refresh steps themselves carry no refreshed values: both states are the last deployment's", () => {
    const refresh = (digest.steps ?? []).filter((s) => s.op === "refresh" && s.urn.endsWith("ControlRoomUser::ada"));
    expect(refresh).toHaveLength(1);
    expect(refresh[0]!.newState).toEqual(refresh[0]!.oldState);
  });

  it("names each change per platform and person, with the value rollcall set and the platform's, and how up puts it back", () => {
    expect(outsideChanges(digest).map(({ urn: _urn, ...c }) => c)).toEqual([
      {
        platform: "Anypoint",
        name: "ada@Sales",
        kind: "changed",
        fields: [{ field: "roles", was: ["Exchange Viewer"], now: ["Exchange Viewer", "Organization Administrator"] }],
        putBack: "update",
      },
      { platform: "Anypoint", name: "bob", kind: "changed", fields: [{ field: "enabled", was: true, now: false }], putBack: "update" },
      {
        platform: "Control Room",
        name: "ada",
        kind: "changed",
        fields: [{ field: "roles", was: ["AAE_Basic"], now: ["AAE_Admin", "AAE_Basic"] }],
        putBack: "update",
      },
      { platform: "Control Room", name: "bob", kind: "changed", fields: [{ field: "disabled", was: false, now: true }], putBack: "update" },
      { platform: "Control Room", name: "cyd", kind: "deleted", fields: [], putBack: "create" },
    ]);
  });

  it("a replace that only comes from an unknown id in preview (bob@Sales) is not reported as drift", () => {
    expect((digest.steps ?? []).some((s) => s.op === "replace" && s.urn.endsWith("::bob@Sales"))).toBe(true);
    expect(outsideChanges(digest).some((c) => c.name === "bob@Sales")).toBe(false);
  });
});
