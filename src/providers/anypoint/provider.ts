// The Anypoint providers the serialized shim loads (dist/providers/anypoint/provider.js), by
// resource kind. The platform's rules, as the seed article states them:
// - users are deleted only from the master organization, and deleting removes the membership,
//   not the account; removals arriving together are sent as bulk deletes;
// - in a business group, removing a user means removing all of their permissions there;
// - usernames are never reusable, even after deletion.
import { decorated } from "../../program/providers";
import type { ShimTarget } from "../../pulumi/shim";
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

/** Anypoint's providers by resource kind, undecorated. */
export const anypointKinds: Record<string, ShimTarget> = {
  AnypointUser: new AnypointUserProvider(),
  // Retired kind: kept so stacks deployed with the old model migrate without a call.
  AnypointBusinessGroupAccess: new BusinessGroupAccessProvider(),
};

// The entry point every stored Anypoint shim loads (a path deployed states hold): the import check
// counts this module with the program, which decorates every platform once (src/program/providers.ts).
export const providers = decorated("anypoint", anypointKinds);
