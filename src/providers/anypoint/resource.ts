// AnypointUser: one resource per person with an anypoint block — the master-org user and their
// roles and teams per business group.
import * as pulumi from "@pulumi/pulumi";
import { providerShim, ShimResource } from "../../pulumi/shim";
import { TYPE_MODULE } from "../../pulumi/resource-types";
import type { AnypointUserInputs } from "./types";

type Args<T> = { [K in keyof T]: pulumi.Input<T[K]> };

// One provider object, shared by every resource of the kind (serialized once).
const userProvider = providerShim("anypoint", "AnypointUser");

// The outputs the provider adds (userId, adopted, inviteId) are in the state but not declared here:
// each declared property costs the program a dozen promises per resource, and it reads none.
export class AnypointUser extends ShimResource {
  declare readonly username: pulumi.Output<string>;

  constructor(name: string, args: Args<AnypointUserInputs>, opts?: pulumi.CustomResourceOptions) {
    super(userProvider, name, { ...args }, opts, TYPE_MODULE, "AnypointUser");
  }
}
