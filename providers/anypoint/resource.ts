// AnypointUser (one per person with an anypoint block) and AnypointBusinessGroupAccess (one per
// person × business group they are declared in).
import * as pulumi from "@pulumi/pulumi";
import { providerShim, ShimResource } from "../../src/pulumi/shim";
import type { AnypointUserInputs, BusinessGroupAccessInputs } from "./types";

type Args<T> = { [K in keyof T]: pulumi.Input<T[K]> };

// Which installed provider each kind's stored shim loads (src/pulumi/shim.ts).
const userProvider = providerShim("anypoint", "AnypointUser");
const accessProvider = providerShim("anypoint", "AnypointBusinessGroupAccess");

export class AnypointUser extends ShimResource {
  declare readonly username: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: Args<AnypointUserInputs>, opts?: pulumi.CustomResourceOptions) {
    super(userProvider, name, { ...args, userId: undefined, adopted: undefined }, opts, "rollcall", "AnypointUser");
  }
}

export class AnypointBusinessGroupAccess extends ShimResource {
  declare readonly businessGroup: pulumi.Output<string>;
  declare readonly businessGroupId: pulumi.Output<string>;
  declare readonly roles: pulumi.Output<string[]>;
  declare readonly teams: pulumi.Output<string[]>;

  constructor(name: string, args: Args<BusinessGroupAccessInputs>, opts?: pulumi.CustomResourceOptions) {
    super(accessProvider, name, { ...args, businessGroupId: undefined }, opts, "rollcall", "AnypointBusinessGroupAccess");
  }
}
