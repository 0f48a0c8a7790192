// A local Anypoint Platform Access Management API (under /accounts), for the demo, the tests and
// the benchmarks: bearer tokens from a connected app or a username/password login, the master
// organization and its business groups, users with offset/limit paging (default 25, max 500),
// create (409 for a username used before, even deleted), update, single and bulk delete (master
// org only), role assignments scoped to a business group, team members, 403 for callers without
// Organization Administrator, and rate limiting with X-RateLimit-* headers.
import { randomUUID } from "node:crypto";
import { PlatformSimulator, type SimRequest, type SimResponse, type SimulatorOptions } from "../../src/sim/harness";
import { AnypointState, type AnypointSeed, type SimAnypointUser, type SimOrg, type SimPrincipal } from "./simulator-state";

export interface AnypointSimulatorOptions extends SimulatorOptions {
  seed?: AnypointSeed;
  tokenTtlSeconds?: number;
  /** Requests per token per window before 429 (default 10,000 a minute). */
  rateLimit?: { limit: number; windowMs: number };
}

/** The demo's and tests' credentials: a connected app with Organization Administrator. */
export const SIM_ANYPOINT_APP = { clientId: "rollcall-sim-app", clientSecret: "sim-secret-5b0c2e7d" };
export const SIM_ANYPOINT_VIEWER_APP = { clientId: "viewer-app", clientSecret: "viewer-secret" };

const A = "/accounts/api";
const msg = (status: number, message: string, extra: Record<string, unknown> = {}): SimResponse => ({ status, body: { status, message, ...extra } });

