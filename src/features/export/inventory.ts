// What `rollcall export` reads from each platform, in the terms of users.yaml: one record per
// platform user with the fields a person's block declares. Read with paged lists wherever the API
// has them (users, business-group users, teams, team members, and role assignments by search per
// business group, checked against a sample of per-person reads: src/providers/anypoint/role-reader.ts).
import type { AnypointClient } from "../../providers/anypoint/client";
import { RoleAssignmentReader } from "../../providers/anypoint/role-reader";
import type { ControlRoomClient } from "../../providers/controlroom/client";
import type { LeftOut } from "./people";
import { checkAnypointUser, checkControlRoomUser, isLeftOut, namedIn } from "./records";

export interface ControlRoomAccount {
  username: string;
  email: string;
  firstName?: string;
  lastName?: string;
  description?: string;
  roles: string[];
  licenses: string[];
  disabled: boolean;
  /** Last sign-in: null = never; absent when this Control Room's records lack the field (unknown). Read by the access review. */
  lastLogin?: string | null;
}

export interface AnypointAccount {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  disabled: boolean;
  /** Business group name (as users.yaml addresses it) → roles and teams held there. */
  businessGroups: Record<string, { roles: string[]; teams: string[] }>;
  /** Team memberships from identity-provider group mappings: not declared (only the identity provider can change them). */
  externalTeams: string[];
  /** Last sign-in: null = never; absent when the answer lacks the field (unknown). Read by the access review. */
  lastLogin?: string | null;
}

export type Progress = (message: string) => void;

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Control Room's users as accounts; a user whose record cannot be used goes to `leftOut`, with why (records.ts). */
export async function readControlRoom(
  client: ControlRoomClient,
  progress: Progress,
  leftOut: LeftOut[] = [],
): Promise<ControlRoomAccount[]> {
  const users: unknown[] = await client.listUsers();
  progress(`Control Room: ${users.length} users read`);
  const accounts: ControlRoomAccount[] = [];
  users.forEach((raw, i) => {
    const u = checkControlRoomUser(raw, i);
    if (isLeftOut(u)) leftOut.push(u);
    else accounts.push({ ...u, roles: sorted(u.roles), licenses: sorted(u.licenses) });
  });
  return accounts;
}

/** Runs `work` over `items`, at most `limit` at a time, in order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Anypoint's users as accounts; a user whose record, role or team entries cannot be used goes to `leftOut`, with why.
 * `roleSearch`: role assignments by search per business group (verified by a sample), or one read per person
 * (rollcall:anypointRoleSearch=off).
 */
export async function readAnypoint(
  client: AnypointClient,
  progress: Progress,
  roleSearch = true,
  concurrency = 8,
  leftOut: LeftOut[] = [],
): Promise<AnypointAccount[]> {
  const tree = await client.organizationTree();
  const orgs: { id: string; name: string; path: string[]; master: boolean }[] = [];
  const walk = (n: typeof tree): void =>
    void (orgs.push({ id: n.id, name: n.name, path: n.path, master: !n.parentId }), n.children.forEach(walk));
  walk(tree);
  // users.yaml names a business group by its name, or by its path below the master when names repeat.
  const counts = new Map<string, number>();
  for (const o of orgs) counts.set(o.name, (counts.get(o.name) ?? 0) + 1);
  const label = (o: (typeof orgs)[number]) => (o.master || counts.get(o.name) === 1 ? o.name : o.path.slice(1).join("/"));

  const listed: unknown[] = await client.listUsers();
  progress(`Anypoint: ${listed.length} users of '${tree.name}' read`);
  const users = listed.flatMap((raw, i) => {
    const u = checkAnypointUser(raw, i);
    return isLeftOut(u) ? (leftOut.push(u), []) : [u];
  });
  const byId = new Map(users.map((u) => [u.id, u] as const));
  // A user whose access the export cannot read completely is left out: a partial list, applied, would revoke the rest.
  const unreadable = new Map<string, string>();
  const access = new Map<string, Map<string, { roles: Set<string>; teams: Set<string> }>>();
  const grant = (userId: string, group: string) => {
    let groups = access.get(userId);
    if (!groups) access.set(userId, (groups = new Map()));
    let g = groups.get(group);
    if (!g) groups.set(group, (g = { roles: new Set(), teams: new Set() }));
    return g;
  };

  const reader = new RoleAssignmentReader(client, {
    search: roleSearch,
    people: async () => new Map(users.map((u) => [u.id, u.username] as const)),
    warn: (m) => progress(`warning: ${m}`),
  });
  // Who to ask about roles: everyone in the master organization; in a business group, only the
  // users it lists (those holding a permission there), read in pages.
  const pairs: { org: (typeof orgs)[number]; userId: string }[] = [];
  for (const org of orgs) {
    const members = org.master ? users : await client.listBusinessGroupUsers(org.id);
    for (const m of members) if (m && byId.has(m.id)) pairs.push({ org, userId: m.id });
  }
  await reader.prepare(orgs.map((o) => o.id));
  let done = 0;
  await mapLimit(pairs, concurrency, async ({ org, userId }) => {
    const roles = await reader.rolesIn(org.id, userId);
    if (!roles.every((r) => namedIn(r, "name")))
      unreadable.set(userId, `a role it holds in '${label(org)}' has no name; fix it on the platform and export again`);
    for (const r of roles) if (namedIn(r, "name")) grant(userId, label(org)).roles.add(r.name);
    if (++done % 100 === 0 || done === pairs.length) progress(`Anypoint: role assignments ${done}/${pairs.length}`);
  });

  // Teams are root-level: declared under the business group their roles are scoped to, or under the
  // master organization when they grant roles in several (or none).
  const external = new Map<string, Set<string>>();
  const teams = await client.listTeams();
  for (const team of teams) {
    if (!namedIn(team, "id", "name")) {
      progress(
        namedIn(team, "id")
          ? `Anypoint: team ${team.id} has no name; its members are left out`
          : "Anypoint: a team without an id was skipped (its members cannot be listed)",
      );
      if (namedIn(team, "id"))
        for (const m of await client.listTeamMembers(team.id))
          if (m && byId.has(m.id)) unreadable.set(m.id, `it is in a team (id ${team.id}) that has no name`);
      continue;
    }
    const scopes = new Set((await client.listTeamRoles(team.id)).map((r) => r.org));
    const only = scopes.size === 1 ? orgs.find((o) => scopes.has(o.id)) : undefined;
    const group = label(only ?? orgs[0]!);
    for (const m of await client.listTeamMembers(team.id)) {
      if (!m || !byId.has(m.id)) continue;
      if (m.viaExternalGroups) (external.get(m.id) ?? external.set(m.id, new Set()).get(m.id)!).add(team.name);
      else grant(m.id, group).teams.add(team.name);
    }
  }
  progress(`Anypoint: ${teams.length} teams read`);

  for (const [id, reason] of unreadable) leftOut.push({ platform: "Anypoint", username: byId.get(id)!.username, reason });
  return users
    .filter((u) => !unreadable.has(u.id))
    .map((u) => ({
      username: u.username,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      disabled: !u.enabled,
      businessGroups: Object.fromEntries(
        [...(access.get(u.id) ?? new Map<string, { roles: Set<string>; teams: Set<string> }>())]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([g, a]) => [g, { roles: sorted(a.roles), teams: sorted(a.teams) }]),
      ),
      externalTeams: sorted(external.get(u.id) ?? []),
      ...(u.lastLogin !== undefined ? { lastLogin: u.lastLogin } : {}),
    }));
}
