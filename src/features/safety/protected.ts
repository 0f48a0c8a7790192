// Protected identities: people rollcall never deletes, disables, unmanages or strips, checked in
// the program (so in `pulumi preview`) before any resource is registered — nothing half-done.
//
// - `protected: true` in users.yaml, in the last deployment or now (like Pulumi's `protect`,
//   unprotecting takes its own run: remove the flag first, then change their access);
// - the accounts rollcall itself signs in as (the Control Room login username; the Anypoint
//   user behind /accounts/api/me — a connected app is no user and has nothing to protect);
// - the last Organization Administrator of the Anypoint master organization and the last
//   Control Room admin (AAE_Admin) declared in users.yaml: a change may not leave none enabled.
import type { Roster, RosterEntry } from "./roster";

export const CONTROL_ROOM_ADMIN_ROLE = "AAE_Admin";
export const ANYPOINT_ADMIN_ROLE = "Organization Administrator";

export interface AutomationAccounts {
  controlRoom?: string;
  anypoint?: string;
  /** The Anypoint master organization's name: where Organization Administrator counts. */
  anypointMaster?: string;
}

/** What the person would lose between two roster entries, in words. */
function lossesOf(was: RosterEntry, is: RosterEntry | undefined): string[] {
  const out: string[] = [];
  if (was.controlRoom) {
    const now = is?.controlRoom;
    if (!now || now.username.toLowerCase() !== was.controlRoom.username.toLowerCase())
      out.push(`their Control Room user '${was.controlRoom.username}'`);
    else {
      if (now.disabled && !was.controlRoom.disabled) out.push(`Control Room sign-in (disabled)`);
      for (const r of was.controlRoom.roles.filter((r) => !now.roles.includes(r))) out.push(`Control Room role '${r}'`);
    }
  }
  if (was.anypoint) {
    const now = is?.anypoint;
    if (!now || now.username.toLowerCase() !== was.anypoint.username.toLowerCase())
      out.push(`their Anypoint user '${was.anypoint.username}'`);
    else {
      if (now.disabled && !was.anypoint.disabled) out.push(`Anypoint sign-in (disabled)`);
      for (const [group, access] of Object.entries(was.anypoint.businessGroups)) {
        const g = now.businessGroups[group];
        if (!g) out.push(`Anypoint business group '${group}'`);
        else {
          for (const r of access.roles.filter((r) => !g.roles.includes(r))) out.push(`Anypoint role '${r}' in '${group}'`);
          for (const t of access.teams.filter((t) => !g.teams.includes(t))) out.push(`Anypoint team '${t}'`);
        }
      }
    }
  }
  return out;
}

/** Refusals, one line each, naming the person, why they are protected, and what they would lose. */
export function protectedIdentityProblems(
  previous: Roster,
  next: Roster,
  accounts: AutomationAccounts,
  unmanagedKeys: Set<string>,
): string[] {
  const problems: string[] = [];
  for (const [key, was] of Object.entries(previous)) {
    const is = next[key];
    const reasons: string[] = [];
    if (was.protected || is?.protected) reasons.push("protected: true");
    const signsInAs = (platform: "controlRoom" | "anypoint") => {
      const login = accounts[platform]?.toLowerCase();
      return login !== undefined && was[platform]?.username.toLowerCase() === login;
    };
    if (signsInAs("controlRoom")) reasons.push(`rollcall signs in to Control Room as '${was.controlRoom!.username}'`);
    if (signsInAs("anypoint")) reasons.push(`rollcall signs in to Anypoint as '${was.anypoint!.username}'`);
    if (!reasons.length) continue;
    const lost = lossesOf(was, is);
    if (unmanagedKeys.has(key) && was.protected) lost.push("management by rollcall (unmanage)");
    if (lost.length)
      problems.push(
        `${key} (${reasons.join("; ")}) would lose ${lost.join(", ")}. rollcall never removes, disables or strips them: keep ` +
          `their entry as it was` +
          `${was.protected ? "; to change it on purpose, first merge a change that only removes protected: true" : ""}.`,
      );
  }

  const holders = (roster: Roster, platform: "controlRoom" | "anypoint") =>
    Object.entries(roster)
      .filter(([, e]) =>
        platform === "controlRoom"
          ? e.controlRoom && !e.controlRoom.disabled && e.controlRoom.roles.includes(CONTROL_ROOM_ADMIN_ROLE)
          : e.anypoint &&
            !e.anypoint.disabled &&
            accounts.anypointMaster &&
            e.anypoint.businessGroups[accounts.anypointMaster]?.roles.includes(ANYPOINT_ADMIN_ROLE),
      )
      .map(([k]) => k);
  const lastAdmin = (platform: "controlRoom" | "anypoint", what: string) => {
    const before = holders(previous, platform);
    if (before.length && !holders(next, platform).length)
      problems.push(
        `This change leaves ${what} with no enabled holder in users.yaml (it was held by ${before.join(", ")}); rollcall ` +
          `refuses to remove the last one. Give the role to someone else in the same change, and keep an enabled holder.`,
      );
  };
  lastAdmin("controlRoom", `the Control Room admin role '${CONTROL_ROOM_ADMIN_ROLE}'`);
  if (accounts.anypointMaster)
    lastAdmin("anypoint", `'${ANYPOINT_ADMIN_ROLE}' of the Anypoint master organization '${accounts.anypointMaster}'`);
  return problems;
}
