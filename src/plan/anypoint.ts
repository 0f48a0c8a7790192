// From the validated model to Anypoint resources: a user per person with an anypoint block, and
// their access per declared business group. The access resources take the user's id as input, so
// the engine creates the user first; removing one business group removes the person's permissions
// there, and removing the person is the master-org deletion alone (never a call to a user already
// gone, never a DELETE on a business-group path).
import { AnypointBusinessGroupAccess, AnypointUser } from "../../providers/anypoint/resource";
import type { UsersModel } from "../model/types";
import type { UserOptions } from "./controlroom";

export interface AnypointDeclaration {
  users: AnypointUser[];
  access: AnypointBusinessGroupAccess[];
}

export function declareAnypoint(model: UsersModel, options: UserOptions = (p) => ({ protect: p.protected })): AnypointDeclaration {
  const users: AnypointUser[] = [];
  const access: AnypointBusinessGroupAccess[] = [];
  for (const person of model.people) {
    if (!person.anypoint) continue;
    // protect, and retainOnDelete for a user being unmanaged (its access goes with it).
    const rails = options(person, "anypoint");
    const user = new AnypointUser(
      person.key,
      { username: person.anypoint.username, email: person.email, firstName: person.firstName, lastName: person.lastName, enabled: !person.anypoint.disabled },
      // Usernames are never reusable on Anypoint: a username change deletes the old user first.
      { ...rails, deleteBeforeReplace: true },
    );
    users.push(user);
    for (const [group, grant] of Object.entries(person.anypoint.businessGroups)) {
      access.push(
        new AnypointBusinessGroupAccess(
          `${person.key}@${group}`,
          { username: person.anypoint.username, userId: user.userId, businessGroup: group, roles: grant.roles, teams: grant.teams },
          // deletedWith: when the whole person goes, the master-org deletion removes every
          // permission, so the engine skips these deletes (no call to a business-group path).
          { ...rails, deleteBeforeReplace: true, deletedWith: user },
        ),
      );
    }
  }
  return { users, access };
}
