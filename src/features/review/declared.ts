// What one version of users.yaml grants, one record per holder and grant. Read tolerantly from the
// parsed YAML (defaults applied as the loader applies them), because old versions in git history
// may not pass today's schema: the review must still say who held what back then. The current file
// is also validated by the real loader before a review (src/features/review/command.ts).
import { parse } from "yaml";

export type Platform = "Control Room" | "Anypoint";
export type GrantKind = "role" | "license" | "team";

/** One grant, as the platforms scope it. Teams live in the master organization: no business group. */
export interface Grant {
  platform: Platform;
  businessGroup: string;
  kind: GrantKind;
  name: string;
}

export interface DeclaredGrant extends Grant {
  /** ISO 8601 date from `expires:` on the grant, its business group, its platform block or the person (the earliest). */
  expires?: string;
}

export interface DeclaredPerson {
  key: string;
  email: string;
  protected: boolean;
  controlRoom?: { username: string; disabled: boolean };
  anypoint?: { username: string; disabled: boolean };
  grants: DeclaredGrant[];
}

/** A stable id for a grant, the same in every version of the file. */
export const grantId = (g: Grant): string => `${g.platform}|${g.businessGroup}|${g.kind}|${g.name}`;

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Raw) : undefined);
const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() ? v.trim() : v instanceof Date ? v.toISOString().slice(0, 10) : undefined;
const earliest = (...dates: (string | undefined)[]): string | undefined => dates.filter((d): d is string => !!d).sort()[0];

/** Names in a list whose items are names or `{name, expires}` entries (the shape a dated grant may take). */
function named(list: unknown): { name: string; expires?: string }[] {
  if (!Array.isArray(list)) return [];
  const out: { name: string; expires?: string }[] = [];
  for (const item of list) {
    const o = obj(item);
    const name = o ? str(o.name) : str(item);
    if (name) out.push({ name, ...(o && str(o.expires) ? { expires: str(o.expires) } : {}) });
  }
  return out;
}

/** The people and grants of a parsed users.yaml; entries without a key are skipped (they grant nothing anyone can name). */
export function declaredFrom(data: unknown): DeclaredPerson[] {
  const root = obj(data) ?? {};
  const defaults = obj(obj(root.defaults)?.controlRoom) ?? {};
  const people: DeclaredPerson[] = [];
  for (const entry of Array.isArray(root.users) ? root.users : []) {
    const p = obj(entry);
    const key = p && str(p.key);
    if (!p || !key) continue;
    const personExpires = str(p.expires);
    const person: DeclaredPerson = { key, email: (str(p.email) ?? "").toLowerCase(), protected: p.protected === true, grants: [] };
    const cr = obj(p.controlRoom);
    if (cr) {
      person.controlRoom = { username: str(cr.username) ?? key, disabled: (cr.disabled ?? defaults.disabled) === true };
      const blockExpires = earliest(personExpires, str(cr.expires));
      for (const [kind, list] of [
        ["role", cr.roles ?? defaults.roles],
        ["license", cr.licenses ?? defaults.licenses],
      ] as const) {
        for (const n of named(list))
          person.grants.push({
            platform: "Control Room",
            businessGroup: "",
            kind,
            name: kind === "license" ? n.name.toUpperCase() : n.name,
            ...dated(earliest(blockExpires, n.expires)),
          });
      }
    }
    const ap = obj(p.anypoint);
    const ausername = ap && str(ap.username);
    if (ap && ausername) {
      person.anypoint = { username: ausername, disabled: ap.disabled === true };
      const blockExpires = earliest(personExpires, str(ap.expires));
      for (const [group, access] of Object.entries(obj(ap.businessGroups) ?? {})) {
        const a = obj(access) ?? {};
        const groupExpires = earliest(blockExpires, str(a.expires));
        for (const n of named(a.roles))
          person.grants.push({
            platform: "Anypoint",
            businessGroup: group.trim(),
            kind: "role",
            name: n.name,
            ...dated(earliest(groupExpires, n.expires)),
          });
        for (const n of named(a.teams))
          person.grants.push({
            platform: "Anypoint",
            businessGroup: "",
            kind: "team",
            name: n.name,
            ...dated(earliest(groupExpires, n.expires)),
          });
      }
    }
    people.push(person);
  }
  return people;
}

const dated = (expires: string | undefined) => (expires ? { expires } : {});

/** declaredFrom for a file's text; throws on YAML that does not parse (the caller says which version). */
export function declaredFromText(text: string): DeclaredPerson[] {
  return declaredFrom(parse(text, { maxAliasCount: 5000 }));
}
