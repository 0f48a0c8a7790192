// The Anypoint providers the serialized shim loads (dist/providers/anypoint/provider.js), by
// resource kind. The platform's rules, as the seed article states them:
// - users are deleted only from the master organization, and deleting removes the membership,
//   not the account; removals arriving together are sent as bulk deletes;
// - in a business group, removing a user means removing all of their permissions there;
// - usernames are never reusable, even after deletion.
import type { ShimTarget } from "../../pulumi/shim";
import { auditedProviders } from "../../features/audit/context";
import { printedOnce } from "../../pulumi/provider-errors";
import { handingOver } from "../../features/split/handover";
import { BusinessGroupAccessProvider } from "./access-provider";
import { AnypointUserProvider } from "./user-provider";

export type {
  AnypointUserInputs,
  AnypointUserOutputs,
  BusinessGroupAccessInputs,
  BusinessGroupAccessOutputs,
  BusinessGroupGrant,
} from "./types";
export { AnypointUserProvider, BusinessGroupAccessProvider };

// handingOver: a user another stack's share now declares is forgotten here, not deleted (src/features/split).
export const providers: Record<string, ShimTarget> = printedOnce(
  auditedProviders(
    "Anypoint",
    handingOver("anypoint", {
      AnypointUser: new AnypointUserProvider(),
      // Retired kind: kept so stacks deployed with the old model migrate without a call.
      AnypointBusinessGroupAccess: new BusinessGroupAccessProvider(),
    }),
  ),
);
