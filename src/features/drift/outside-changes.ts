// "Changed outside rollcall", from `pulumi preview --refresh --json` (engine v3.259.0).
//
// What that JSON holds, as measured (test/e2e/drift.test.ts): one `op: "refresh"` step per
// resource whose oldState AND newState are both the state of the last deployment (the refreshed
// values are not in it, and its detailedDiff is null); then the plan, whose steps start from the
// refreshed state: an `update`/`replace` step's oldState.inputs are the values read from the
// platform, and a resource deleted on the platform comes back as a `create` step. So a drift is
// the difference between a refresh step's oldState (what rollcall last set) and the oldState of
// the plan step for the same URN (what the platform has now); what users.yaml wants is the plan
// step's newState, and the plan step's op is how the next `pulumi up --refresh` puts it back.
import type { PreviewDigest, PreviewStep } from "../../pulumi/engine/pulumi-cli";
import { kindOfType } from "../../pulumi/resource-types";

export interface OutsideChange {
  urn: string;
  /** "Control Room" or "Anypoint". */
  platform: string;
  /** The resource name: the person's key (or key@business group). */
  name: string;
  /** changed: fields differ on the platform; deleted: the platform no longer has it. */
  kind: "changed" | "deleted";
  /** field → what rollcall last set (was) and what the platform has now; empty for deleted. */
  fields: { field: string; was: unknown; now: unknown }[];
  /** What the next `pulumi up --refresh` does about it: update, replace or create. */
  putBack: string;
}

const BOOKKEEPING = new Set(["__provider"]);

export function outsideChanges(digest: PreviewDigest): OutsideChange[] {
  const lastDeployed = new Map<string, PreviewStep["oldState"]>();
  for (const step of digest.steps ?? []) if (step.op === "refresh" && step.oldState?.id) lastDeployed.set(step.urn, step.oldState);
  const changes: OutsideChange[] = [];
  for (const step of digest.steps ?? []) {
    const before = lastDeployed.get(step.urn);
    const platform = kindOfType(typeInUrn(step.urn))?.platformName;
    if (!before || !platform) continue;
    const name = step.urn.split("::").pop()!;
    if (step.op === "create" || step.op === "create-replacement") {
      changes.push({ urn: step.urn, platform, name, kind: "deleted", fields: [], putBack: "create" });
    } else if (step.op === "update" || step.op === "replace") {
      const was = before.inputs ?? {};
      const now = step.oldState?.inputs ?? {};
      const fields = [...new Set([...Object.keys(was), ...Object.keys(now)])]
        .filter((f) => !BOOKKEEPING.has(f) && JSON.stringify(was[f]) !== JSON.stringify(now[f]))
        .sort()
        .map((field) => ({ field, was: was[field], now: now[field] }));
      if (fields.length) changes.push({ urn: step.urn, platform, name, kind: "changed", fields, putBack: step.op });
    }
  }
  return changes.sort((a, b) =>
    a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

/** The type token in a URN (`urn:pulumi:<stack>::<project>::[<parent type>$]<type>::<name>`). */
function typeInUrn(urn: string): string {
  return (urn.split("::")[2] ?? "").split("$").pop()!;
}
