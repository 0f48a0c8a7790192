// Renders `pulumi preview --json` as the summary a reviewer reads in a pull request: one line per
// person and platform, saying what happens to their access and which fields change. Pure: the
// same digest always gives the same text (tested by exact output).
import type { PreviewDigest, PreviewStep } from "../engine/pulumi-cli";

const PLATFORM_BY_TYPE: Record<string, string> = {
  "pulumi-nodejs:dynamic/rollcall:ControlRoomUser": "Control Room user",
  "pulumi-nodejs:dynamic/rollcall:AnypointUser": "Anypoint user",
  "pulumi-nodejs:dynamic/rollcall:AnypointBusinessGroupAccess": "Anypoint business-group access",
};

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
    const what = PLATFORM_BY_TYPE[type];
    if (!what || !(step.op in VERB)) continue;
    changes.push({ person: step.urn.split("::").pop()!, what: describe(what, step), op: step.op as AccessChange["op"], fields: fieldChanges(step) });
  }
  return changes.sort((a, b) => a.person.localeCompare(b.person) || a.what.localeCompare(b.what));
}

function describe(what: string, step: PreviewStep): string {
  const inputs = step.newState?.inputs ?? step.oldState?.inputs ?? {};
  const name = (step.op === "delete" ? step.oldState?.inputs?.username : undefined) ?? inputs.username ?? inputs.businessGroup;
  return name ? `${what} \`${String(name)}\`` : what;
}

function fieldChanges(step: PreviewStep): [string, unknown, unknown][] {
  if (step.op !== "update" && step.op !== "replace") return [];
  const before = step.oldState?.inputs ?? {};
  const after = step.newState?.inputs ?? {};
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
