// The reviewer-facing preview summary, by exact output.
import { describe, expect, it } from "vitest";
import { renderPreview } from "../src/features/report/preview";

const T = "pulumi-nodejs:dynamic/rollcall:ControlRoomUser";
const urn = (name: string) => `urn:pulumi:prod::rollcall::${T}::${name}`;

describe("renderPreview", () => {
  it("says there is nothing to review when nothing changes", () => {
    expect(renderPreview({ steps: [{ op: "same", urn: urn("ada"), oldState: { type: T }, newState: { type: T } }] })).toBe(
      "rollcall: no access changes.\n",
    );
  });

  it("lists each person's change, with the fields that change and never the provider text", () => {
    const text = renderPreview({
      steps: [
        {
          op: "delete",
          urn: urn("alan"),
          oldState: { type: T, inputs: { username: "alan.turing", roles: ["Bot Runner"], __provider: "x" } },
        },
        {
          op: "update",
          urn: urn("grace"),
          oldState: { type: T, inputs: { username: "grace", roles: ["Bot Runner"], licenseFeatures: [], __provider: "x" } },
          newState: {
            type: T,
            inputs: { username: "grace", roles: ["AAE_Admin", "Bot Runner"], licenseFeatures: ["DEVELOPMENT"], __provider: "y" },
          },
        },
        { op: "create", urn: urn("katherine"), newState: { type: T, inputs: { username: "katherine.johnson" } } },
        { op: "same", urn: urn("ada"), oldState: { type: T }, newState: { type: T } },
        { op: "update", urn: "urn:pulumi:prod::rollcall::pulumi:pulumi:Stack::rollcall-prod", newState: { type: "pulumi:pulumi:Stack" } },
      ],
      diagnostics: [{ severity: "warning", message: "role 'Finance Automation' has nobody left in users.yaml\n" }],
    });
    expect(text).toBe(
      [
        "rollcall: 3 access changes (1 added, 1 changed, 1 removed)",
        "",
        "- alan: Control Room user `alan.turing` **removed**",
        "- grace: Control Room user `grace` changed",
        "  - licenseFeatures: (none) → DEVELOPMENT",
        "  - roles: Bot Runner → AAE_Admin, Bot Runner",
        "- katherine: Control Room user `katherine.johnson` added",
        "",
        "Warnings:",
        "- role 'Finance Automation' has nobody left in users.yaml",
        "",
      ].join("\n"),
    );
  });
});
