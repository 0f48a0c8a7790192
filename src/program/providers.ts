// The provider process's composition root: every platform's providers decorated the same way,
// once, here — not by each platform importing features. Outermost first:
// - printedOnce: an error Pulumi would print twice is printed once (src/pulumi/provider-errors.ts);
// - auditedProviders: every mutating HTTP call is recorded with the platform and person it is for
//   (src/features/audit/context.ts);
// - handingOver: a user another stack's share now declares is forgotten here, not deleted
//   (src/features/split/handover.ts).
import { auditedProviders } from "../features/audit/context";
import { handingOver } from "../features/split/handover";
import { printedOnce } from "../pulumi/provider-errors";
import { RESOURCE_KINDS, type PlatformModule } from "../pulumi/resource-types";
import type { ShimTarget } from "../pulumi/shim";

/** The platform as a split's share names it (users.yaml's blocks). */
const SHARE_PLATFORM = { controlroom: "controlRoom", anypoint: "anypoint" } as const;

export function decorated(platform: PlatformModule, kinds: Record<string, ShimTarget>): Record<string, ShimTarget> {
  const name = Object.values(RESOURCE_KINDS).find((k) => k.platform === platform)!.platformName;
  return printedOnce(auditedProviders(name, handingOver(SHARE_PLATFORM[platform], kinds)));
}
