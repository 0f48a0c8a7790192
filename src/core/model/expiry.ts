// `expires:` in users.yaml: on a person, on a business-group entry, and on a Control Room role or
// license written as {name, expires}. Read into Person.expiry, beside the memberships; what an
// expiry does is src/features/expiry's concern.
import { isCalendarDate } from "../util/calendar";
import type { Locator } from "./locate";
import { displayPath, type Problem } from "./problems";
import type { Expiry, ExpiryDate } from "./types";

/** A role or license: its name, or {name, expires}. */
export type RawGrant = string | { name: string; expires: string };

interface RawPerson {
  expires?: string;
  controlRoom?: { roles?: RawGrant[]; licenses?: RawGrant[] };
  anypoint?: { businessGroups?: Record<string, { expires?: string } | null> };
}

export const grantNames = (grants: RawGrant[]) => grants.map((g) => (typeof g === "string" ? g : g.name));

type Path = (string | number)[];

/** Every `expires:` of one entry, with its path in the document. */
function dates(raw: RawPerson, i: number): { path: Path; date: string; kind: keyof Expiry; name?: string }[] {
  const out: { path: Path; date: string; kind: keyof Expiry; name?: string }[] = [];
  if (typeof raw.expires === "string") out.push({ path: ["users", i, "expires"], date: raw.expires, kind: "person" });
  for (const [field, kind] of [
    ["roles", "controlRoomRoles"],
    ["licenses", "controlRoomLicenses"],
  ] as const) {
    (raw.controlRoom?.[field] ?? []).forEach((g, j) => {
      if (typeof g === "object" && g)
        out.push({ path: ["users", i, "controlRoom", field, j, "expires"], date: g.expires, kind, name: g.name.trim() });
    });
  }
  for (const [group, access] of Object.entries(raw.anypoint?.businessGroups ?? {})) {
    if (access && typeof access.expires === "string")
      out.push({
        path: ["users", i, "anypoint", "businessGroups", group, "expires"],
        date: access.expires,
        kind: "businessGroups",
        name: group.trim(),
      });
  }
  return out;
}

export function readExpiry(raw: RawPerson, i: number, file: string, locate: Locator): Expiry | undefined {
  const found = dates(raw, i);
  if (!found.length) return undefined;
  const expiry: Expiry = {};
  for (const d of found) {
    const at: ExpiryDate = { date: d.date, source: { file, ...locate.value(d.path) } };
    if (d.kind === "person") expiry.person = at;
    else (expiry[d.kind] ??= {})[d.name!] = at;
  }
  return expiry;
}

/** Dates that are not in the calendar, and a role or license listed twice when one says `expires:` (which one holds?). */
export function expiryProblems(users: RawPerson[], file: string, locate: Locator): Problem[] {
  const problems: Problem[] = [];
  users.forEach((raw, i) => {
    for (const d of dates(raw, i)) {
      if (!isCalendarDate(d.date))
        problems.push({
          file,
          path: displayPath(d.path),
          ...locate.value(d.path),
          message: `${JSON.stringify(d.date)} is not a date in the calendar`,
          hint: "Write a real day as YYYY-MM-DD, e.g. 2027-03-31",
        });
    }
    for (const field of ["roles", "licenses"] as const) {
      const grants = raw.controlRoom?.[field] ?? [];
      const names = grantNames(grants).map((n) => n.trim());
      grants.forEach((g, j) => {
        const first = names.indexOf(names[j]!);
        if (first === j || (typeof g === "string" && typeof grants[first] === "string")) return;
        const path = ["users", i, "controlRoom", field, j];
        const at = locate.value(["users", i, "controlRoom", field, first]);
        problems.push({
          file,
          path: displayPath(path),
          ...locate.value(path),
          message: `${JSON.stringify(names[j])} is listed twice (also at ${file}:${at.line}:${at.column}), with different expiries`,
          hint: `Keep one entry, with the expires: you mean`,
        });
      });
    }
  });
  return problems;
}
