// ControlRoomUser: one Control Room user, declared from a person's controlRoom block in users.yaml.
import * as pulumi from "@pulumi/pulumi";
import { providerShim, ShimResource } from "../../src/pulumi/shim";
import type { ControlRoomUserInputs } from "./provider";

export type ControlRoomUserArgs = { [K in keyof ControlRoomUserInputs]: pulumi.Input<ControlRoomUserInputs[K]> };

// Which installed provider every user's stored shim loads (src/pulumi/shim.ts).
const provider = providerShim("controlroom", "ControlRoomUser");

export class ControlRoomUser extends ShimResource {
  declare readonly username: pulumi.Output<string>;
  declare readonly email: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<number>;
  declare readonly roles: pulumi.Output<string[]>;
  declare readonly roleIds: pulumi.Output<number[]>;
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: ControlRoomUserArgs, opts?: pulumi.CustomResourceOptions) {
    // A fresh props object per resource: the base class writes __provider into it.
    super(provider, name, { ...args, userId: undefined, roleIds: undefined, adopted: undefined }, opts, "rollcall", "ControlRoomUser");
  }
}
