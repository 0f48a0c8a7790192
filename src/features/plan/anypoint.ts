// From the validated model to Anypoint resources: one AnypointUser per person with an anypoint
// block, carrying their roles and teams per declared business group. Removing one business group
// removes the person's permissions there; removing the person is the master-org deletion alone
// (never a DELETE on a business-group path).
import { AnypointUser } from "../../providers/anypoint/resource";
import type { UsersModel } from "../../core/model/types";
import type { UserOptions } from "./controlroom";

/** Declares them one at a time, as the caller pulls (src/pulumi/registration-window.ts). */
export function* anypointUsers(model: UsersModel, options: UserOptions = (p) => ({ protect: p.protected })): Generator<AnypointUser> {
  for (const person of model.people) {
    if (!person.anypoint) continue;
    // protect, and retainOnDelete for a user being unmanaged (its access goes with it).
    const rails = options(person, "anypoint");
    const businessGroups = Object.fromEntries(
      Object.entries(person.anypoint.businessGroups).map(([group, grant]) => [group, { roles: grant.roles, teams: grant.teams }]),
    );
    yield new AnypointUser(
      person.key,
      {
        username: person.anypoint.username,
        email: person.email,
        firstName: person.firstName,
        lastName: person.lastName,
        enabled: !person.anypoint.disabled,
        businessGroups,
        ...(person.anypoint.previousEmail ? { previousEmail: person.anypoint.previousEmail } : {}),
      },
      // Usernames are never reusable on Anypoint: a username change deletes the old user first.
      { ...rails, deleteBeforeReplace: true },
    );
  }
}
