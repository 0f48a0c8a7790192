// The review as CSV for an auditor's spreadsheet: a fixed header, one row per holder and grant
// (RFC 4180 quoting, CRLF line ends). A cell a spreadsheet would run as a formula (it starts with
// = + - @, tab or carriage return: usernames and names come from the platforms) is prefixed with
// an apostrophe, OWASP's advice: https://owasp.org/www-community/attacks/CSV_Injection
import type { Holding } from "./holders";

export const CSV_HEADER = [
  "platform",
  "business_group",
  "kind",
  "grant",
  "username",
  "person",
  "email",
  "since",
  "commit",
  "pull_request",
  "expires",
  "last_login",
  "flags",
] as const;

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderCsv(rows: Holding[]): string {
  const lines = [CSV_HEADER.join(",")];
  for (const h of rows) {
    const values = [
      h.platform,
      h.businessGroup,
      h.kind,
      h.name,
      h.username,
      h.person ?? "",
      h.email ?? "",
      h.since ?? "",
      h.commit ?? "",
      h.pr === undefined ? "" : String(h.pr),
      h.expires ?? "",
      h.lastLogin,
      h.flags.join(";"),
    ];
    lines.push(values.map(cell).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
