// What a workflow decides from — counts, a label and an exit code — computed from the report's
// data, never from its rendered text. Pure.
import type { Report } from "./report";

export type Label = "access-removal" | "access-change" | "no-access-change";

export interface Outcome {
  /** People who lose a whole platform user. */
  removed: number;
  /** People who lose part of their access (a role, license, team, business group). */
  reduced: number;
  /** People with any change. */
  changed: number;
  /** A guard (removal limits, protected identities) refused the run. */
  refused: boolean;
  label: Label;
}

export function outcome(report: Report, refused: boolean): Outcome {
  const removed = report.removals.length;
  const reduced = report.reductions.length;
  const changed = new Set([...report.changes.map((c) => c.person), ...report.removals.map((r) => r.person)]).size;
  // Every guard refuses a removal of access; refused, the program stops before declaring anyone, so the counts are 0.
  const label: Label = refused || removed + reduced > 0 ? "access-removal" : changed > 0 ? "access-change" : "no-access-change";
  return { removed, reduced, changed, refused, label };
}

/** The lines appended to $GITHUB_OUTPUT (one key=value a line). */
export function githubOutput(o: Outcome): string {
  return `removed=${o.removed}\nreduced=${o.reduced}\nchanged=${o.changed}\nrefused=${o.refused}\nlabel=${o.label}\n`;
}

/**
 * `rollcall preview --detailed-exitcode` (docs/workflows.md "Exit codes and outputs"): 0 no access
 * change, 2 access changes, 3 refused by a guard, 1 any other failure. Refused comes first: the
 * engine fails the preview when a guard refuses.
 */
export function detailedExitCode(o: Outcome, previewFailed: boolean): number {
  if (o.refused) return 3;
  if (previewFailed) return 1;
  return o.changed > 0 ? 2 : 0;
}
