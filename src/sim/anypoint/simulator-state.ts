// The Anypoint simulator's data: a master organization with nested business groups, users
// (deleted ones keep their username reserved forever), roles assigned per organization, legacy
// role groups, teams (root-level objects whose roles are scoped to an organization), invites, and
// the connected apps that can call the API. Membership of a business group is derived, never
// stored: a user is in a business group while they hold a permission there (https://docs.mulesoft.com/access-management/business-groups).
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
  /** Absent for people who sign in through an external identity provider. */
  password?: string;
  idproviderId: string;
  createdAt: string;
  updatedAt: string;
  /** Last and previous successful sign-in; null until the user has signed in (see AnypointJson.user). */
  lastLogin: string | null;
  previousLastLogin: string | null;
}

export interface SimRole {
  id: string;
  name: string;
}

/** Legacy role group: a named set of roles that belongs to one organization or business group. */
export interface SimRoleGroup {
  id: string;
  name: string;
  orgId: string;
  roleIds: string[];
  createdAt: string;
}

export interface SimTeam {
  id: string;
  name: string;
  /** User ids (maintainers included). */
  members: Set<string>;
  maintainers: Set<string>;
  /** Memberships that come from identity-provider group mappings; the API cannot remove them. */
  viaExternalGroups: Set<string>;
  /** `${roleId}|${orgId}`: what the team grants, and where. */
  roles: Set<string>;
  createdAt: string;
}

export interface SimConnectedApp {
  clientId: string;
  clientSecret: string;
  name: string;
  /** Organization Administrator of the master organization (acts for an administrator). */
  orgAdmin: boolean;
}

/** Whoever a bearer token belongs to. */
export type SimPrincipal = { kind: "client"; app: SimConnectedApp } | { kind: "user"; userId: string };

export interface SimInvite {
  id: number;
  email: string;
  status: "INVITED" | "ACCEPTED" | "CANCELED" | "EXPIRED";
  invitedAt: string;
  teams: { teamId: string; membershipType: "member" | "maintainer" }[];
  roles: { roleId: string; orgId: string }[];
}

export interface SeedGrant {
  /** Business group name; the master organization when omitted. */
  org?: string;
  role: string;
  /** An environment of that organization, for a role scoped to one (e.g. API Manager Environment Administrator). */
  envId?: string;
}

export interface SeedUser {
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  password?: string;
  enabled?: boolean;
  /** When the user last signed in (ISO 8601); never, when omitted. */
  lastLogin?: string;
  roles?: SeedGrant[];
  roleGroups?: { org?: string; name: string }[];
  teams?: (string | { name: string; membershipType?: "member" | "maintainer"; viaExternalGroups?: boolean })[];
}

/** An existing organization to start from (see AnypointSimulator.seedOrganization). */
export interface AnypointSeed {
  masterName?: string;
  /** Business groups by name; nested under `parent` (a business group name), else under the master. */
  businessGroups?: (string | { name: string; parent?: string })[];
  /** Roles beyond DEFAULT_ROLES. */
  roles?: string[];
  roleGroups?: { name: string; org?: string; roles?: string[] }[];
  teams?: (string | { name: string; roles?: SeedGrant[] })[];
  /** N ordinary users (user0000, user0001, …) or explicit ones. */
  users?: number | SeedUser[];
  connectedApps?: (Omit<SimConnectedApp, "name" | "orgAdmin"> & { name?: string; orgAdmin?: boolean })[];
}

export const ORG_ADMIN_ROLE = "Organization Administrator";
export const DEFAULT_ROLES = [
  ORG_ADMIN_ROLE,
  "Exchange Viewer",
  "Exchange Contributor",
  "API Manager Environment Administrator",
  "Runtime Manager Read Only",
  "Business Group Viewer",
  "API Creator",
];

export class AnypointState {
  readonly orgs = new Map<string, SimOrg>();
  readonly users = new Map<string, SimAnypointUser>();
  /** Lower-cased usernames ever used here: Anypoint never lets a username be reused, even after deletion. */
  readonly usedUsernames = new Set<string>();
  readonly roles = new Map<string, SimRole>();
  /** Direct role assignments: `${userId}|${roleId}|${orgId}`, `|${envId}` appended when scoped to an environment. */
  readonly assignments = new Set<string>();
  /**
   * A fault for tests: assignments (keys as in `assignments`) that POST /roles/users/search leaves out, as a search that disagrees with the
   * per-person reads would.
   */
  readonly searchOmits = new Set<string>();
  readonly roleGroups = new Map<string, SimRoleGroup>();
  /** `${userId}|${roleGroupId}` → the assignment's own id (user_role_group_id). */
  readonly userRoleGroups = new Map<string, string>();
  readonly teams = new Map<string, SimTeam>();
  readonly invites = new Map<number, SimInvite>();
  readonly connectedApps = new Map<string, SimConnectedApp>();
  readonly master: SimOrg;
  private nextInviteId = 520;

