// The report as Markdown (a pull-request comment, a job summary) and as plain text (a terminal).
// Order, for a reviewer: who loses access — a whole user (REMOVED) or part of it (Reduced) — the
// counts per platform and business group, warnings, then each person's changes as set changes
// (−role, +role). Within a size limit, the banner is capped (with "…and N more" and where the full
// list is) and the per-person details go first, with a note of how many were cut. Pure functions.
import type { Op, PersonChange } from "./changes";
import { lostAccess, type Report } from "./report";

/** GitHub refuses comments longer than 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** The hidden marker a workflow finds the previous comment by, to edit it in place. */
export const marker = (stack?: string) => `<!-- rollcall:report${stack ? ` stack=${stack}` : ""} -->`;
/** Banner entries shown per list (removed, reduced) before "…and N more". */
export const BANNER_CAP = 250;
/** Above this many people, the per-person details fold into <details>. */
export const FOLD_ABOVE = 10;
const WARNINGS_CAP = 40;
const TABLE_CAP = 100;

type Column = Op | "reduced";
const COLUMNS: Column[] = ["added", "adopted", "removed", "reduced", "changed"];

interface Row {
  place: string;
  counts: Record<Column, number>;
}

export interface Footer {
  version?: string;
  commit?: string;
  runUrl?: string;
}

export interface MarkdownOptions {
  /** Characters the whole body may have (default: GitHub's comment limit). */
  limit?: number;
  /** Entries per banner list before "…and N more" (default BANNER_CAP). */
  bannerCap?: number;
  /** Where whatever is capped or cut can be read in full (e.g. "the job summary"). */
  elsewhere?: string;
  footer?: Footer;
}

function summaryRows(report: Report): Row[] {
  const rows = new Map<string, Row>();
  const add = (place: string, col: Column) => {
    const row = rows.get(place) ?? { place, counts: { added: 0, adopted: 0, removed: 0, reduced: 0, changed: 0 } };
    row.counts[col] += 1;
    rows.set(place, row);
  };
  for (const c of report.changes)
    add(c.businessGroup ? `${c.platform} · ${c.businessGroup}` : c.platform, c.op === "changed" && lostAccess(c) ? "reduced" : c.op);
  return [...rows.values()].sort((a, b) => a.place.localeCompare(b.place));
}

function people(report: Report): string[][] {
  const byPerson = new Map<string, PersonChange[]>();
  for (const c of report.changes) byPerson.set(c.person, [...(byPerson.get(c.person) ?? []), c]);
  return [...byPerson.keys()].sort().map((p) => [p, ...byPerson.get(p)!.map(changeLine)]);
}

/** One change, its sets as −lost, +gained and its scalars as old → new. */
function changeLine(c: PersonChange): string {
  const where = c.businessGroup ? `${c.platform} \`${c.username}\` · ${c.businessGroup}` : `${c.platform} \`${c.username}\``;
  const fields = c.fields
    .map((f) =>
      f.lost || f.gained
        ? `${f.field}: ${[...(f.lost ?? []).map((x) => `−${x}`), ...(f.gained ?? []).map((x) => `+${x}`)].join(", ")}`
        : `${f.field}: ${f.before} → ${f.after}`,
    )
    .join("; ");
  return `${where}: ${c.op}${fields ? ` (${fields})` : ""}`;
}

