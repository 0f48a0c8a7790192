// Renders `pulumi preview --json` as the summary a reviewer reads in a pull request: one line per
// person and platform, saying what happens to their access and which fields change. Pure: the
// same digest always gives the same text (tested by exact output).
import type { PreviewDigest, PreviewStep } from "../../pulumi/engine/pulumi-cli";

import { kindOfType, TYPES } from "../../pulumi/resource-types";

// Retired kind (state of stacks deployed before access moved onto AnypointUser).
const LEGACY_ACCESS = TYPES.anypointAccess;

const VERB: Record<string, string> = {
  create: "added",
  update: "changed",
  delete: "**removed**",
  replace: "**replaced** (removed, then added)",
};

/** Fields that are bookkeeping, not access: never shown to reviewers. */
const HIDDEN = new Set(["__provider", "userId", "roleIds", "adopted"]);

export interface AccessChange {
  person: string;
  what: string;
  op: "create" | "update" | "delete" | "replace";
  /** field → [before, after], for updates and replaces. */
  fields: [string, unknown, unknown][];
}

export function accessChanges(digest: PreviewDigest): AccessChange[] {
  const changes: AccessChange[] = [];
  for (const step of digest.steps ?? []) {
    const type = step.newState?.type ?? step.oldState?.type ?? "";
    const what = kindOfType(type)?.label;
    if (!what || !(step.op in VERB) || migratedAccess(digest, step)) continue;
    changes.push({
      person: step.urn.split("::").pop()!,
      what: describe(what, step),
      op: step.op as AccessChange["op"],
      fields: fieldChanges(step),
    });
  }
  return changes.sort((a, b) => a.person.localeCompare(b.person) || a.what.localeCompare(b.what));
}

function describe(what: string, step: PreviewStep): string {
  const inputs = step.newState?.inputs ?? step.oldState?.inputs ?? {};
  const name = (step.op === "delete" ? step.oldState?.inputs?.username : undefined) ?? inputs.username ?? inputs.businessGroup;
  return name ? `${what} \`${String(name)}\`` : what;
}

/** A retired access resource whose business group the person's AnypointUser now carries: its delete takes nothing away. */
function migratedAccess(digest: PreviewDigest, step: PreviewStep): boolean {
  if (step.oldState?.type !== LEGACY_ACCESS || step.op !== "delete") return false;
  const userUrn = step.urn.replace(/AnypointBusinessGroupAccess::(.*)@[^@]*$/, "AnypointUser::$1");
  const group = String(step.oldState.inputs?.businessGroup ?? "");
  const user = (digest.steps ?? []).find((s) => s.urn === userUrn);
  const groups = (user?.newState?.inputs?.businessGroups ?? {}) as Record<string, unknown>;
  return group in groups;
}

/** Business groups are compared one by one, so a change names its group: `businessGroups.Sales.roles`. */
function flattenGroups(inputs: Record<string, unknown>): Record<string, unknown> {
  const { businessGroups, ...rest } = inputs;
  const flat: Record<string, unknown> = { ...rest };
  for (const [group, grant] of Object.entries((businessGroups ?? {}) as Record<string, { roles?: string[]; teams?: string[] }>)) {
    // Empty lists are left out, so a group added without teams shows no "teams: (none) → (none)".
    if (grant.roles?.length) flat[`businessGroups.${group}.roles`] = grant.roles;
    if (grant.teams?.length) flat[`businessGroups.${group}.teams`] = grant.teams;
  }
  return flat;
}

function fieldChanges(step: PreviewStep): [string, unknown, unknown][] {
  if (step.op !== "update" && step.op !== "replace") return [];
  const before = flattenGroups(step.oldState?.inputs ?? {});
  const after = flattenGroups(step.newState?.inputs ?? {});
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => !HIDDEN.has(k) && JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .sort()
    .map((k) => [k, before[k], after[k]]);
}

function show(v: unknown): string {
  if (v === undefined || v === null) return "(none)";
  if (Array.isArray(v)) return v.length ? v.join(", ") : "(none)";
  return String(v);
}

/** Markdown for a pull-request comment or a CI log. */
export function renderPreview(digest: PreviewDigest): string {
  const changes = accessChanges(digest);
  if (changes.length === 0) return "rollcall: no access changes.\n";
  const counts = (["create", "update", "replace", "delete"] as const)
    .map((op) => [op, changes.filter((c) => c.op === op).length] as const)
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${n} ${op === "create" ? "added" : op === "update" ? "changed" : op === "replace" ? "replaced" : "removed"}`);
  const lines = [`rollcall: ${changes.length} access change${changes.length === 1 ? "" : "s"} (${counts.join(", ")})`, ""];
  for (const c of changes) {
    lines.push(`- ${c.person}: ${c.what} ${VERB[c.op]}`);
    for (const [field, before, after] of c.fields) lines.push(`  - ${field}: ${show(before)} → ${show(after)}`);
  }
  const warnings = (digest.diagnostics ?? []).filter((d) => d.severity === "warning");
  if (warnings.length) {
    lines.push("", "Warnings:");
    for (const w of warnings) lines.push(`- ${w.message.trim().replace(/^warning: /, "")}`);
  }
  return `${lines.join("\n")}\n`;
}
