// What `rollcall validate` says about expiry dates that are not errors: a date that has come (the
// access is already treated as removed; the entry should go), and an expiry on a protected person
// (on that date every run of the stack refuses, as removing them would).
import { formatProblem, type Problem } from "../../core/model/problems";
import type { ExpiryDate, UsersModel } from "../../core/model/types";
import { describeGrant, type Grant } from "./apply";

export function expiryWarnings(model: UsersModel, today: string): Problem[] {
  const out: Problem[] = [];
  for (const p of model.people) {
    const e = p.expiry;
    if (!e) continue;
    const dates: [ExpiryDate, Grant, ("controlRoom" | "anypoint")?, string?][] = [
      ...(e.person ? [[e.person, "person"] as [ExpiryDate, Grant]] : []),
      ...Object.entries(e.controlRoomRoles ?? {}).map(
        ([n, d]) => [d, "role", "controlRoom", n] as [ExpiryDate, Grant, "controlRoom", string],
      ),
      ...Object.entries(e.controlRoomLicenses ?? {}).map(
        ([n, d]) => [d, "license", "controlRoom", n] as [ExpiryDate, Grant, "controlRoom", string],
      ),
      ...Object.entries(e.businessGroups ?? {}).map(
        ([n, d]) => [d, "businessGroup", "anypoint", n] as [ExpiryDate, Grant, "anypoint", string],
      ),
    ];
    for (const [d, grant, platform, name] of dates) {
      if (d.date <= today) {
        out.push({
          ...d.source,
          path: "",
          message:
            `${p.key}'s ${describeGrant({ grant, platform, name })} expired on ${d.date}: rollcall removes it as if it were ` +
            `deleted here`,
          hint: "Delete it from the file (rollcall expire --prune does)",
        });
      }
    }
    if (e.person && p.protected)
      out.push({
        ...e.person.source,
        path: "",
        message:
          `${p.key} is protected and expires on ${e.person.date}: from that date every run of the stack refuses, as removing a ` +
          `protected person does`,
        hint: "Remove protected: true before that date, or remove the expiry",
      });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

export const formatWarning = (p: Problem) => `warning: ${formatProblem(p)}`;
