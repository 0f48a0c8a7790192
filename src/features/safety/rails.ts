// The safety rails, in the order the program applies them: decide offboarding, then refuse —
// before any resource is registered, in preview too — a change over a removal limit or one that
// touches a protected identity. src/program/index.ts calls planRails() and enforceRails(); see docs/safety.md.
import { GENERAL_KEYS, setting, SettingsError, type ConfigGetter } from "../../core/config";
import type { OffboardMode, UsersModel } from "../../core/model/types";
import type { LastDeployment } from "./last-deployment";
import { DEFAULT_OFFBOARDING, OFFBOARDING_MODES, describeOffboarding, planOffboarding, type OffboardingPlan } from "./offboarding";
import { protectedIdentityProblems, type AutomationAccounts } from "./protected";
import type { Roster } from "./roster";
import { levelLosses, overLimit, PERCENT_FLOOR, readRemovalLimits, removalLimitError } from "./removal-limits";

/** The one-run override: allows up to N removals at every level, for this run only. */
export const OVERRIDE_VAR = GENERAL_KEYS.maxRemovals;

export const RAILS_KEYS = {
  offboarding: "ROLLCALL_OFFBOARDING",
  removalLimits: "ROLLCALL_REMOVAL_LIMITS",
} as const;

/** The run refuses: the message names who, what, where and how to proceed. */
export class SafetyRefusal extends Error {
  override name = "SafetyRefusal";
}

export function stackOffboardingMode(config: ConfigGetter): OffboardMode {
  const mode = setting(config, "offboarding", RAILS_KEYS.offboarding) ?? DEFAULT_OFFBOARDING;
  if (!(OFFBOARDING_MODES as string[]).includes(mode))
    throw new SettingsError(`rollcall:offboarding must be ${OFFBOARDING_MODES.join(", ")}, not '${mode}'.`);
  return mode as OffboardMode;
}

/** What to declare, given users.yaml and the last deployment (pure; no network). */
export function planRails(
  model: UsersModel,
  last: LastDeployment | undefined,
  config: ConfigGetter,
  everyone: UsersModel = model,
): OffboardingPlan & { log: string[]; previous?: Roster } {
  // A roster from before rollcall exported one has no person keys: nobody can be re-declared.
  // People now in another stack's share (src/features/split) are handed over, not offboarded here.
  const inShare = new Set(model.people.map((p) => p.key));
  const elsewhere = new Set(everyone.people.filter((p) => !inShare.has(p.key)).map((p) => p.key));
  const previous =
    last && !last.legacy ? Object.fromEntries(Object.entries(last.roster).filter(([key]) => !elsewhere.has(key))) : undefined;
  const plan = planOffboarding(model, previous, stackOffboardingMode(config));
  const log = describeOffboarding(plan.actions);
  if (last?.legacy) {
    // Only usernames are known: a removed user could only be deleted, whatever the stack says. Fail closed.
    const removed = levelLosses(last.roster, plan.roster, []).filter((l) => l.level === "controlRoomUsers" || l.level === "anypointUsers");
    const mode = stackOffboardingMode(config);
    if (removed.length && mode !== "delete") {
      throw new SafetyRefusal(
        `The last deployment predates rollcall's roster output, so rollcall cannot ${mode} the users this change removes (` +
          `${removed.flatMap((l) => l.who).join(", ")}); nothing was sent. Run pulumi up once without removing anyone (it records ` +
          `the roster), then make this change; or set rollcall:offboarding to delete.`,
      );
    }
  }
  return { ...plan, log, previous };
}

/** Throws SafetyRefusal when the change is over a removal limit or touches a protected identity. Returns warnings to log. */
export function enforceRails(
  plan: OffboardingPlan & { previous?: Roster },
  last: LastDeployment | undefined,
  accounts: AutomationAccounts,
  config: ConfigGetter,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  if (!last) return [];
  const warnings: string[] = [];
  const unmanagedKeys = new Set(plan.actions.filter((a) => a.mode === "unmanage").map((a) => a.person));
  const before = plan.previous ?? last.roster;
  const refusals = protectedIdentityProblems(before, plan.roster, accounts, unmanagedKeys);
  if (refusals.length)
    throw new SafetyRefusal(`rollcall refuses this change; nothing was sent to any platform:\n${refusals.map((r) => `  ${r}`).join("\n")}`);

  const limits = readRemovalLimits(setting(config, "removalLimits", RAILS_KEYS.removalLimits), config("rollcall:maxRemovals"));
  if (typeof limits === "string") throw new SettingsError(limits);
  const overrideText = env[OVERRIDE_VAR];
  let allowed: number | undefined;
  if (overrideText !== undefined && overrideText !== "") {
    allowed = Number(overrideText);
    if (!Number.isInteger(allowed) || allowed < 0)
      throw new SettingsError(
        `${OVERRIDE_VAR} must be a whole number (the most removals this run may make at any level), not '${overrideText}'.`,
      );
  }
  const losses = levelLosses(before, plan.roster, plan.actions);
  const over = overLimit(losses, limits, allowed);
  if (over.length) throw new SafetyRefusal(removalLimitError(over, limits, allowed, OVERRIDE_VAR, env.GITHUB_ACTIONS === "true"));
  if (allowed !== undefined && overLimit(losses, limits).length)
    warnings.push(
      `${OVERRIDE_VAR}=${allowed}: the removal limits are lifted for this run; ${overLimit(losses, limits)
        .map((l) => `${l.where}: ${l.who.length} of ${l.total}`)
        .join("; ")}.`,
    );
  return warnings;
}

/** How much of each removal limit this run uses, per level and place that loses anyone (for the PR report's near-limit warnings). */
export function guardUsage(
  plan: OffboardingPlan,
  last: LastDeployment | undefined,
  config: ConfigGetter,
): { name: string; used: number; limit: number }[] {
  // Under the one-run override the limits are lifted, and enforceRails says so instead.
  if (!last || (process.env[OVERRIDE_VAR] ?? "") !== "") return [];
  const limits = readRemovalLimits(setting(config, "removalLimits", RAILS_KEYS.removalLimits), config("rollcall:maxRemovals"));
  if (typeof limits === "string") return [];
  return levelLosses(last.roster, plan.roster, plan.actions).map((l) => {
    const { count, percent } = limits[l.level];
    // The most this place may lose: the count, and the percentage of what it had (never below the floor).
    const byPercent = Math.max(PERCENT_FLOOR - 1, Math.floor((l.total * percent) / 100));
    return { name: `${l.where} (rollcall:removalLimits.${l.level})`, used: l.who.length, limit: Math.min(count, byPercent) };
  });
}
