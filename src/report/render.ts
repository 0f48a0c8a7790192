// The report as Markdown (a pull-request comment) and as plain text (a terminal). Order, for a
// reviewer: what would be REMOVED (every person, where), the counts per platform and business
// group, warnings, then each person's old → new. Under GitHub's comment limit, when something must
// go, the per-person details go first and the comment says how much was cut. Pure functions.
import type { Op, PersonChange } from "./changes";
import type { Report } from "./report";

/** GitHub refuses comments longer than 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** The hidden marker a workflow finds the previous comment by, to edit it in place. */
export const marker = (stack?: string) => `<!-- rollcall:report${stack ? ` stack=${stack}` : ""} -->`;

const OPS: Op[] = ["added", "adopted", "removed", "changed"];

interface Row {
  place: string;
  counts: Record<Op, number>;
}

function summaryRows(report: Report): Row[] {
  const rows = new Map<string, Row>();
  const add = (place: string, op: Op) => {
    const row = rows.get(place) ?? { place, counts: { added: 0, adopted: 0, removed: 0, changed: 0 } };
    row.counts[op] += 1;
    rows.set(place, row);
  };
  for (const c of report.changes) add(c.businessGroup ? `${c.platform} · ${c.businessGroup}` : c.platform, c.op);
  return [...rows.values()].sort((a, b) => a.place.localeCompare(b.place));
}

function people(report: Report): string[][] {
  const byPerson = new Map<string, PersonChange[]>();
  for (const c of report.changes) byPerson.set(c.person, [...(byPerson.get(c.person) ?? []), c]);
  return [...byPerson.keys()].sort().map((p) => [p, ...byPerson.get(p)!.map(changeLine)]);
}

function changeLine(c: PersonChange): string {
  const where = c.businessGroup ? `${c.platform} \`${c.username}\` · ${c.businessGroup}` : `${c.platform} \`${c.username}\``;
  const fields = c.fields.map((f) => `${f.field}: ${f.before} → ${f.after}`).join("; ");
  return `${where}: ${c.op}${fields ? ` (${fields})` : ""}`;
}

function title(report: Report): string {
  const n = new Set(report.changes.map((c) => c.person)).size;
  const on = report.stack ? ` on ${report.stack}` : "";
  return n === 0 ? `rollcall${on}: no access changes` : `rollcall${on}: access changes for ${n} ${n === 1 ? "person" : "people"}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function renderMarkdown(report: Report, limit = GITHUB_COMMENT_LIMIT): string {
  const head: string[] = [marker(report.stack), `## ${title(report)}`, ""];
  if (report.errors.length) head.push("> [!CAUTION]", "> **The preview failed — nothing can be applied until this is fixed:**", ...report.errors.map((e) => `> - ${oneLine(e)}`), "");
  if (report.removals.length) {
    head.push("> [!CAUTION]", `> **Access will be REMOVED** for ${plural(report.removals.length, "person", "people")}:`);
    for (const r of report.removals) head.push(`> - **${r.person}**: ${r.where.join(", ")}`);
    head.push("");
  }
  const rows = summaryRows(report);
  if (rows.length) {
    head.push("| Where | Added | Adopted | Removed | Changed |", "|---|---:|---:|---:|---:|");
    for (const r of rows) head.push(`| ${r.place} | ${OPS.map((op) => r.counts[op]).join(" | ")} |`);
    head.push("");
  }
  const warnings = [...report.warnings, ...report.undeclared.map((u) => `${u.platform} user \`${u.username}\` is on the platform but not in users.yaml`), ...report.drift.map((d) => `${d.platform} ${d.person} was changed outside rollcall (${d.fields.join(", ")}); this run puts users.yaml back`)];
  if (warnings.length) head.push("> [!WARNING]", ...warnings.map((w) => `> - ${oneLine(w)}`), "");
  if (report.expiring.length) {
    head.push("> [!NOTE]", `> **Access expiring${within(report)}** — rollcall removes it on that date:`);
    for (const e of report.expiring) head.push(`> - **${e.person}**: ${e.grant}, expires ${e.expires}`);
    head.push("");
  }
  const footer = ["", `<sub>rollcall · ${report.stack ? `stack \`${report.stack}\` · ` : ""}${plural(report.unchanged, "resource")} unchanged · from \`pulumi preview --json\`</sub>`, ""];

  const details = people(report).map(([p, ...lines]) => [`- **${p}**`, ...lines.map((l) => `  - ${l}`)].join("\n"));
  const lead = details.length ? ["### Per person", ""] : [];
  return fit(head, lead, details, footer, limit, (cut, total) => `\n_… ${plural(cut, "more person's", "more people's")} details (of ${total}) cut to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit; \`rollcall report\` on the saved preview shows everything._`);
}

export function renderText(report: Report): string {
  const out: string[] = [title(report), ""];
  if (report.errors.length) out.push("PREVIEW FAILED:", ...report.errors.map((e) => `  ${oneLine(e)}`), "");
  if (report.removals.length) {
    out.push(`!! ACCESS WILL BE REMOVED for ${plural(report.removals.length, "person", "people")}:`);
    for (const r of report.removals) out.push(`  - ${r.person}: ${r.where.join(", ").replace(/`/g, "")}`);
    out.push("");
  }
  const rows = summaryRows(report);
  if (rows.length) {
    const w = Math.max(5, ...rows.map((r) => r.place.length));
    out.push(`${"Where".padEnd(w)}  added adopted removed changed`);
    for (const r of rows) out.push(`${r.place.padEnd(w)}  ${OPS.map((op, i) => String(r.counts[op]).padStart([5, 7, 7, 7][i]!)).join(" ")}`);
    out.push("");
  }
  const warnings = [...report.warnings, ...report.undeclared.map((u) => `${u.platform} user ${u.username} is on the platform but not in users.yaml`), ...report.drift.map((d) => `${d.platform} ${d.person} was changed outside rollcall (${d.fields.join(", ")}); this run puts users.yaml back`)];
  if (warnings.length) out.push("Warnings:", ...warnings.map((w) => `  - ${oneLine(w)}`), "");
  if (report.expiring.length) out.push(`Access expiring${within(report)} (rollcall removes it on that date):`, ...report.expiring.map((e) => `  - ${e.person}: ${e.grant}, expires ${e.expires}`), "");
  for (const [p, ...lines] of people(report)) out.push(p, ...lines.map((l) => `  ${l.replace(/`/g, "")}`));
  return `${out.join("\n").trimEnd()}\n`;
}

/** head and footer always; then as many detail blocks as fit, and a line saying how many did not. */
function fit(head: string[], lead: string[], details: string[], footer: string[], limit: number, cutNote: (cut: number, total: number) => string): string {
  const whole = [...head, ...lead, ...details, ...footer].join("\n");
  if (whole.length <= limit) return whole;
  const fixed = [...head, ...lead].join("\n").length + footer.join("\n").length + 2;
  let budget = limit - fixed - cutNote(details.length, details.length).length - 1;
  const kept: string[] = [];
  for (const d of details) {
    if (d.length + 1 > budget) break;
    kept.push(d);
    budget -= d.length + 1;
  }
  return [...head, ...lead, ...kept, cutNote(details.length - kept.length, details.length), ...footer].join("\n");
}

const within = (report: Report) => (report.expiringWithinDays !== undefined ? ` within ${plural(report.expiringWithinDays, "day")}` : "");

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ");
}
