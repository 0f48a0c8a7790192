// From the validated model to ControlRoomUser resources: one per person with a controlRoom block.
import { ControlRoomUser } from "../../providers/controlroom/resource";
import type { Person, UsersModel } from "../../core/model/types";

/** protect/retainOnDelete per person and platform (src/features/safety/offboarding.ts userOptions). */
export type UserOptions = (person: Person, platform: "controlRoom" | "anypoint") => { protect: boolean; retainOnDelete?: boolean };

/** Declares them one at a time, as the caller pulls (src/pulumi/registration-window.ts). */
export function* controlRoomUsers(model: UsersModel, options: UserOptions = (p) => ({ protect: p.protected })): Generator<ControlRoomUser> {
  for (const person of model.people) {
    const cr = person.controlRoom;
    if (!cr) continue;
    yield new ControlRoomUser(
      person.key,
      {
        username: cr.username,
        email: person.email,
        firstName: person.firstName,
        lastName: person.lastName,
        description: cr.description,
        roles: cr.roles,
        licenseFeatures: cr.licenses,
        disabled: cr.disabled,
        ...(cr.previousEmail ? { previousEmail: cr.previousEmail } : {}),
      },
      // protect: removing a protected person fails at preview, before any call.
      // deleteBeforeReplace: a username can exist only once on a Control Room.
      { ...options(person, "controlRoom"), deleteBeforeReplace: true },
    );
  }
}