function title(report: Report): string {
  const n = new Set(report.changes.map((c) => c.person)).size;
  const on = report.stack ? ` on ${report.stack}` : "";
  return n === 0 ? `rollcall${on}: no access changes` : `rollcall${on}: access changes for ${n} ${n === 1 ? "person" : "people"}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function warningsOf(report: Report, code: (s: string) => string): string[] {
  return [
    ...report.warnings,
    ...report.undeclared.map((u) => `${u.platform} user ${code(u.username)} is on the platform but not in users.yaml`),
    ...report.drift.map(
      (d) => `${d.platform} ${d.person} was changed outside rollcall (${d.fields.join(", ")}); this run puts users.yaml back`,
    ),
  ];
}

/** The first `cap` items, and a last line naming how many more there are and where. */
function capped(items: string[], cap: number, more: (n: number) => string): string[] {
  return items.length <= cap ? items : [...items.slice(0, cap), more(items.length - cap)];
}

function footerLine(report: Report, f: Footer = {}): string {
  const parts = [
    `rollcall${f.version ? ` ${f.version}` : ""}`,
    ...(report.stack ? [`stack \`${report.stack}\``] : []),
    ...(f.commit ? [`commit \`${f.commit.slice(0, 12)}\``] : []),
    ...(f.runUrl ? [`[run](${f.runUrl}): full report in its job summary and artifact`] : []),
    `${plural(report.unchanged, "resource")} unchanged`,
  ];
  return `<sub>${parts.join(" · ")}</sub>`;
}

/** Markdown for a pull-request comment (within `limit`) or a job summary (a larger limit, no cap). */
export function renderMarkdown(report: Report, options: MarkdownOptions | number = {}): string {
  const opts = typeof options === "number" ? { limit: options } : options;
  const limit = opts.limit ?? GITHUB_COMMENT_LIMIT;
  const elsewhere = opts.elsewhere ?? "`rollcall report` on the saved preview";
  const footer = ["", footerLine(report, opts.footer), ""];
  const head = (cap: number) => {
    const out: string[] = [marker(report.stack), `## ${title(report)}`, ""];
    if (report.errors.length)
      out.push(
        "> [!CAUTION]",
        "> **The preview failed — nothing can be applied until this is fixed:**",
        ...capped(
          report.errors.map((e) => `> - ${oneLine(e)}`),
          WARNINGS_CAP,
          (n) => `> - …and ${n} more, in ${elsewhere}`,
        ),
        "",
      );
    const more = (n: number) => `> - …and ${n} more, full list in ${elsewhere}`;
    const banner: string[] = [];
    if (report.removals.length) {
      banner.push(`> **Access will be REMOVED** for ${plural(report.removals.length, "person", "people")}:`);
      banner.push(
        ...capped(
          report.removals.map((r) => `> - **${r.person}**: ${r.where.join(", ")}`),
          cap,
          more,
        ),
      );
    }
    if (report.reductions.length) {
      if (banner.length) banner.push(">");
      banner.push(`> **Reduced for ${plural(report.reductions.length, "person", "people")}:**`);
      banner.push(
        ...capped(
          report.reductions.map((r) => `> - **${r.person}**: ${r.where.join("; ")}`),
          cap,
          more,
        ),
      );
    }
    if (banner.length) out.push("> [!CAUTION]", ...banner, "");
    const rows = summaryRows(report);
    if (rows.length) {
      out.push(
        `| Where | ${COLUMNS.map((c) => c[0]!.toUpperCase() + c.slice(1)).join(" | ")} |`,
        `|---|${COLUMNS.map(() => "---:").join("|")}|`,
      );
      out.push(
        ...capped(
          rows.map((r) => `| ${r.place} | ${COLUMNS.map((c) => r.counts[c]).join(" | ")} |`),
          TABLE_CAP,
          (n) => `| …and ${n} more places, in ${elsewhere} | ${COLUMNS.map(() => "").join(" | ")} |`,
        ),
        "",
      );
    }
    const warnings = warningsOf(report, (s) => `\`${s}\``);
    if (warnings.length)
      out.push(
        "> [!WARNING]",
        ...capped(
          warnings.map((w) => `> - ${oneLine(w)}`),
          WARNINGS_CAP,
          (n) => `> - …and ${n} more warnings, in ${elsewhere}`,
        ),
        "",
      );
    if (report.expiring.length) {
      out.push("> [!NOTE]", `> **Access expiring${within(report)}** — rollcall removes it on that date:`);
      out.push(
        ...capped(
          report.expiring.map((e) => `> - **${e.person}**: ${e.grant}, expires ${e.expires}`),
          cap,
          more,
        ),
        "",
      );
    }
    return out;
  };
  // The banner shrinks (never below a line per list with its "…and N more") until head + footer fit.
  let cap = opts.bannerCap ?? BANNER_CAP;
  let fixed = head(cap);
  while (cap > 0 && size(fixed) + size(footer) + 200 > limit) fixed = head((cap = Math.floor(cap / 2)));

  const details = people(report).map(([p, ...lines]) => [`- **${p}**`, ...lines.map((l) => `  - ${l}`)].join("\n"));
  const fold = details.length > FOLD_ABOVE;
  const open = details.length
    ? fold
      ? [`<details><summary>Per person (${plural(details.length, "person", "people")})</summary>`, ""]
      : ["### Per person", ""]
    : [];
  const close = fold ? ["", "</details>"] : [];
  const cutNote = (cut: number, total: number) =>
    `\n_… ${plural(cut, "more person's", "more people's")} details (of ${total}) cut to stay under ` +
    `${limit === GITHUB_COMMENT_LIMIT ? "GitHub's 65,536-character comment limit" : `${limit.toLocaleString("en-US")} characters`}` +
    `; the full report is in ${elsewhere}._`;
  return fit([...fixed, ...open], details, [...close, ...footer], limit, cutNote);
}

