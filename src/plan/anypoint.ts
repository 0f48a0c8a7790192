// From the validated model to Anypoint resources: one AnypointUser per person with an anypoint
// block, carrying their roles and teams per declared business group. Removing one business group
// removes the person's permissions there; removing the person is the master-org deletion alone
// (never a DELETE on a business-group path).
import { AnypointUser } from "../../providers/anypoint/resource";
import type { UsersModel } from "../model/types";

export interface AnypointDeclaration {
  users: AnypointUser[];
}

export function declareAnypoint(model: UsersModel): AnypointDeclaration {
  const users: AnypointUser[] = [];
  for (const person of model.people) {
    if (!person.anypoint) continue;
    const businessGroups = Object.fromEntries(Object.entries(person.anypoint.businessGroups).map(([group, grant]) => [group, { roles: grant.roles, teams: grant.teams }]));
    users.push(
      new AnypointUser(
        person.key,
        { username: person.anypoint.username, email: person.email, firstName: person.firstName, lastName: person.lastName, enabled: !person.anypoint.disabled, businessGroups },
        // Usernames are never reusable on Anypoint: a username change deletes the old user first.
        { protect: person.protected, deleteBeforeReplace: true },
      ),
    );
  }
  return { users };
}
