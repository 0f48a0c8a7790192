// The retired AnypointBusinessGroupAccess kind (one resource per person × business group, before
// access was folded into AnypointUser). No program declares it any more; its provider stays so that
// a stack deployed with the old model migrates without a single call: when the engine deletes the
// old resource, the person's AnypointUser has taken the access over in the same run, so the delete
// takes nothing away. Only a business group the person no longer has is really removed.
import type * as pulumi from "@pulumi/pulumi";
import type { ShimTarget } from "../../pulumi/shim";
import { leaveTeams } from "./grants";
import { session } from "./session";
import type { BusinessGroupAccessOutputs } from "./types";

const RETIRED =
  "AnypointBusinessGroupAccess is retired: business-group access is declared on AnypointUser (rebuild with `npx tsc` and run " +
  "the current program).";

export class BusinessGroupAccessProvider implements ShimTarget {
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    session.configure((k) => req.config.get(k));
  }

  async diff(): Promise<pulumi.dynamic.DiffResult> {
    return { changes: false };
  }

  async create(): Promise<pulumi.dynamic.CreateResult> {
    throw new Error(RETIRED);
  }

  /** Left as stored: the AnypointUser of the same person reads the live access. */
  async read(id: string, props: BusinessGroupAccessOutputs): Promise<pulumi.dynamic.ReadResult> {
    return { id, props };
  }

  async update(): Promise<pulumi.dynamic.UpdateResult> {
    throw new Error(RETIRED);
  }

  async delete(_id: string, props: BusinessGroupAccessOutputs): Promise<void> {
    if (!props.userId) return; // never granted: the person had not joined
    const carried = session.carriedGroups(props.userId);
    if (carried?.has(props.businessGroup)) return; // migrated: the AnypointUser holds this access now
    if (!carried) {
      // Fail closed: without the person's AnypointUser in this run, removing could take away access users.yaml still declares.
      throw new Error(
        `Anypoint user '${props.username}': kept their access in business group '${props.businessGroup}' (state of the old ` +
          `AnypointBusinessGroupAccess model) because their AnypointUser was not reconciled in this run. Run pulumi up again; if ` +
          `the person is no longer in users.yaml, remove them there in the same run.`,
      );
    }
    // The person stays but this business group was dropped in the same change as the upgrade.
    await session.removeFromBusinessGroup(props.businessGroupId, props.userId);
    await leaveTeams({ username: props.username, userId: props.userId }, props.teams);
  }
}
