// Names in users.yaml that the platform does not know (a role that was renamed, a typo), found
// while the program runs — in `pulumi preview` too — and before any resource is registered, so a
// pull request with a typo fails its preview instead of its merge.
import type { UsersModel } from "../model/types";
import { UsersFileError, type Problem } from "../model/problems";
import { closestNames } from "../model/suggest";

export interface PlatformCatalog {
  /** Where the names were read, for the message. */
  source: string;
  controlRoomRoles?: string[];
}

export function unknownNameProblems(model: UsersModel, catalog: PlatformCatalog): Problem[] {
  const problems: Problem[] = [];
  const known = catalog.controlRoomRoles && new Set(catalog.controlRoomRoles);
  model.people.forEach((person, i) => {
    for (const role of person.controlRoom?.roles ?? []) {
      if (!known || known.has(role)) continue;
      const close = closestNames(role, catalog.controlRoomRoles!, 3);
      problems.push({
        file: person.source.file,
        line: person.source.line,
        column: person.source.column,
        path: `users[${i}].controlRoom.roles`,
        message: `${person.key}: Control Room has no role named '${role}' (roles read from ${catalog.source})`,
        hint: close.length ? `Did you mean ${close.map((c) => `'${c}'`).join(" or ")}? Role names are case-sensitive` : "Create the role in Control Room first, or fix the name",
      });
    }
  });
  return problems;
}

/** Throws a UsersFileError (nothing registered, nothing sent) when a name is unknown. */
export function assertKnownNames(model: UsersModel, catalog: PlatformCatalog): void {
  const problems = unknownNameProblems(model, catalog);
  if (problems.length) throw new UsersFileError(model.file, problems);
}
