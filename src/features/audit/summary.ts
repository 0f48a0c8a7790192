// The end-of-run summary of an audit file: per run (one `pulumi up`), how many mutating calls,
// per platform and status, and for whom. `rollcall audit [FILE]` prints it for the last run.
import { existsSync, readFileSync } from "node:fs";
import type { AuditLine } from "./sink";

export function readAuditLines(file: string): AuditLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditLine);
}

/** Text summary of one run's lines (default: the last run in the file). */
export function summarizeAudit(lines: AuditLine[], run = lines.at(-1)?.run): string {
  const mine = lines.filter((l) => l.run === run);
  if (!mine.length) return "audit: no mutating call recorded.\n";
  const groups = new Map<string, AuditLine[]>();
  for (const l of mine) {
    const key = `${l.platform} ${l.method} ${typeof l.status === "number" && l.status < 300 ? "ok" : `failed (${l.status})`}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  const failed = mine.filter((l) => !(typeof l.status === "number" && l.status < 300)).length;
  const people = new Set(mine.flatMap((l) => l.people));
  return [
    `audit: stack ${mine[0]!.stack}, run ${run}: ${mine.length} mutating calls${failed ? ` (${failed} failed)` : ""} for ` +
      `${people.size} people, ${mine[0]!.time} to ${mine.at(-1)!.time}.`,
    ...[...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, ls]) => `  ${k}: ${ls.length} (${[...new Set(ls.flatMap((l) => l.people))].slice(0, 10).join(", ") || "—"})`),
    "",
  ].join("\n");
}
