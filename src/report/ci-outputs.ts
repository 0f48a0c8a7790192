// STUB of the report side's contract (issue #21 items 3–5, branch trust-report owns the real one):
// what `rollcall preview` tells a workflow, so workflows decide from values, never from rendered
// text. Exit codes of --detailed-exitcode: 0 no access change, 2 changes, 3 refused by a guard,
// 1 error. $GITHUB_OUTPUT keys: removed, reduced, changed, refused, label.
import type { Report } from "./report";

export type AccessLabel = "access-removal" | "access-change" | "no-access-change";

export interface PreviewOutputs {
  removed: number;
  reduced: number;
  changed: number;
  refused: boolean;
  label: AccessLabel;
}

/** A guard's refusal (SafetyRefusal) says that nothing was sent; any other error is a failure. */
const REFUSAL = /nothing was sent to any platform/;

export function previewOutputs(report: Report): PreviewOutputs {
  const removed = report.removals.length;
  const reduced = 0; // the report side counts lost roles, licenses, teams and downgrades
  const changed = new Set(report.changes.map((c) => c.person)).size;
  const refused = report.errors.some((e) => REFUSAL.test(e));
  const label: AccessLabel = removed + reduced > 0 ? "access-removal" : changed > 0 ? "access-change" : "no-access-change";
  return { removed, reduced, changed, refused, label };
}

export function detailedExitCode(outputs: PreviewOutputs, engineCode: number): number {
  if (outputs.refused) return 3;
  if (engineCode !== 0) return 1;
  return outputs.changed > 0 ? 2 : 0;
}

export function outputLines(o: PreviewOutputs): string {
  return `removed=${o.removed}\nreduced=${o.reduced}\nchanged=${o.changed}\nrefused=${o.refused}\nlabel=${o.label}\n`;
}
