// Names in users.yaml that the platform does not know (a role that was renamed, a typo), found
// while the program runs — in `pulumi preview` too — and before any resource is registered, so a
// pull request with a typo fails its preview instead of its merge.
import type { UsersModel } from "../../core/model/types";
import { UsersFileError, type Problem } from "../../core/model/problems";
import { closestNames } from "../../core/model/suggest";

export interface PlatformCatalog {
  /** Where the names were read, for the message. */
  source: string;
  controlRoomRoles?: string[];
  anypointBusinessGroups?: string[];
  anypointRoles?: string[];
  anypointTeams?: string[];
  /**
   * The master organization's name, and the Anypoint user rollcall signs in as (none for a connected app): for the protected-identity rail.
   */
  anypointMaster?: string;
  anypointLogin?: string;
}

export function unknownNameProblems(model: UsersModel, catalog: PlatformCatalog): Problem[] {
  const problems: Problem[] = [];
  model.people.forEach((person, i) => {
    const check = (names: string[], known: string[] | undefined, what: string, path: string) => {
      if (!known) return;
      const set = new Set(known);
      for (const name of names) {
        if (set.has(name)) continue;
        const close = closestNames(name, known, 3);
        problems.push({
          file: person.source.file,
          line: person.source.line,
          column: person.source.column,
          path,
          message: `${person.key}: ${what} named '${name}' (names read from ${catalog.source})`,
          hint: close.length
            ? `Did you mean ${close.map((c) => `'${c}'`).join(" or ")}? Names are case-sensitive`
            : "Create it on the platform first, or fix the name",
        });
      }
    };
    check(person.controlRoom?.roles ?? [], catalog.controlRoomRoles, "Control Room has no role", `users[${i}].controlRoom.roles`);
    for (const [group, grant] of Object.entries(person.anypoint?.businessGroups ?? {})) {
      const path = `users[${i}].anypoint.businessGroups.${group}`;
      check([group], catalog.anypointBusinessGroups, "Anypoint has no business group", path);
      check(grant.roles, catalog.anypointRoles, "Anypoint has no role", `${path}.roles`);
      check(grant.teams, catalog.anypointTeams, "Anypoint has no team", `${path}.teams`);
    }
  });
  return problems;
}

/** Throws a UsersFileError (nothing registered, nothing sent) when a name is unknown. */
export function assertKnownNames(model: UsersModel, catalog: PlatformCatalog): void {
  const problems = unknownNameProblems(model, catalog);
  if (problems.length) throw new UsersFileError(model.file, problems);
}
