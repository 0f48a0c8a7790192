// Soft offboarding, decided in the program (never in provider code stored in old state): when a
// person's platform user leaves users.yaml — or their entry says `offboard:` — rollcall deletes
// it, disables it, or stops managing it, per person (`offboard:`) or per stack
// (`rollcall:offboarding`).
//
// - delete: the user is not declared; the engine runs the installed provider's delete.
// - disable: the user is declared again from the last deployment's roster (or the entry) with
//   Control Room `disabled: true` / Anypoint `enabled: false`, keeping roles and business groups,
//   so re-enabling restores everything. It stays declared (and in the roster, `offboarded`) until
//   an entry says `offboard: delete`.
// - unmanage: Pulumi's retainOnDelete, which the engine reads from the OLD state. If the last
//   deployment declared the user retained, it is simply not declared (dropped from the state, no
//   call). Otherwise this run re-declares it unchanged with retainOnDelete (no call either) and the
//   next run drops it.
import type { OffboardMode, Person, UsersModel } from "../../core/model/types";
import { PLATFORMS, PLATFORM_NAME, personFromRoster, rosterEntry, type Platform, type Roster } from "./roster";

export const OFFBOARDING_MODES: OffboardMode[] = ["delete", "disable", "unmanage"];
/** Reversible and ends access: see docs/safety.md for why this is the default. */
export const DEFAULT_OFFBOARDING: OffboardMode = "disable";

/** One user leaving, and what this run does about it. Exported as the stack output `offboarding`. */
export interface OffboardingAction {
  person: string;
  platform: "Control Room" | "Anypoint";
  username: string;
  mode: OffboardMode;
  /** What the engine will do in this run, in words. */
  effect: string;
}

export interface OffboardingPlan {
  /** The people to declare: users.yaml's, plus those kept disabled or retained. */
  model: UsersModel;
  /** `${key}:${platform}` of users declared with retainOnDelete. */
  retained: Set<string>;
  actions: OffboardingAction[];
  /** What this run declares, for the stack output `roster`. */
  roster: Roster;
}

export function planOffboarding(model: UsersModel, previous: Roster | undefined, stackMode: OffboardMode): OffboardingPlan {
  const byKey = new Map(model.people.map((p) => [p.key, p]));
  const keys = [...new Set([...model.people.map((p) => p.key), ...Object.keys(previous ?? {})])];
  const people: Person[] = [];
  const retained = new Set<string>();
  const actions: OffboardingAction[] = [];
  const roster: Roster = {};
  const retainAll = stackMode === "unmanage";

  for (const key of keys) {
    const entry = byKey.get(key);
    const prev = previous?.[key];
    const base: Person = entry ?? personFromRoster(key, prev!, model.file);
    // The person without memberships: each platform's is decided below.
    const { controlRoom: _controlRoom, anypoint: _anypoint, ...identity } = base;
    const person: Person = identity;
    const keep: Partial<Record<Platform, true>> = {};
    let offboarded: OffboardMode | undefined;

    for (const platform of PLATFORMS) {
      const declared = entry && !entry.offboard ? entry[platform] : undefined;
      const last = prev?.[platform];
      const mode: OffboardMode | "keep" | undefined = declared ? "keep" : (entry?.offboard ?? (last ? stackMode : undefined));
      const data = (entry?.[platform] ?? last) as Person[Platform];
      const wasRetained = prev?.retained?.[platform] === true;
      const action = (effect: string) =>
        actions.push({ person: key, platform: PLATFORM_NAME[platform], username: data!.username, mode: mode as OffboardMode, effect });
      const declare = (membership: Person[Platform], retain: boolean) => {
        (person as unknown as Record<string, unknown>)[platform] = membership;
        if (retain) {
          retained.add(`${key}:${platform}`);
          keep[platform] = true;
        }
      };
      if (!mode || !data) continue;
      if (mode === "keep") {
        declare(declared, retainAll);
      } else if (mode === "delete") {
        if (!last) continue; // never deployed: nothing to delete
        if (wasRetained) {
          // The old state says retainOnDelete: a delete now would only forget the user.
          declare(last, false);
          action("kept one more run to clear retainOnDelete; the next pulumi up deletes it");
        } else action("deleted");
      } else if (mode === "disable") {
        // Never deployed: creating a user only to disable it would spend an Anypoint username for good.
        if (!last) continue;
        offboarded = "disable";
        declare({ ...data, disabled: true }, retainAll);
        if (!last.disabled)
          action(
            platform === "anypoint"
              ? "disabled (enabled: false), roles and business groups kept"
              : "disabled (disabled: true), roles and licenses kept",
          );
      } else if (mode === "unmanage") {
        if (!last) continue; // never deployed: nothing to forget
        if (wasRetained) action("dropped from the state; no call to the platform");
        else {
          offboarded = "unmanage";
          declare(last, true);
          action("marked retainOnDelete now (no call); the next pulumi up drops it from the state, with no call either");
        }
      }
    }
    if (!person.controlRoom && !person.anypoint) continue;
    const declaredPerson: Person =
      offboarded && !entry ? { ...person, offboard: offboarded } : entry?.offboard ? { ...person, offboard: entry.offboard } : person;
    people.push(declaredPerson);
    roster[key] = rosterEntry(declaredPerson, keep);
  }
  return { model: { file: model.file, people }, retained, actions, roster };
}

/** Resource options for a person's user on one platform: `protect` and the offboarding decision. */
export function userOptions(
  plan: Pick<OffboardingPlan, "retained"> | undefined,
  person: Person,
  platform: Platform,
): { protect: boolean; retainOnDelete?: boolean } {
  return { protect: person.protected, ...(plan?.retained.has(`${person.key}:${platform}`) ? { retainOnDelete: true } : {}) };
}

/** One line per user leaving, for the preview's log and the PR report. */
export function describeOffboarding(actions: OffboardingAction[]): string[] {
  return actions.map((a) => `offboarding ${a.person}: ${a.platform} user '${a.username}' — ${a.mode}: ${a.effect}.`);
}
