// Duties left with nobody. Removing a person can leave a role or team that users.yaml declares
// with no holder at all — the "deleted user was the only one doing approvals" case that the
// platform's own documentation warns about. The program exports who holds each duty; the next
// preview compares against the last deployed export and warns, before anything is removed.
import type { UsersModel } from "../../core/model/types";

/** Duty label → sorted person keys. Labels are what a reviewer reads. */
export type DutyHolders = Record<string, string[]>;

export function dutyHolders(model: UsersModel): DutyHolders {
  const duties = new Map<string, Set<string>>();
  const hold = (duty: string, key: string) => (duties.get(duty) ?? duties.set(duty, new Set()).get(duty)!).add(key);
  for (const person of model.people) {
    // A disabled user (one being offboarded, for instance) cannot sign in to do anything.
    const controlRoom = person.controlRoom?.disabled ? undefined : person.controlRoom;
    const anypoint = person.anypoint?.disabled ? undefined : person.anypoint;
    for (const role of controlRoom?.roles ?? []) hold(`Control Room role '${role}'`, person.key);
    for (const [group, access] of Object.entries(anypoint?.businessGroups ?? {})) {
      for (const role of access.roles) hold(`Anypoint role '${role}' in business group '${group}'`, person.key);
      for (const team of access.teams) hold(`Anypoint team '${team}'`, person.key);
    }
  }
  return Object.fromEntries([...duties.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([duty, keys]) => [duty, [...keys].sort()]));
}

/** Warnings for duties that had holders in the last deployment and have none now. */
export function orphanedDuties(previous: DutyHolders | undefined, current: DutyHolders): string[] {
  if (!previous) return [];
  return Object.entries(previous)
    .filter(([duty, before]) => before.length > 0 && !current[duty]?.length)
    .map(
      ([duty, before]) =>
        `${duty} was held by ${before.join(", ")}; after this change nobody in users.yaml holds it. Make sure someone else ` +
        `takes over its duties (for example approvals) before merging.`,
    );
}
