// From `expires:` to the model the program declares: on and after its date (in the stack's time
// zone), an expired grant is taken out of the model exactly as if it had been deleted from
// users.yaml, so offboarding, the removal limits, the protections and the report treat it as that
// removal — nothing here decides how access ends. Pure: the date is passed in (src/features/expiry/clock.ts).
//
// - a person: the entry is left out (their users leave through rollcall:offboarding). An entry that
//   already says `offboard:` is leaving its own way and is kept.
// - a Control Room role or license, an Anypoint business group: left out of the membership.
// - every role of a Control Room user, or every business group of an Anypoint user: the user is
//   left out (users.yaml cannot declare a user with none; the file's equivalent is deleting the block).
import type { Person, UsersModel } from "../../core/model/types";

export type Grant = "person" | "user" | "role" | "license" | "businessGroup";

export interface ExpiredAccess {
  person: string;
  grant: Grant;
  platform?: "controlRoom" | "anypoint";
  /** The role, license or business group. */
  name?: string;
  /** YYYY-MM-DD: the date it ended. */
  expires: string;
}

export type ExpiringAccess = ExpiredAccess;

const isDue = (date: string, today: string) => date <= today;

export function applyExpiry(model: UsersModel, today: string): { model: UsersModel; expired: ExpiredAccess[] } {
  const expired: ExpiredAccess[] = [];
  const people: Person[] = [];
  for (const person of model.people) {
    const e = person.expiry;
    if (!e || person.offboard) {
      people.push(person);
      continue;
    }
    if (e.person && isDue(e.person.date, today)) {
      expired.push({ person: person.key, grant: "person", expires: e.person.date });
      continue;
    }
    const next: Person = { ...person };
    const cr = person.controlRoom;
    if (cr) {
      const gone = (map: Record<string, { date: string }> | undefined, names: string[], grant: "role" | "license") =>
        names.filter((name) => {
          const date = map?.[name]?.date;
          if (date === undefined || !isDue(date, today)) return false;
          expired.push({ person: person.key, grant, platform: "controlRoom", name, expires: date });
          return true;
        });
      const roles = gone(e.controlRoomRoles, cr.roles, "role");
      const licenses = gone(e.controlRoomLicenses, cr.licenses, "license");
      if (roles.length === cr.roles.length && roles.length) {
        delete next.controlRoom;
        expired.push({
          person: person.key,
          grant: "user",
          platform: "controlRoom",
          expires: latest(roles.map((r) => e.controlRoomRoles![r]!.date)),
        });
      } else if (roles.length || licenses.length)
        next.controlRoom = {
          ...cr,
          roles: cr.roles.filter((r) => !roles.includes(r)),
          licenses: cr.licenses.filter((l) => !licenses.includes(l)),
        };
    }
    const ap = person.anypoint;
    if (ap) {
      const groups = Object.keys(ap.businessGroups).filter((g) => {
        const date = e.businessGroups?.[g]?.date;
        if (date === undefined || !isDue(date, today)) return false;
        expired.push({ person: person.key, grant: "businessGroup", platform: "anypoint", name: g, expires: date });
        return true;
      });
      if (groups.length === Object.keys(ap.businessGroups).length && groups.length) {
        delete next.anypoint;
        expired.push({
          person: person.key,
          grant: "user",
          platform: "anypoint",
          expires: latest(groups.map((g) => e.businessGroups![g]!.date)),
        });
      } else if (groups.length)
        next.anypoint = {
          ...ap,
          businessGroups: Object.fromEntries(Object.entries(ap.businessGroups).filter(([g]) => !groups.includes(g))),
        };
    }
    people.push(next);
  }
  return { model: { ...model, people }, expired };
}

/** Access that ends after today and within `days` days, person by person (the people declared now). */
export function expiringWithin(model: UsersModel, today: string, lastDay: string): ExpiringAccess[] {
  const out: ExpiringAccess[] = [];
  const soon = (date: string | undefined) => date !== undefined && date > today && date <= lastDay;
  for (const p of model.people) {
    const e = p.expiry;
    if (!e || p.offboard) continue;
    if (soon(e.person?.date) && (p.controlRoom || p.anypoint)) out.push({ person: p.key, grant: "person", expires: e.person!.date });
    for (const role of p.controlRoom?.roles ?? [])
      if (soon(e.controlRoomRoles?.[role]?.date))
        out.push({ person: p.key, grant: "role", platform: "controlRoom", name: role, expires: e.controlRoomRoles![role]!.date });
    for (const lic of p.controlRoom?.licenses ?? [])
      if (soon(e.controlRoomLicenses?.[lic]?.date))
        out.push({ person: p.key, grant: "license", platform: "controlRoom", name: lic, expires: e.controlRoomLicenses![lic]!.date });
    for (const group of Object.keys(p.anypoint?.businessGroups ?? {}))
      if (soon(e.businessGroups?.[group]?.date))
        out.push({ person: p.key, grant: "businessGroup", platform: "anypoint", name: group, expires: e.businessGroups![group]!.date });
  }
  return out.sort((a, b) => a.expires.localeCompare(b.expires) || a.person.localeCompare(b.person));
}

/** A grant in words: "Control Room role 'Bot Runner'", "Anypoint business group 'Sales'", "all access". */
export function describeGrant(a: Pick<ExpiredAccess, "grant" | "platform" | "name">): string {
  const platform = a.platform === "anypoint" ? "Anypoint" : "Control Room";
  switch (a.grant) {
    case "person":
      return "all access";
    case "user":
      return `${platform} user`;
    case "businessGroup":
      return `Anypoint business group '${a.name}'`;
    default:
      return `${platform} ${a.grant} '${a.name}'`;
  }
}

const latest = (dates: string[]) => [...dates].sort().at(-1)!;
