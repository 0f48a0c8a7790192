// From the validated model to ControlRoomUser resources: one per person with a controlRoom block.
import { ControlRoomUser } from "../../providers/controlroom/resource";
import type { UsersModel } from "../model/types";

export function declareControlRoomUsers(model: UsersModel): ControlRoomUser[] {
  return model.people
    .filter((p) => p.controlRoom)
    .map((person) => {
      const cr = person.controlRoom!;
      return new ControlRoomUser(
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
        { protect: person.protected, deleteBeforeReplace: true },
      );
    });
}
