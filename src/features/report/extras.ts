// What the program knows that the engine's preview does not say, exported as the stack output
// `report` (REPORT_OUTPUT) for the pull-request report (src/features/report/report.ts reads it from the
// Stack step of `pulumi preview --json`): who is adopted rather than created, who is on a platform
// without being in users.yaml, how each removal is carried out (delete / disable / unmanage), and
// how close each removal limit is.
// Pure: the program passes what its guards already computed.
import type { IdentityStep, UndeclaredMembers } from "../safety/identity";
import type { OffboardingAction } from "../safety/offboarding";
import type { ReportExtras } from "./report";

const PLATFORM_NAME = { controlRoom: "Control Room", anypoint: "Anypoint" } as const;

export function reportExtras(
  identity: { steps: IdentityStep[]; undeclared: UndeclaredMembers },
  offboarding: OffboardingAction[],
  guards: ReportExtras["guards"] = [],
): ReportExtras {
  const undeclared = (Object.keys(PLATFORM_NAME) as (keyof typeof PLATFORM_NAME)[]).flatMap((p) =>
    (identity.undeclared[p]?.usernames ?? []).map((username) => ({ platform: PLATFORM_NAME[p], username })),
  );
  return {
    adopted: [...new Set(identity.steps.filter((s) => s.action === "adopt").map((s) => s.key))].sort(),
    undeclared,
    removals: offboarding.map((a) => ({ person: a.person, platform: a.platform, action: a.mode, username: a.username })),
    guards,
  };
}
