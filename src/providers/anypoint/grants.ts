// A person's roles and teams per business group, moved from what rollcall manages to what
// users.yaml declares. Current assignments are read first, so nothing a person already holds is
// granted again, and only roles and teams rollcall managed are taken away. Leaving a business group
// is the platform's bulk members DELETE (coalesced per group); teams live in the master organization.
import { closestNames } from "../../core/model/suggest";
import { session } from "./session";
import type { BusinessGroupGrant } from "./types";

export type Grants = Record<string, BusinessGroupGrant>;

export interface Grantee {
  username: string;
  userId: string;
}

/** Sorted, so that two declarations of the same access compare equal. */
export function normalizeGrants(grants: Grants | undefined): Grants | undefined {
  if (!grants) return undefined;
  return Object.fromEntries(
    Object.keys(grants)
      .sort()
      .map((g) => [g, { roles: [...grants[g]!.roles].sort(), teams: [...grants[g]!.teams].sort() }]),
  );
}

export function sameGrant(a: BusinessGroupGrant | undefined, b: BusinessGroupGrant | undefined): boolean {
  return JSON.stringify(normalizeGrants(a && { g: a })) === JSON.stringify(normalizeGrants(b && { g: b }));
}

/** Business groups whose declared access differs (added, removed or changed), sorted. */
export function changedGroups(managed: Grants | undefined, wanted: Grants): string[] {
  const names = [...new Set([...Object.keys(managed ?? {}), ...Object.keys(wanted)])].sort();
  return names.filter((g) => !managed || !sameGrant(managed[g], wanted[g]));
}

/**
 * Moves the person's access to `wanted`. `managed` is what rollcall granted before (the state);
 * undefined for an adopted user or state of the old model: then nothing is taken away, only what
 * is missing is granted. `fresh` says the user was just created and holds nothing yet (no reads).
 */
export async function applyGrants(who: Grantee, wanted: Grants, managed: Grants | undefined, fresh = false): Promise<void> {
  const api = session.api();
  const wantedTeams = new Set(Object.values(wanted).flatMap((g) => g.teams));
  const groups = changedGroups(managed, wanted);
  // The roles held in every group are read before anything changes, all at once (role-reader.ts).
  const heldIn = fresh
    ? undefined
    : await Promise.all(groups.map(async (g) => (wanted[g] ? session.roles().rolesIn(await api.businessGroupId(g), who.userId) : [])));
  for (const [i, group] of groups.entries()) {
    const orgId = await api.businessGroupId(group);
    const want = wanted[group];
    const had = managed?.[group];
    if (!want) {
      session.roles().changing(who.userId);
      await session.removeFromBusinessGroup(orgId, who.userId);
      await leaveTeams(
        who,
        had!.teams.filter((t) => !wantedTeams.has(t)),
      );
      continue;
    }
    const held = new Set((heldIn?.[i] ?? []).map((r) => r.name));
    const grant = await roleIds(
      orgId,
      want.roles.filter((r) => !held.has(r)),
      who,
      group,
    );
    const revoke = await roleIds(
      orgId,
      (had?.roles ?? []).filter((r) => held.has(r) && !want.roles.includes(r)),
      who,
      group,
      false,
    );
    if (grant.length || revoke.length) session.roles().changing(who.userId);
    if (grant.length) await api.assignRoles(orgId, who.userId, grant);
    if (revoke.length) await api.unassignRoles(orgId, who.userId, revoke);
    for (const teamId of await teamIds(want.teams, who)) {
      const members = fresh ? undefined : await session.teamMemberIds(teamId);
      if (members?.has(who.userId)) continue;
      await api.addTeamMember(teamId, who.userId);
      members?.add(who.userId);
    }
    await leaveTeams(
      who,
      (had?.teams ?? []).filter((t) => !wantedTeams.has(t)),
    );
  }
}

/** The live access in the groups rollcall manages: every role held there, and the declared teams the person is in. */
export async function liveGrants(who: Grantee, managed: Grants): Promise<Grants> {
  const api = session.api();
  const live: Grants = {};
  // Every group's roles asked for at once: the reader answers none before all their checks are done.
  const groups = Object.entries(managed);
  const held = await Promise.all(groups.map(async ([group]) => session.roles().rolesIn(await api.businessGroupId(group), who.userId)));
  for (const [i, [group, grant]] of groups.entries()) {
    const roles = [...new Set(held[i]!.map((r) => r.name))].sort();
    const teams: string[] = [];
    for (const team of grant.teams) {
      const [teamId] = await teamIds([team], who, false);
      if (teamId && (await session.teamMemberIds(teamId)).has(who.userId)) teams.push(team);
    }
    if (roles.length || teams.length) live[group] = { roles, teams: teams.sort() };
  }
  return live;
}

export async function leaveTeams(who: Grantee, teams: string[]): Promise<void> {
  for (const teamId of await teamIds(teams, who, false)) {
    await session.api().removeTeamMember(teamId, who.userId);
    (await session.teamMemberIds(teamId)).delete(who.userId);
  }
}

async function roleIds(orgId: string, names: string[], who: Grantee, group: string, strict = true): Promise<string[]> {
  if (!names.length) return [];
  const roles = await session.api().listRoles(orgId);
  return resolveNames(
    names,
    roles,
    strict,
    (missing, known) =>
      `Anypoint user '${who.username}': business group '${group}' has no role named ${missing}${hint(missing, known)}. Fix the ` +
      `role names in users.yaml.`,
  );
}

async function teamIds(names: string[], who: Grantee, strict = true): Promise<string[]> {
  if (!names.length) return [];
  const teams = await session.api().listTeams();
  return resolveNames(
    names,
    teams,
    strict,
    (missing, known) =>
      `Anypoint user '${who.username}': no team named ${missing}${hint(missing, known)}. Fix the team names in users.yaml.`,
  );
}

function resolveNames(
  names: string[],
  known: { id: string; name: string }[],
  strict: boolean,
  message: (missing: string, known: string[]) => string,
): string[] {
  const byName = new Map(known.map((k) => [k.name, k.id]));
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length && strict)
    throw new Error(
      message(
        missing.map((m) => `'${m}'`).join(", "),
        known.map((k) => k.name),
      ),
    );
  return names.filter((n) => byName.has(n)).map((n) => byName.get(n)!);
}

function hint(missing: string, known: string[]): string {
  const close = closestNames(missing.replace(/'/g, "").split(", ")[0]!, known, 3);
  return close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(" or ")}?)` : "";
}
