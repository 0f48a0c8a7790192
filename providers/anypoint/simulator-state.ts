// The Anypoint simulator's data: a master organization with nested business groups, users
// (deleted ones keep their username reserved forever), roles, role assignments scoped to an
// organization, teams in the master organization, and the principals that can call the API.
import { randomUUID } from "node:crypto";

export interface SimOrg {
  id: string;
  name: string;
  parentId?: string;
}

export interface SimAnypointUser {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  enabled: boolean;
  deleted: boolean;
  phoneNumber: string;
  password?: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimRole {
  id: string;
  name: string;
}

export interface SimTeam {
  id: string;
  name: string;
  members: Set<string>;
}

/** A connected app (client credentials) or a user login; `orgAdmin` = Organization Administrator of the master org. */
export interface SimPrincipal {
  kind: "client" | "user";
  id: string;
  name: string;
  orgAdmin: boolean;
}

export interface SimInvite {
  id: number;
  email: string;
  status: "INVITED" | "ACCEPTED" | "CANCELED";
  invitedAt: string;
}

export interface AnypointSeed {
  masterName?: string;
  businessGroups?: { name: string; parent?: string }[];
  roles?: string[];
  teams?: string[];
  /** N ordinary existing users (user0001…), or explicit ones. */
  users?: number | { username: string; email?: string; firstName?: string; lastName?: string; roles?: { org: string; role: string }[]; teams?: string[] }[];
}

export const DEFAULT_ROLES = ["Organization Administrator", "Exchange Viewer", "Exchange Contributor", "API Manager Environment Administrator", "Runtime Manager Read Only", "Business Group Viewer", "API Creator"];

export class AnypointState {
  readonly orgs = new Map<string, SimOrg>();
  readonly users = new Map<string, SimAnypointUser>();
  /** Lower-cased usernames ever used here: Anypoint never lets a username be reused, even after deletion. */
  readonly usedUsernames = new Set<string>();
  readonly roles = new Map<string, SimRole>();
  /** `${userId}|${roleId}|${orgId}` */
  readonly assignments = new Set<string>();
  readonly teams = new Map<string, SimTeam>();
  readonly invites = new Map<number, SimInvite>();
  readonly master: SimOrg;
  private nextInviteId = 520;

  constructor(masterName = "Acme Corp") {
    this.master = this.addOrg(masterName);
    for (const name of DEFAULT_ROLES) this.addRole(name);
  }

  addOrg(name: string, parentId?: string): SimOrg {
    const org = { id: randomUUID(), name, parentId };
    this.orgs.set(org.id, org);
    return org;
  }

  addRole(name: string): SimRole {
    const role = { id: randomUUID(), name };
    this.roles.set(role.id, role);
    return role;
  }

  addTeam(name: string): SimTeam {
    const team = { id: randomUUID(), name, members: new Set<string>() };
    this.teams.set(team.id, team);
    return team;
  }

  addUser(input: { username: string; email?: string; firstName?: string; lastName?: string; phoneNumber?: string; password?: string }): SimAnypointUser {
    const now = new Date().toISOString();
    const user: SimAnypointUser = { id: randomUUID(), email: `${input.username}@example.com`, firstName: "First", lastName: "Last", phoneNumber: "", enabled: true, deleted: false, createdAt: now, updatedAt: now, ...input };
    this.users.set(user.id, user);
    this.usedUsernames.add(user.username.toLowerCase());
    return user;
  }

  invite(email: string): SimInvite {
    const invite: SimInvite = { id: this.nextInviteId++, email, status: "INVITED", invitedAt: new Date().toISOString() };
    this.invites.set(invite.id, invite);
    return invite;
  }

  /** What happens when the invited person signs in through the organization's identity provider. */
  acceptInvite(email: string, username: string, names: { firstName?: string; lastName?: string } = {}): SimAnypointUser {
    const invite = [...this.invites.values()].find((i) => i.email === email && i.status === "INVITED");
    if (!invite) throw new Error(`simulator: no pending invite for ${email}`);
    invite.status = "ACCEPTED";
    return this.addUser({ username, email, ...names });
  }

  orgByName(name: string): SimOrg | undefined {
    return [...this.orgs.values()].find((o) => o.name === name);
  }

  roleByName(name: string): SimRole | undefined {
    return [...this.roles.values()].find((r) => r.name === name);
  }

  teamByName(name: string): SimTeam | undefined {
    return [...this.teams.values()].find((t) => t.name === name);
  }

  activeUser(id: string): SimAnypointUser | undefined {
    const u = this.users.get(id);
    return u && !u.deleted ? u : undefined;
  }

  findUser(username: string): SimAnypointUser | undefined {
    return [...this.users.values()].find((u) => !u.deleted && u.username.toLowerCase() === username.toLowerCase());
  }

  assign(userId: string, roleId: string, orgId: string): void {
    this.assignments.add(`${userId}|${roleId}|${orgId}`);
  }

  rolesOf(userId: string, orgId: string): SimRole[] {
    return [...this.assignments].map((a) => a.split("|")).filter(([u, , o]) => u === userId && o === orgId).map(([, r]) => this.roles.get(r!)!);
  }

  /** Users with any role in the organization (a business group's members). */
  membersOf(orgId: string): Set<string> {
    return new Set([...this.assignments].map((a) => a.split("|")).filter(([, , o]) => o === orgId).map(([u]) => u!));
  }

  /** Removing a user from a business group = removing every permission they have there. */
  removeAllPermissions(userId: string, orgId: string): void {
    for (const a of [...this.assignments]) if (a.startsWith(`${userId}|`) && a.endsWith(`|${orgId}`)) this.assignments.delete(a);
  }

  /** Deletion from the master org: the membership goes (all permissions, all teams), the account stays. */
  deleteUser(userId: string): void {
    const user = this.users.get(userId)!;
    user.deleted = true;
    for (const a of [...this.assignments]) if (a.startsWith(`${userId}|`)) this.assignments.delete(a);
    for (const team of this.teams.values()) team.members.delete(userId);
  }

  seed(seed: AnypointSeed): void {
    if (seed.masterName) this.master.name = seed.masterName;
    for (const bg of seed.businessGroups ?? []) this.addOrg(bg.name, (bg.parent ? this.orgByName(bg.parent) : this.master)!.id);
    for (const role of seed.roles ?? []) if (!this.roleByName(role)) this.addRole(role);
    for (const team of seed.teams ?? []) if (!this.teamByName(team)) this.addTeam(team);
    const users = typeof seed.users === "number" ? Array.from({ length: seed.users }, (_, i) => ({ username: `user${String(i).padStart(4, "0")}` })) : (seed.users ?? []);
    for (const u of users) {
      const user = this.addUser(u);
      for (const grant of (u as { roles?: { org: string; role: string }[] }).roles ?? []) this.assign(user.id, this.roleByName(grant.role)!.id, this.orgByName(grant.org)!.id);
      for (const team of (u as { teams?: string[] }).teams ?? []) this.teamByName(team)!.members.add(user.id);
    }
  }
}