export function renderText(report: Report): string {
  const out: string[] = [title(report), ""];
  if (report.errors.length) out.push("PREVIEW FAILED:", ...report.errors.map((e) => `  ${oneLine(e)}`), "");
  if (report.removals.length) {
    out.push(`!! ACCESS WILL BE REMOVED for ${plural(report.removals.length, "person", "people")}:`);
    for (const r of report.removals) out.push(`  - ${r.person}: ${r.where.join(", ").replace(/`/g, "")}`);
    out.push("");
  }
  if (report.reductions.length) {
    out.push(`!! Reduced for ${plural(report.reductions.length, "person", "people")}:`);
    for (const r of report.reductions) out.push(`  - ${r.person}: ${r.where.join("; ")}`);
    out.push("");
  }
  const rows = summaryRows(report);
  if (rows.length) {
    const w = Math.max(5, ...rows.map((r) => r.place.length));
    out.push(`${"Where".padEnd(w)}  added adopted removed reduced changed`);
    for (const r of rows)
      out.push(`${r.place.padEnd(w)}  ${COLUMNS.map((c, i) => String(r.counts[c]).padStart([5, 7, 7, 7, 7][i]!)).join(" ")}`);
    out.push("");
  }
  const warnings = warningsOf(report, (s) => s);
  if (warnings.length) out.push("Warnings:", ...warnings.map((w) => `  - ${oneLine(w)}`), "");
  if (report.expiring.length)
    out.push(
      `Access expiring${within(report)} (rollcall removes it on that date):`,
      ...report.expiring.map((e) => `  - ${e.person}: ${e.grant}, expires ${e.expires}`),
      "",
    );
  for (const [p, ...lines] of people(report)) out.push(p, ...lines.map((l) => `  ${l.replace(/`/g, "")}`));
  return `${out.join("\n").trimEnd()}\n`;
}

const size = (lines: string[]) => lines.join("\n").length + 1;

/** head and tail always; then as many detail blocks as fit, and a line saying how many did not. */
function fit(head: string[], details: string[], tail: string[], limit: number, cutNote: (cut: number, total: number) => string): string {
  const whole = [...head, ...details, ...tail].join("\n");
  if (whole.length <= limit) return whole;
  let budget = limit - size(head) - size(tail) - cutNote(details.length, details.length).length - 1;
  const kept: string[] = [];
  for (const d of details) {
    if (d.length + 1 > budget) break;
    kept.push(d);
    budget -= d.length + 1;
  }
  return [...head, ...kept, cutNote(details.length - kept.length, details.length), ...tail].join("\n");
}

const within = (report: Report) => (report.expiringWithinDays !== undefined ? ` within ${plural(report.expiringWithinDays, "day")}` : "");

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ");
}
