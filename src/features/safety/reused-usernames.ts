// Anypoint never reuses a username, even after its user was deleted: a create with it fails with
// 409 at `pulumi up`, after the preview passed. The usernames this stack itself deleted are known —
// the stack output `deletedAnypointUsernames`, carried from deployment to deployment, and the last
// deployment's `offboarding` actions — so re-declaring one fails now, in preview, naming the person
// and the line of users.yaml. A username still live on Anypoint (its deletion failed) is adopted as
// usual and not refused.
import type { UsersModel } from "../../core/model/types";
import type { OffboardingAction } from "./offboarding";
import type { Roster } from "./roster";
import { SafetyRefusal } from "./rails";

const lower = (s: string) => s.toLowerCase();

/** Anypoint usernames the last deployment says this stack deleted (lower-cased). */
export function deletedByLastDeployments(outputs: { deletedAnypointUsernames?: unknown; offboarding?: unknown }): string[] {
  const carried = Array.isArray(outputs.deletedAnypointUsernames)
    ? outputs.deletedAnypointUsernames.filter((u): u is string => typeof u === "string")
    : [];
  const actions = Array.isArray(outputs.offboarding) ? (outputs.offboarding as OffboardingAction[]) : [];
  return sorted([...carried, ...deletedBy(actions)]);
}

/** What this run deletes on Anypoint: people offboarded by deletion, and old usernames of people whose username changed (a replace). */
export function deletedBy(actions: OffboardingAction[], previous?: Roster, roster?: Roster): string[] {
  const out = actions.filter((a) => a.platform === "Anypoint" && a.mode === "delete" && a.effect === "deleted").map((a) => a.username);
  for (const [key, was] of Object.entries(previous ?? {})) {
    const now = roster?.[key]?.anypoint;
    if (was.anypoint && now && lower(now.username) !== lower(was.anypoint.username) && !was.retained?.anypoint)
      out.push(was.anypoint.username);
  }
  return out.map(lower);
}

/** The stack output: every Anypoint username this stack has deleted, so far. */
export function deletedAnypointUsernames(before: string[], thisRun: string[]): string[] {
  return sorted([...before, ...thisRun]);
}

/** Throws SafetyRefusal when users.yaml declares an Anypoint username this stack deleted and Anypoint no longer has. */
export function refuseReusedUsernames(model: UsersModel, deleted: string[], live: { username: string }[] | undefined): void {
  if (!deleted.length) return;
  const gone = new Set(deleted);
  const alive = new Set((live ?? []).map((u) => lower(u.username)));
  const problems = model.people
    .filter((p) => p.anypoint && gone.has(lower(p.anypoint.username)) && !alive.has(lower(p.anypoint.username)))
    .map(
      (p) =>
        `${model.file}:${p.source.line}: ${p.key}: Anypoint username '${p.anypoint!.username}' was deleted by an earlier pulumi ` +
        `up of this stack, and Anypoint never reuses a username, so creating it would fail (409). Give ${p.key} a username that ` +
        `was never used on Anypoint (anypoint.username).`,
    );
  if (problems.length)
    throw new SafetyRefusal(`rollcall refuses this change; nothing was sent to any platform:\n${problems.map((p) => `  ${p}`).join("\n")}`);
}

function sorted(xs: string[]): string[] {
  return [...new Set(xs.map(lower))].sort();
}
