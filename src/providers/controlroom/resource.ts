// ControlRoomUser: one Control Room user, declared from a person's controlRoom block in users.yaml.
import * as pulumi from "@pulumi/pulumi";
import { providerShim, ShimResource } from "../../pulumi/shim";
import { TYPE_MODULE } from "../../pulumi/resource-types";
import type { ControlRoomUserInputs } from "./user-provider";

export type ControlRoomUserArgs = { [K in keyof ControlRoomUserInputs]: pulumi.Input<ControlRoomUserInputs[K]> };

// Which installed provider every user's stored shim loads (src/pulumi/shim.ts).
const provider = providerShim("controlroom", "ControlRoomUser");

// The outputs the provider adds (userId, roleIds, adopted) are in the state but not declared here:
// each declared property costs the program a dozen promises per resource, and it reads none.
export class ControlRoomUser extends ShimResource {
  declare readonly username: pulumi.Output<string>;
  declare readonly email: pulumi.Output<string>;
  declare readonly roles: pulumi.Output<string[]>;

  constructor(name: string, args: ControlRoomUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args }, opts, TYPE_MODULE, "ControlRoomUser");
  }
}