  constructor(
    masterName = "Acme Corp",
    readonly idproviderId = "mulesoft",
  ) {
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

  addRoleGroup(name: string, orgId = this.master.id, roleIds: string[] = []): SimRoleGroup {
    const group = { id: randomUUID(), name, orgId, roleIds, createdAt: new Date().toISOString() };
    this.roleGroups.set(group.id, group);
    return group;
  }

  addTeam(name: string): SimTeam {
    const team: SimTeam = {
      id: randomUUID(),
      name,
      members: new Set(),
      maintainers: new Set(),
      viaExternalGroups: new Set(),
      roles: new Set(),
      createdAt: new Date().toISOString(),
    };
    this.teams.set(team.id, team);
    return team;
  }

  addConnectedApp(app: SimConnectedApp): SimConnectedApp {
    this.connectedApps.set(app.clientId, app);
    return app;
  }

  addUser(input: {
    username: string;
    email?: string;
    firstName?: string;
    lastName?: string;
    phoneNumber?: string;
    password?: string;
    enabled?: boolean;
    idproviderId?: string;
    lastLogin?: string;
  }): SimAnypointUser {
    const now = new Date().toISOString();
    const user: SimAnypointUser = {
      id: randomUUID(),
      email: `${input.username}@example.com`,
      firstName: "First",
      lastName: "Last",
      phoneNumber: "",
      enabled: true,
      deleted: false,
      idproviderId: this.idproviderId,
      createdAt: now,
      updatedAt: now,
      lastLogin: null,
      previousLastLogin: null,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    } as SimAnypointUser;
    this.users.set(user.id, user);
    this.usedUsernames.add(user.username.toLowerCase());
    return user;
  }

  invite(email: string, grants: Pick<SimInvite, "teams" | "roles"> = { teams: [], roles: [] }): SimInvite {
    const invite: SimInvite = { id: this.nextInviteId++, email, status: "INVITED", invitedAt: new Date().toISOString(), ...grants };
    this.invites.set(invite.id, invite);
    return invite;
  }

  /**
   * What happens when the invited person signs in (through the organization's identity provider): a user with the invite's teams and roles.
   */
  acceptInvite(email: string, username: string, names: { firstName?: string; lastName?: string } = {}): SimAnypointUser {
    const invite = [...this.invites.values()].find((i) => i.email.toLowerCase() === email.toLowerCase() && i.status === "INVITED");
    if (!invite) throw new Error(`simulator: no pending invite for ${email}`);
    invite.status = "ACCEPTED";
    const user = this.addUser({ username, email, ...names });
    for (const t of invite.teams) this.joinTeam(t.teamId, user.id, t.membershipType);
    for (const r of invite.roles) this.assign(user.id, r.roleId, r.orgId);
    return user;
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

  roleGroupByName(name: string, orgId = this.master.id): SimRoleGroup | undefined {
    return [...this.roleGroups.values()].find((g) => g.name === name && g.orgId === orgId);
  }

  activeUser(id: string): SimAnypointUser | undefined {
    const u = this.users.get(id);
    return u && !u.deleted ? u : undefined;
  }

  findUser(username: string): SimAnypointUser | undefined {
    return [...this.users.values()].find((u) => !u.deleted && u.username.toLowerCase() === username.toLowerCase());
  }

  /** The organization and its ancestors, nearest first. */
  lineage(orgId: string): SimOrg[] {
    const out: SimOrg[] = [];
    for (let o = this.orgs.get(orgId); o; o = o.parentId ? this.orgs.get(o.parentId) : undefined) out.push(o);
    return out;
  }

  assign(userId: string, roleId: string, orgId: string, envId?: string): void {
    this.assignments.add(`${userId}|${roleId}|${orgId}${envId ? `|${envId}` : ""}`);
  }

  unassign(userId: string, roleId: string, orgId: string, envId?: string): boolean {
    return this.assignments.delete(`${userId}|${roleId}|${orgId}${envId ? `|${envId}` : ""}`);
  }

  /** Every direct role assignment, or those of one organization, with its environment when scoped to one. */
  directAssignments(orgId?: string): { userId: string; roleId: string; orgId: string; envId?: string }[] {
    const out: { userId: string; roleId: string; orgId: string; envId?: string }[] = [];
    for (const a of this.assignments) {
      const [userId, roleId, o, envId] = a.split("|") as [string, string, string, string | undefined];
      if (!orgId || o === orgId) out.push({ userId, roleId, orgId: o, ...(envId ? { envId } : {}) });
    }
    return out;
  }

  joinTeam(teamId: string, userId: string, membershipType: "member" | "maintainer" = "member"): void {
    const team = this.teams.get(teamId)!;
    team.members.add(userId);
    if (membershipType === "maintainer") team.maintainers.add(userId);
    else team.maintainers.delete(userId);
  }

  leaveTeam(teamId: string, userId: string): void {
    const team = this.teams.get(teamId)!;
    team.members.delete(userId);
    team.maintainers.delete(userId);
    team.viaExternalGroups.delete(userId);
  }

  /** Direct role assignments of a user in one organization (what GET …/users/{id}/roles answers by default). */
  rolesOf(userId: string, orgId: string): SimRole[] {
    return this.roleAssignmentsOf(userId, orgId).map((a) => a.role);
  }

  /** The same with each assignment's environment, when it is scoped to one. */
  roleAssignmentsOf(userId: string, orgId: string): { role: SimRole; envId?: string }[] {
    return [...this.assignments]
      .map((a) => a.split("|"))
      .filter(([u, , o]) => u === userId && o === orgId)
      .map(([, r, , envId]) => ({ role: this.roles.get(r!)!, ...(envId ? { envId } : {}) }));
  }

  roleGroupsOf(userId: string, orgId: string): SimRoleGroup[] {
    return [...this.roleGroups.values()].filter((g) => g.orgId === orgId && this.userRoleGroups.has(`${userId}|${g.id}`));
  }

  teamsOf(userId: string): SimTeam[] {
    return [...this.teams.values()].filter((t) => t.members.has(userId));
  }

  /** Teams that grant at least one role in the organization. */
  teamsGranting(orgId: string): SimTeam[] {
    return [...this.teams.values()].filter((t) => [...t.roles].some((r) => r.endsWith(`|${orgId}`)));
  }

  /** Every permission a user holds in one organization, and where it comes from. */
  permissionsOf(userId: string, orgId: string): { via: "role" | "roleGroup" | "team"; name: string; roleName?: string }[] {
    const out: { via: "role" | "roleGroup" | "team"; name: string; roleName?: string }[] = this.rolesOf(userId, orgId).map((r) => ({
      via: "role",
      name: r.name,
    }));
    for (const g of this.roleGroupsOf(userId, orgId)) out.push({ via: "roleGroup", name: g.name });
    for (const t of this.teamsOf(userId)) {
      for (const grant of t.roles) {
        const [roleId, o] = grant.split("|");
        if (o === orgId) out.push({ via: "team", name: t.name, roleName: this.roles.get(roleId!)?.name });
      }
    }
    return out;
  }

  /** Users holding any permission in the organization: a business group's members. */
  membersOf(orgId: string): Set<string> {
    // One pass over each kind of permission (not one per user): thousands of people page in time.
    const holders = new Set<string>();
    for (const a of this.assignments) if (a.split("|")[2] === orgId) holders.add(a.split("|")[0]!);
    for (const key of this.userRoleGroups.keys())
      if (this.roleGroups.get(key.split("|")[1]!)?.orgId === orgId) holders.add(key.split("|")[0]!);
    for (const t of this.teams.values()) if ([...t.roles].some((r) => r.endsWith(`|${orgId}`))) for (const m of t.members) holders.add(m);
    return new Set([...this.users.values()].filter((u) => !u.deleted && holders.has(u.id)).map((u) => u.id));
  }

  /** For tests: who is in which organization, and through what. */
  memberships(): { userId: string; username: string; orgId: string; orgName: string; via: "role" | "roleGroup" | "team"; name: string }[] {
    return [...this.users.values()]
      .filter((u) => !u.deleted)
      .flatMap((u) =>
        [...this.orgs.values()].flatMap((o) =>
          this.permissionsOf(u.id, o.id).map((p) => ({
            userId: u.id,
            username: u.username,
            orgId: o.id,
            orgName: o.name,
            via: p.via,
            name: p.name,
          })),
        ),
      );
  }

  /** Organization Administrator in this organization or an ancestor (directly, through a role group or a team). */
  isOrgAdmin(principal: SimPrincipal, orgId: string): boolean {
    if (principal.kind === "client") return principal.app.orgAdmin;
    const admin = this.roleByName(ORG_ADMIN_ROLE)!;
    return this.lineage(orgId).some((o) => {
      if (this.assignments.has(`${principal.userId}|${admin.id}|${o.id}`)) return true;
      if (this.roleGroupsOf(principal.userId, o.id).some((g) => g.roleIds.includes(admin.id))) return true;
      return this.teamsOf(principal.userId).some((t) => t.roles.has(`${admin.id}|${o.id}`));
    });
  }

  /**
   * Removing a user from a business group = removing every permission they have there. Direct
   * roles and role groups go; team memberships stay, because a team is a root-level object whose
   * other grants would go with it (the client removes those explicitly).
   */
  removeAllPermissions(userId: string, orgId: string): void {
    for (const a of [...this.assignments]) if (a.startsWith(`${userId}|`) && a.split("|")[2] === orgId) this.assignments.delete(a);
    for (const g of this.roleGroupsOf(userId, orgId)) this.userRoleGroups.delete(`${userId}|${g.id}`);
  }

  /** Deletion from the master org: the membership goes (all permissions, all teams), the account and its username stay. */
  deleteUser(userId: string): void {
    const user = this.users.get(userId)!;
    user.deleted = true;
    user.updatedAt = new Date().toISOString();
    for (const a of [...this.assignments]) if (a.startsWith(`${userId}|`)) this.assignments.delete(a);
    for (const key of [...this.userRoleGroups.keys()]) if (key.startsWith(`${userId}|`)) this.userRoleGroups.delete(key);
    for (const team of this.teams.values()) this.leaveTeam(team.id, userId);
  }

  /** Adds an existing organization's objects; returns the users it created. */
  seed(seed: AnypointSeed): SimAnypointUser[] {
    if (seed.masterName) this.master.name = seed.masterName;
    for (const bg of seed.businessGroups ?? []) {
      const { name, parent } = typeof bg === "string" ? { name: bg, parent: undefined } : bg;
      this.addOrg(name, parent ? this.seedOrg(parent).id : this.master.id);
    }
    for (const role of seed.roles ?? []) if (!this.roleByName(role)) this.addRole(role);
    for (const g of seed.roleGroups ?? [])
      this.addRoleGroup(
        g.name,
        this.seedOrg(g.org).id,
        (g.roles ?? []).map((r) => this.seedRole(r).id),
      );
    for (const t of seed.teams ?? []) {
      const { name, roles } = typeof t === "string" ? { name: t, roles: [] } : t;
      const team = this.teamByName(name) ?? this.addTeam(name);
      for (const grant of roles ?? []) team.roles.add(`${this.seedRole(grant.role).id}|${this.seedOrg(grant.org).id}`);
    }
    for (const app of seed.connectedApps ?? []) this.addConnectedApp({ name: app.clientId, orgAdmin: false, ...app });
    const users: SeedUser[] =
      typeof seed.users === "number"
        ? Array.from({ length: seed.users }, (_, i) => ({ username: `user${String(i).padStart(4, "0")}` }))
        : (seed.users ?? []);
    const created: SimAnypointUser[] = [];
    for (const u of users) {
      const user = this.addUser({
        username: u.username,
        email: u.email,
        firstName: u.firstName,
        lastName: u.lastName,
        password: u.password,
        enabled: u.enabled,
        lastLogin: u.lastLogin,
      });
      for (const grant of u.roles ?? []) this.assign(user.id, this.seedRole(grant.role).id, this.seedOrg(grant.org).id, grant.envId);
      for (const g of u.roleGroups ?? []) {
        const group = this.roleGroupByName(g.name, this.seedOrg(g.org).id);
        if (!group) throw new Error(`simulator seed: no role group '${g.name}' in '${g.org ?? this.master.name}'`);
        this.userRoleGroups.set(`${user.id}|${group.id}`, randomUUID());
      }
      for (const t of u.teams ?? []) {
        const { name, membershipType, viaExternalGroups } =
          typeof t === "string" ? { name: t, membershipType: undefined, viaExternalGroups: false } : t;
        const team = this.teamByName(name);
        if (!team) throw new Error(`simulator seed: no team '${name}'`);
        this.joinTeam(team.id, user.id, membershipType);
        if (viaExternalGroups) team.viaExternalGroups.add(user.id);
      }
      created.push(user);
    }
    return created;
  }

  private seedOrg(name: string | undefined): SimOrg {
    const org = name === undefined ? this.master : this.orgByName(name);
    if (!org) throw new Error(`simulator seed: no organization or business group named '${name}'`);
    return org;
  }

  private seedRole(name: string): SimRole {
    const role = this.roleByName(name);
    if (!role) throw new Error(`simulator seed: no role named '${name}' (add it to seed.roles)`);
    return role;
  }
}
