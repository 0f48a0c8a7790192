// users.yaml text for an export: fixed field order, one line per list, code-point order
// everywhere, no dates or counts that change between runs, so re-exporting an unchanged
// organization gives the same bytes and a changed one a diff of just the people who changed.
import type { ExportPlan } from "./people";

export const SCHEMA_HEADER = "# yaml-language-server: $schema=./schema/users.schema.json";

const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~|[-+]?(\.?\d.*|\.inf|\.nan))$/i;

/** A YAML scalar: plain when unambiguous, otherwise double-quoted (JSON strings are valid YAML, non-ASCII kept as is). */
export function scalar(s: string): string {
  const plain =
    /^[A-Za-z0-9À-\uFFFF][A-Za-z0-9À-\uFFFF ._@\\/()'&+-]*$/u.test(s) && !/\s$/.test(s) && !RESERVED.test(s) && !/ #|: /.test(s);
  return plain ? s : JSON.stringify(s);
}

/** A platform's text on one comment line: control characters (a newline would end the comment) escaped as in JSON. */
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));

const list = (xs: string[]) => `[${xs.map(scalar).join(", ")}]`;

export function renderUsersYaml(plan: ExportPlan, platforms: string[]): string {
  const out: string[] = [
    SCHEMA_HEADER,
    `# Exported by \`rollcall export\` from ${platforms.join(" and ")}. Review it before the first pulumi up:`,
    "# applied as it is, it changes nothing (the first up adopts every user). Keys come from the email;",
    "# rename one now if you like, never after the first up (a new key is a removal and an addition).",
    "# Lines marked GUESSED are where the export had to choose.",
    "version: 1",
    "users:",
  ];
  for (const e of plan.entries) {
    for (const c of e.comments) out.push(`  # ${oneLine(c)}`);
    out.push(
      `  - key: ${scalar(e.key)}`,
      `    email: ${scalar(e.email)}`,
      `    firstName: ${scalar(e.firstName)}`,
      `    lastName: ${scalar(e.lastName)}`,
    );
    if (e.protected) out.push("    protected: true");
    if (e.controlRoom) {
      const cr = e.controlRoom;
      out.push("    controlRoom:", `      username: ${scalar(cr.username)}`, `      roles: ${list(cr.roles)}`);
      if (cr.licenses.length) out.push(`      licenses: ${list(cr.licenses)}`);
      if (cr.disabled) out.push("      disabled: true");
      if (cr.description) out.push(`      description: ${scalar(cr.description)}`);
    }
    if (e.anypoint) {
      const ap = e.anypoint;
      out.push("    anypoint:", `      username: ${scalar(ap.username)}`);
      if (ap.disabled) out.push("      disabled: true");
      out.push("      businessGroups:");
      for (const [group, access] of Object.entries(ap.businessGroups)) {
        out.push(`        ${scalar(group)}:`);
        if (access.roles.length) out.push(`          roles: ${list(access.roles)}`);
        if (access.teams.length) out.push(`          teams: ${list(access.teams)}`);
      }
    }
  }
  if (plan.leftOut.length) {
    out.push("", "# Not exported (each is on the platform but not in this file; rollcall leaves them alone):");
    for (const l of plan.leftOut) out.push(`#   ${l.platform} user '${oneLine(l.username)}': ${oneLine(l.reason)}.`);
  }
  return `${out.join("\n")}\n`;
}
