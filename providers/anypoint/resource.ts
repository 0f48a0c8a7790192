// AnypointUser: one resource per person with an anypoint block — the master-org user and their
// roles and teams per business group.
import * as pulumi from "@pulumi/pulumi";
import { providerShim, ShimResource } from "../../src/pulumi/shim";
import type { AnypointUserInputs } from "./types";

type Args<T> = { [K in keyof T]: pulumi.Input<T[K]> };

// One provider object, shared by every resource of the kind (serialized once).
const userProvider = providerShim("anypoint", "AnypointUser");

export class AnypointUser extends ShimResource {
  declare readonly username: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: Args<AnypointUserInputs>, opts?: pulumi.CustomResourceOptions) {
    super(userProvider, name, { ...args, userId: undefined, adopted: undefined }, opts, "rollcall", "AnypointUser");
  }
}