export class AnypointSimulator extends PlatformSimulator {
  readonly state: AnypointState;
  private readonly clients = new Map<string, { secret: string; principal: SimPrincipal }>();
  private readonly tokens = new Map<string, { principal: SimPrincipal; expiresAt: number }>();
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly options: AnypointSimulatorOptions = {}) {
    super("Anypoint", options);
    this.state = new AnypointState();
    this.clients.set(SIM_ANYPOINT_APP.clientId, { secret: SIM_ANYPOINT_APP.clientSecret, principal: { kind: "client", id: SIM_ANYPOINT_APP.clientId, name: "rollcall", orgAdmin: true } });
    this.clients.set(SIM_ANYPOINT_VIEWER_APP.clientId, { secret: SIM_ANYPOINT_VIEWER_APP.clientSecret, principal: { kind: "client", id: SIM_ANYPOINT_VIEWER_APP.clientId, name: "viewer", orgAdmin: false } });
    if (options.seed) this.state.seed(options.seed);
    this.routes();
  }

  private routes(): void {
    const s = this.server;
    s.route("POST", `${A}/v2/oauth2/token`, (req) => this.clientToken(req));
    s.route("POST", "/accounts/login", (req) => this.login(req));
    s.route("GET", `${A}/me`, (req) => this.authed(req, false, (p) => this.me(p)));
    s.route("GET", `${A}/organizations/:org`, (req) => this.authed(req, false, () => this.withOrg(req, (o) => ({ status: 200, body: this.orgJson(o) }))));
    s.route("GET", `${A}/organizations/:org/hierarchy`, (req) => this.authed(req, false, () => this.withOrg(req, (o) => ({ status: 200, body: this.tree(o) }))));
    s.route("GET", `${A}/roles`, (req) => this.authed(req, false, () => this.page(req, [...this.state.roles.values()].sort((a, b) => a.name.localeCompare(b.name)).map((r) => ({ role_id: r.id, name: r.name, description: r.name, internal: false, org_id: null, namespaces: [], product: "platform" })))));
    s.route("GET", `${A}/organizations/:org/users`, (req) => this.authed(req, false, () => this.withOrg(req, (o) => this.listUsers(req, o))));
    s.route("POST", `${A}/organizations/:org/users`, (req) => this.authed(req, true, () => this.withOrg(req, (o) => this.createUser(req, o))));
    s.route("DELETE", `${A}/organizations/:org/users`, (req) => this.authed(req, true, () => this.withOrg(req, (o) => this.bulkDelete(req, o))));
    s.route("GET", `${A}/organizations/:org/users/:user`, (req) => this.authed(req, false, () => this.withUser(req, (_o, u) => ({ status: 200, body: this.userJson(u) }))));
    s.route("PUT", `${A}/organizations/:org/users/:user`, (req) => this.authed(req, true, () => this.withUser(req, (_o, u) => this.updateUser(req, u))));
    s.route("DELETE", `${A}/organizations/:org/users/:user`, (req) => this.authed(req, true, () => this.withUser(req, (o, u) => this.deleteOne(o, u))));
    s.route("DELETE", `${A}/organizations/:org/members`, (req) => this.authed(req, true, () => this.withOrg(req, (o) => this.removeMembers(req, o))));
    s.route("GET", `${A}/organizations/:org/users/:user/roles`, (req) => this.authed(req, false, () => this.withUser(req, (o, u) => this.page(req, this.state.rolesOf(u.id, o.id).map((r) => ({ role_id: r.id, name: r.name, description: r.name, context_params: { org: o.id } }))))));
    s.route("POST", `${A}/organizations/:org/users/:user/roles`, (req) => this.authed(req, true, () => this.withUser(req, (o, u) => this.assignRoles(req, o, u))));
    s.route("DELETE", `${A}/organizations/:org/users/:user/roles/:role`, (req) => this.authed(req, true, () => this.withUser(req, (o, u) => this.unassignRole(req, o, u))));
    s.route("GET", `${A}/organizations/:org/teams`, (req) => this.authed(req, false, () => this.withOrg(req, () => this.page(req, [...this.state.teams.values()].map((t) => ({ team_id: t.id, team_name: t.name, org_id: this.state.master.id, org_name: this.state.master.name, team_type: "internal", ancestor_team_ids: [] }))))));
    s.route("GET", `${A}/organizations/:org/users/:user/teams`, (req) => this.authed(req, false, () => this.withUser(req, (_o, u) => this.page(req, [...this.state.teams.values()].filter((t) => t.members.has(u.id)).map((t) => ({ team_id: t.id, team_name: t.name, org_id: this.state.master.id, org_name: this.state.master.name, team_type: "internal", membership_type: "member", is_assigned_via_external_groups: false, ancestor_team_ids: [] }))))));
    s.route("POST", `${A}/organizations/:org/invites`, (req) => this.authed(req, true, () => this.withOrg(req, (o) => this.invite(req, o))));
    s.route("GET", `${A}/organizations/:org/invites`, (req) => this.authed(req, false, () => this.withOrg(req, () => this.page(req, [...this.state.invites.values()].filter((i) => i.status === "INVITED").map((i) => this.inviteJson(i))))));
    s.route("DELETE", `${A}/organizations/:org/invites`, (req) => this.authed(req, true, () => this.withOrg(req, () => this.cancelInvites(req))));
    s.route("PUT", `${A}/organizations/:org/teams/:team/members/:user`, (req) => this.authed(req, true, () => this.teamMember(req, true)));
    s.route("DELETE", `${A}/organizations/:org/teams/:team/members/:user`, (req) => this.authed(req, true, () => this.teamMember(req, false)));
  }

  // --- authentication -------------------------------------------------------------------------

  private issue(principal: SimPrincipal): SimResponse {
    const token = randomUUID();
    const ttl = this.options.tokenTtlSeconds ?? 3600;
    this.tokens.set(token, { principal, expiresAt: Date.now() + ttl * 1000 });
    return { status: 200, body: { access_token: token, token_type: "bearer", expires_in: ttl } };
  }

  private clientToken(req: SimRequest): SimResponse {
    const body = (typeof req.body === "string" ? Object.fromEntries(new URLSearchParams(req.body)) : (req.body ?? {})) as Record<string, string>;
    if (body.grant_type !== "client_credentials") return msg(400, "Unsupported grant_type");
    const app = this.clients.get(body.client_id ?? "");
    if (!app || app.secret !== body.client_secret) return { status: 401, body: { error: "invalid_client", error_description: "Invalid client credentials" } };
    return this.issue(app.principal);
  }

  private login(req: SimRequest): SimResponse {
    const { username, password } = (req.body ?? {}) as { username?: string; password?: string };
    const user = username ? this.state.findUser(username) : undefined;
    if (!user || user.password === undefined || user.password !== password) return msg(401, "Invalid username or password");
    if (!user.enabled) return msg(403, "The user is disabled and cannot login");
    const orgAdmin = this.state.rolesOf(user.id, this.state.master.id).some((r) => r.name === "Organization Administrator");
    const res = this.issue({ kind: "user", id: user.id, name: user.username, orgAdmin });
    return { status: 200, body: { access_token: (res.body as { access_token: string }).access_token, token_type: "bearer", redirectUrl: "/home/" } };
  }

  /** Bearer token, rate limit, then Organization Administrator for writes (and user management). */
  private authed(req: SimRequest, needsAdmin: boolean, handler: (p: SimPrincipal) => SimResponse): SimResponse {
    const header = String(req.headers.authorization ?? "");
    const session = header.startsWith("Bearer ") ? this.tokens.get(header.slice(7)) : undefined;
    if (!session || session.expiresAt < Date.now()) return { status: 401, body: "Unauthorized" };
    const limit = this.options.rateLimit ?? { limit: 10_000, windowMs: 60_000 };
    const now = Date.now();
    const win = this.windows.get(header) ?? { start: now, count: 0 };
    if (now - win.start >= limit.windowMs) Object.assign(win, { start: now, count: 0 });
    win.count++;
    this.windows.set(header, win);
    const headers = { "x-ratelimit-limit": String(limit.limit), "x-ratelimit-remaining": String(Math.max(0, limit.limit - win.count)), "x-ratelimit-reset": String(Math.ceil((win.start + limit.windowMs - now) / 1000)) };
    if (win.count > limit.limit) return { status: 429, body: msg(429, "Too many requests").body, headers };
    if (needsAdmin && !session.principal.orgAdmin) return { status: 403, body: "Forbidden", headers };
    const res = handler(session.principal);
    return { ...res, headers: { ...headers, ...res.headers } };
  }

  // --- organizations --------------------------------------------------------------------------

  private withOrg(req: SimRequest, handler: (o: SimOrg) => SimResponse): SimResponse {
    const org = this.state.orgs.get(req.params.org!);
    return org ? handler(org) : msg(404, "Organization does not exist");
  }

  private withUser(req: SimRequest, handler: (o: SimOrg, u: SimAnypointUser) => SimResponse): SimResponse {
    return this.withOrg(req, (o) => {
      const user = this.state.activeUser(req.params.user!);
      return user ? handler(o, user) : msg(404, "User does not exist");
    });
  }

  private orgJson(o: SimOrg) {
    const children = [...this.state.orgs.values()].filter((c) => c.parentId === o.id);
    const ancestors: string[] = [];
    for (let p = o.parentId; p; p = this.state.orgs.get(p)?.parentId) ancestors.unshift(p);
    const owner = { id: "00000000-0000-4000-8000-00000000000a", username: "organization_owner", firstName: "Organization", lastName: "Owner", email: "owner@example.com", organizationId: this.state.master.id, enabled: true, idprovider_id: "mulesoft" };
    return {
      id: o.id,
      name: o.name,
      createdAt: "2024-01-01T00:00:00.000Z",
      updatedAt: "2024-01-01T00:00:00.000Z",
      ownerId: owner.id,
      clientId: o.id.replace(/-/g, "").slice(0, 32),
      domain: o.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      idprovider_id: "mulesoft",
      isFederated: false,
      orgType: "default",
      parentOrganizationIds: ancestors,
      subOrganizationIds: children.map((c) => c.id),
      tenantOrganizationIds: [],
      isRoot: !o.parentId,
      isMaster: !o.parentId,
      sessionTimeout: 60,
      properties: {},
      entitlements: {},
      environments: [],
      environmentsCount: 0,
      owner,
      subscription: { category: "Customer", type: "Platinum", expiration: "2030-01-01T00:00:00.000Z" },
      salesforce: {},
    };
  }

  private tree(o: SimOrg): Record<string, unknown> {
    return { ...this.orgJson(o), subOrganizations: [...this.state.orgs.values()].filter((c) => c.parentId === o.id).map((c) => this.tree(c)) };
  }

  private me(p: SimPrincipal): SimResponse {
    if (p.kind === "client") return { status: 200, body: { client: { client_id: p.id, name: p.name, org_id: this.state.master.id, grant_types: ["client_credentials"] } } };
    const user = this.state.users.get(p.id)!;
    return { status: 200, body: { user: { ...this.userJson(user), organization: this.orgJson(this.state.master), memberOfOrganizations: [this.orgJson(this.state.master)] } } };
  }

  // --- users ----------------------------------------------------------------------------------

  userJson(u: SimAnypointUser) {
    return {
      id: u.id,
      username: u.username,
      firstName: u.firstName,
      lastName: u.lastName,
      email: u.email,
      email_verified_at: u.createdAt,
      phoneNumber: u.phoneNumber,
      organizationId: this.state.master.id,
      // The user's organization as a summary: no child ids (the description types them as objects).
      organization: { ...this.orgJson(this.state.master), subOrganizationIds: [] },
      enabled: u.enabled,
      deleted: u.deleted,
      idprovider_id: "mulesoft",
      type: "host",
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
      lastLogin: u.createdAt,
      previousLastLogin: u.createdAt,
      ipAllowlistExcluded: false,
      isApiConsumer: false,
      mfaVerifiersConfigured: "false",
      mfaVerificationExcluded: false,
      isFederated: false,
      organizationPreferences: {},
      properties: {},
    };
  }

  /** offset/limit paging with the documented default 25 and maximum 500. */
  private page(req: SimRequest, all: unknown[]): SimResponse {
    const offset = Number(req.query.get("offset") ?? 0);
    const limit = Number(req.query.get("limit") ?? 25);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0 || limit > 500) return msg(400, "offset must be >= 0 and limit between 0 and 500");
    return { status: 200, body: { data: all.slice(offset, offset + limit), total: all.length } };
  }

  private listUsers(req: SimRequest, org: SimOrg): SimResponse {
    const search = (req.query.get("search") ?? "").toLowerCase();
    const members = org.parentId ? this.state.membersOf(org.id) : undefined;
    const users = [...this.state.users.values()]
      .filter((u) => !u.deleted && (!members || members.has(u.id)))
      .filter((u) => !search || [u.username, u.firstName, u.lastName, u.email].some((f) => f.toLowerCase().includes(search)))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return this.page(req, users.map((u) => this.userJson(u)));
  }

  private createUser(req: SimRequest, org: SimOrg): SimResponse {
    if (org.parentId) return msg(400, "Users can only be created in the master organization");
    const b = (req.body ?? {}) as Record<string, string>;
    for (const f of ["username", "firstName", "lastName", "email", "password"]) if (typeof b[f] !== "string" || !b[f]) return msg(400, `${f} is required`);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(b.email!)) return msg(400, "email is invalid");
    if (this.state.usedUsernames.has(b.username!.toLowerCase())) {
      const deleted = !this.state.findUser(b.username!);
      return msg(409, "Username already exists", deleted ? { details: "This username belonged to a user who was deleted; usernames cannot be reused." } : {});
    }
    const user = this.state.addUser({ username: b.username!, email: b.email!, firstName: b.firstName!, lastName: b.lastName!, phoneNumber: b.phoneNumber ?? "", password: b.password });
    return { status: 201, body: this.userJson(user) };
  }

  private updateUser(req: SimRequest, user: SimAnypointUser): SimResponse {
    const b = (req.body ?? {}) as Partial<SimAnypointUser>;
    if (b.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(b.email)) return msg(400, "email is invalid");
    for (const f of ["firstName", "lastName", "email", "enabled", "phoneNumber"] as const) if (b[f] !== undefined) (user as unknown as Record<string, unknown>)[f] = b[f];
    user.updatedAt = new Date().toISOString();
    return { status: 200, body: this.userJson(user) };
  }

  /** Only the master organization deletes users; a business group can only remove permissions. */
  private refuseBusinessGroup(org: SimOrg): SimResponse | undefined {
    return org.parentId ? msg(400, `Users can only be deleted from the master organization. '${org.name}' is a business group: remove the user's permissions there instead.`) : undefined;
  }

  private deleteOne(org: SimOrg, user: SimAnypointUser): SimResponse {
    const refused = this.refuseBusinessGroup(org);
    if (refused) return refused;
    this.state.deleteUser(user.id);
    return { status: 200, body: this.userJson(user) };
  }

  private bulkDelete(req: SimRequest, org: SimOrg): SimResponse {
    const refused = this.refuseBusinessGroup(org);
    if (refused) return refused;
    const ids = req.body;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) return msg(400, "Body must be a JSON array of user ids");
    const unknown = ids.filter((id) => !this.state.activeUser(id));
    if (unknown.length) return msg(404, `User does not exist: ${unknown.join(", ")}`);
    for (const id of ids) this.state.deleteUser(id);
    return { status: 204 };
  }

  /** DELETE …/members on a business group: each user loses every permission there. */
  private removeMembers(req: SimRequest, org: SimOrg): SimResponse {
    const ids = req.body;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) return msg(400, "Body must be a JSON array of user ids");
    if (!org.parentId) return msg(400, "Invalid IDs or some users could not be removed from the org: use the users endpoint to delete users from the master organization");
    if (ids.some((id) => !this.state.activeUser(id))) return msg(400, "Invalid IDs or some users could not be removed from the org");
    for (const id of ids) this.state.removeAllPermissions(id, org.id);
    return { status: 204 };
  }

  private assignRoles(req: SimRequest, org: SimOrg, user: SimAnypointUser): SimResponse {
    const body = (req.body ?? {}) as Record<string, { org?: string }>;
    for (const [roleId, ctx] of Object.entries(body)) {
      if (!this.state.roles.has(roleId)) return msg(400, `Invalid role_id or context_parameters: ${roleId}`);
      if (ctx?.org && !this.state.orgs.has(ctx.org)) return msg(400, `Invalid role_id or context_parameters: org ${ctx.org}`);
    }
    for (const [roleId, ctx] of Object.entries(body)) this.state.assign(user.id, roleId, ctx?.org ?? org.id);
    return { status: 200, body: {} };
  }

  private unassignRole(req: SimRequest, org: SimOrg, user: SimAnypointUser): SimResponse {
    const ctx = ((req.body ?? {}) as { org?: string }).org ?? org.id;
    this.state.assignments.delete(`${user.id}|${req.params.role}|${ctx}`);
    return { status: 200, body: {} };
  }

  private inviteJson(i: { id: number; email: string; status: string; invitedAt: string }) {
    const org = { id: this.state.master.id, name: this.state.master.name };
    return { id: i.id, code: randomUUID(), invited_at: i.invitedAt, invited_email: i.email, invited_by_user: { id: "00000000-0000-4000-8000-00000000000a", username: "organization_owner", first_name: "Organization", last_name: "Owner" }, invited_to_org: org, expires_at: new Date(Date.parse(i.invitedAt) + 7 * 86_400_000).toISOString(), status: i.status, completed_at: null, completed_by_user: null, teams: [] };
  }

  /** POST …/invites: a list of {email, teams?|roles?|role_groups?}; answers the invites. */
  private invite(req: SimRequest, org: SimOrg): SimResponse {
    if (org.parentId) return msg(400, "Bad request; invitations are sent from the master organization");
    const list = req.body;
    if (!Array.isArray(list) || list.some((i) => typeof (i as { email?: unknown }).email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test((i as { email: string }).email))) return msg(400, "Bad request; each invite needs a valid email");
    return { status: 200, body: list.map((i) => this.inviteJson(this.state.invite((i as { email: string }).email))) };
  }

  private cancelInvites(req: SimRequest): SimResponse {
    const ids = req.body;
    if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id))) return msg(400, "Bad request; the body is a list of invite ids");
    const pending = ids.map((id) => this.state.invites.get(id)).filter((i) => i?.status === "INVITED");
    if (!pending.length) return msg(400, "Bad request; unknown organization, bad parameter or no invite was deleted");
    for (const i of pending) i!.status = "CANCELED";
    return { status: 204 };
  }

  private teamMember(req: SimRequest, add: boolean): SimResponse {
    const team = this.state.teams.get(req.params.team!);
    if (!team) return msg(404, "Team does not exist");
    const user = this.state.activeUser(req.params.user!);
    if (!user) return { status: 405, body: msg(405, "The member id is not a user of this organization").body };
    if (add) team.members.add(user.id);
    else team.members.delete(user.id);
    return { status: 204 };
  }
}

export function createAnypointSimulator(options?: AnypointSimulatorOptions): AnypointSimulator {
  return new AnypointSimulator(options);
}
