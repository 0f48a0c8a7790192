// The review as Markdown for a human: per platform, one table per grant (business group, role,
// team, license) listing who holds it, since when, by which change, expiry, last sign-in and flags,
// after a summary of the flags. Pure; the same rows give the same bytes.
import { grantLabel, type Flag, type Holding } from "./holders";
import type { ReviewMeta } from "./render-json";

const FLAG_TEXT: Record<Flag, string> = {
  "never-logged-in": "never logged in",
  inactive: "inactive",
  expired: "expired",
  "expiring-soon": "expiring soon",
  undeclared: "held but not declared",
  disabled: "declared but disabled",
  "not-on-platform": "declared but not on the platform",
  "rollcall-login": "rollcall's own login",
};

/** Table cells: a pipe or a line break in a platform's name must not break the table. */
const esc = (s: string) =>
  s
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/[\r\n]+/g, " ");
const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : "—");

export function renderMarkdown(rows: Holding[], meta: ReviewMeta): string {
  const out: string[] = [];
  out.push(`# Access review${meta.stack ? `: ${esc(meta.stack)}` : ""}`, "");
  out.push(
    `${meta.asOf ? `As of ${meta.asOf}. ` : ""}Inactive: no sign-in for more than ${meta.settings.inactiveDays} days. Expiring ` +
      `soon: within ${meta.settings.expiringDays} days. "Since" and "change" come from the git history of users.yaml; "unknown" ` +
      `sign-ins are platforms whose records do not carry them.`,
    "",
  );
  const counts = new Map<Flag, number>();
  for (const r of rows) for (const f of r.flags) counts.set(f, (counts.get(f) ?? 0) + 1);
  out.push(`${rows.length} holdings of ${new Set(rows.map((r) => `${r.platform}|${r.username.toLowerCase()}`)).size} platform users.`);
  for (const [flag, text] of Object.entries(FLAG_TEXT) as [Flag, string][])
    if (counts.get(flag)) out.push(`- ${text}: ${counts.get(flag)}`);
  out.push("");
  for (const note of meta.notes) out.push(`> ${esc(note)}`, "");

  let platform = "";
  let grant = "";
  for (const r of rows) {
    if (r.platform !== platform) {
      if (grant) out.push("");
      platform = r.platform;
      grant = "";
      out.push(`## ${platform}`, "");
    }
    const label = grantLabel(r);
    if (label !== grant) {
      if (grant) out.push("");
      grant = label;
      out.push(
        `### ${esc(label)}`,
        "",
        "| holder | person | since | change | expires | last sign-in | flags |",
        "|---|---|---|---|---|---|---|",
      );
    }
    const change = r.commit ? `${r.commit.slice(0, 12)}${r.pr !== undefined ? ` (#${r.pr})` : ""}` : "—";
    out.push(
      `| ${esc(r.username)} | ${r.person ? esc(r.person) : "—"} | ${day(r.since)} | ${change} | ` +
        `${r.expires ? esc(r.expires) : "—"} | ` +
        `${r.lastLogin === "never" || r.lastLogin === "unknown" ? r.lastLogin : day(r.lastLogin)} | ` +
        `${r.flags.map((f) => FLAG_TEXT[f]).join(", ") || "—"} |`,
    );
  }
  if (grant) out.push("");
  return `${out.join("\n")}`;
}
