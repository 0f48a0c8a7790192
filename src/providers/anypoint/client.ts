// Anypoint Access Management client over the shared HttpClient (undici). Authentication, rate
// limits and the control-plane URL are in client-auth.ts; this file is the API rollcall uses, in
// the platform's own rules: users live in the master organization and are created and deleted
// only there; a username is never reusable; someone leaves a business group by losing every
// permission they hold there (roles, role groups, and teams whose roles are scoped to it).
import { randomBytes } from "node:crypto";
import { HttpClient, HttpError, type HttpCall, type HttpClientOptions, type HttpResult } from "../../core/http/client";
import type { AnypointSettings } from "../../core/config";
import { closestNames } from "../../core/model/suggest";
import { Lazy } from "../../core/util/lazy";
import type { AnypointApi, AnypointUserRecord, AnypointUserUpdate, BulkDeleteOutcome, Named, NewAnypointUser } from "./api";
import { anypointBaseUrl, AnypointTokens, type AnypointCredentials } from "./client-auth";

export { anypointBaseUrl } from "./client-auth";

/** Who the credentials are: a user or a connected app, and the master organization they belong to. */
export interface AnypointCaller {
  kind: "user" | "client";
  id: string;
  name: string;
  organizationId: string;
}

export interface AnypointOrgNode {
  id: string;
  name: string;
  parentId?: string;
  /** Names from the master organization down to this one. */
  path: string[];
  children: AnypointOrgNode[];
}

export interface RoleAssignment extends Named {
  org: string;
  envId?: string;
}

export interface TeamMembership extends Named {
  membershipType: "member" | "maintainer";
  /** Granted by identity-provider group mappings: only the identity provider can take it away. */
  viaExternalGroups: boolean;
}

/** What removeBusinessGroupAccess took away, and the team memberships it could not. */
export interface BusinessGroupAccessRemoval {
  roles: RoleAssignment[];
  roleGroups: Named[];
  teams: Named[];
  keptTeams: Named[];
}

export interface AnypointClientOptions {
  http?: HttpClient;
  /** Retry overrides and hooks for the HttpClient this client makes (tests). */
  httpOptions?: Pick<HttpClientOptions, "retry" | "onRetry" | "budget">;
}

type Connection = Pick<AnypointSettings, "url"> & Partial<Pick<AnypointSettings, "http">> & AnypointCredentials;
type Page<T> = { data: T[]; total: number };
type UserJson = AnypointUserRecord & { phoneNumber?: string; ipAllowlistExcluded?: boolean; properties?: object };

const PAGE = 500;
const A = "/accounts/api";
export const ORG_ADMIN_HINT =
  "Managing users needs the Organization Administrator role in the master organization: grant it to the account rollcall uses " +
  "(or use a connected app acting for an Organization Administrator).";

export class AnypointClient implements AnypointApi {
  private readonly http: HttpClient;
  private readonly tokens: AnypointTokens;
  // Fetched once per client; a failed fetch is forgotten so the next call tries again.
  private readonly caller = new Lazy(() => this.fetchCaller());
  private readonly tree = new Lazy(() => this.fetchTree());
  private readonly roles = new Lazy(() => this.fetchRoles());
  private readonly teams = new Map<string, Lazy<Named[]>>();

  constructor(connection: Connection, options: AnypointClientOptions = {}) {
    this.http =
      options.http ??
      new HttpClient({ platform: "Anypoint", baseUrl: anypointBaseUrl(connection.url), settings: connection.http, ...options.httpOptions });
    this.tokens = new AnypointTokens(this.http, connection);
  }

  get url(): string {
    return this.http.baseUrl;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /**
   * An authenticated call: a refused token (401) is renewed once; 403 names the missing role unless the caller takes it. Public for
   * role-search.ts.
   */
  async call<T>(call: HttpCall): Promise<HttpResult<T>> {
    for (let renewed = false; ; renewed = true) {
      const token = await this.tokens.get();
      const res = await this.http.call<T>({
        ...call,
        headers: { authorization: `Bearer ${token}` },
        accept: [...(call.accept ?? []), 401, 403],
      });
      if (res.status === 401 && !renewed) {
        this.tokens.invalidate(token);
        continue;
      }
      if (res.status === 401)
        throw new HttpError(
          "Anypoint",
          call.method,
          `${this.url}${call.path}`,
          401,
          res.body,
          "A token issued just now was refused too, so the login works but this call is not allowed with it: check that the " +
            "connected app has the scopes for this call (or that nobody revoked its tokens), then run again.",
        );
      if (res.status === 403 && !call.accept?.includes(403))
        throw new HttpError("Anypoint", call.method, `${this.url}${call.path}`, 403, res.body, ORG_ADMIN_HINT);
      return res;
    }
  }

  /** Every page of a list, 500 at a time (the documented maximum). */
  private async all<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    const sep = path.includes("?") ? "&" : "?";
    for (let offset = 0; ; offset += PAGE) {
      const { body } = await this.call<Page<T>>({ method: "GET", list: true, path: `${path}${sep}offset=${offset}&limit=${PAGE}` });
      out.push(...body.data);
      if (body.data.length < PAGE || out.length >= body.total) return out;
    }
  }

  // --- who and where --------------------------------------------------------------------------------

  me(): Promise<AnypointCaller> {
    return this.caller.get();
  }

  private fetchCaller(): Promise<AnypointCaller> {
    return this.call<{
      client?: { client_id: string; name?: string; org_id?: string };
      user?: { id: string; username: string; organization?: { id: string }; properties?: { cs_auth?: { activeOrganizationId?: string } } };
    }>({ method: "GET", path: `${A}/me` }).then(({ body }) => {
      // Same order as MuleSoft's own provider: client.org_id, user.organization.id, the active organization.
      const organizationId = body.client?.org_id ?? body.user?.organization?.id ?? body.user?.properties?.cs_auth?.activeOrganizationId;
      if (!organizationId)
        throw new Error(
          "Anypoint: GET /accounts/api/me did not say which organization these credentials belong to; use a connected app or a " +
            "user of the master organization.",
        );
      return body.client
        ? { kind: "client" as const, id: body.client.client_id, name: body.client.name ?? body.client.client_id, organizationId }
        : { kind: "user" as const, id: body.user!.id, name: body.user!.username, organizationId };
    });
  }

  /** The master (root) organization of the credentials. */
  async masterOrganization(): Promise<Named> {
    const { id, name } = await this.organizationTree();
    return { id, name };
  }

  /** The master organization and its business groups, from GET …/hierarchy. */
  organizationTree(): Promise<AnypointOrgNode> {
    return this.tree.get();
  }

  private async fetchTree(): Promise<AnypointOrgNode> {
    type Json = { id: string; name: string; subOrganizations?: Json[] };
    const convert = (o: Json, parent?: AnypointOrgNode): AnypointOrgNode => {
      const node: AnypointOrgNode = { id: o.id, name: o.name, parentId: parent?.id, path: [...(parent?.path ?? []), o.name], children: [] };
      node.children = (o.subOrganizations ?? []).map((c) => convert(c, node));
      return node;
    };
    const me = await this.me();
    return convert((await this.call<Json>({ method: "GET", path: `${A}/organizations/${me.organizationId}/hierarchy` })).body);
  }

  /**
   * A business group (or the master organization) by name, or by path "Parent/Child" when names repeat; unknown names fail with the closest
   * ones.
   */
  async resolveBusinessGroup(name: string): Promise<Named> {
    const all: AnypointOrgNode[] = [];
    const walk = (n: AnypointOrgNode): void => void (all.push(n), n.children.forEach(walk));
    walk(await this.organizationTree());
    const found = all.filter((n) => n.name === name || n.path.slice(1).join("/") === name);
    if (found.length === 1) return { id: found[0]!.id, name: found[0]!.name };
    if (found.length > 1)
      throw new Error(
        `Anypoint: ${found.length} business groups are named '${name}' (` +
          `${found.map((n) => `'${n.path.slice(1).join("/")}'`).join(", ")}); name it by its path in users.yaml.`,
      );
    const close = closestNames(
      name,
      all.map((n) => n.name),
      3,
    );
    throw new Error(
      `Anypoint: no business group named '${name}' under the master organization` +
        `${close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(" or ")}?)` : ""}. Fix the business group name in ` +
        `users.yaml.`,
    );
  }

  async businessGroupId(name: string): Promise<string> {
    return (await this.resolveBusinessGroup(name)).id;
  }

  async businessGroupNames(): Promise<string[]> {
    const names: string[] = [];
    const walk = (n: AnypointOrgNode): void => void (names.push(n.name), n.children.forEach(walk));
    walk(await this.organizationTree());
    return names;
  }

  private async masterPath(): Promise<string> {
    return `${A}/organizations/${(await this.masterOrganization()).id}`;
  }

  // --- users -------------------------------------------------------------------------------------------

  private record(u: AnypointUserRecord): AnypointUserRecord {
    // Not a user object (null in the list): passed on as it came, for the caller's checks to name.
    if (typeof u !== "object" || u === null) return u;
    return {
      id: u.id,
      username: u.username,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      enabled: u.enabled,
      ...(u.phoneNumber ? { phoneNumber: u.phoneNumber } : {}),
    };
  }

  /** Every user of the master organization (all pages). */
  async listUsers(): Promise<AnypointUserRecord[]> {
    // The listing also keeps the last sign-in (the access review reads it); absent stays absent: unknown, not never.
    return (await this.all<AnypointUserRecord>(`${await this.masterPath()}/users`)).map((u) => ({
      ...this.record(u),
      ...("lastLogin" in u ? { lastLogin: u.lastLogin ?? null } : {}),
    }));
  }

  /**
   * Users holding a permission in a business group (GET …/organizations/{bg}/users lists only those; inferred from
   * https://docs.mulesoft.com/access-management/business-groups).
   */
  async listBusinessGroupUsers(orgId: string): Promise<AnypointUserRecord[]> {
    return (await this.all<AnypointUserRecord>(`${A}/organizations/${encodeURIComponent(orgId)}/users`)).map((u) => this.record(u));
  }

  /** Role names a user holds in an organization, directly, through role groups and through teams (for the preflight check). */
  async effectiveRoleNames(orgId: string, userId: string): Promise<string[]> {
    const { body } = await this.call<Page<{ name: string; context_params?: { org?: string } }>>({
      method: "GET",
      path: `${A}/organizations/${orgId}/users/${encodeURIComponent(userId)}/roles?role_groups=true&teams=true`,
      probe: true,
    });
    return body.data.filter((r) => (r.context_params?.org ?? orgId) === orgId).map((r) => r.name);
  }

  /**
   * Whether a connected app may administer the organization: only root Organization Administrators
   * can view connected apps (https://docs.mulesoft.com/access-management/connected-app-bearer-token-example), so reading the app's own
   * record is the probe; 403 = no.
   */
  async connectedAppCanAdminister(clientId: string): Promise<boolean> {
    const res = await this.call({
      method: "GET",
      path: `${A}/connectedApplications/${encodeURIComponent(clientId)}?includeUsage=false`,
      accept: [403],
      probe: true,
    });
    return res.status === 200;
  }

  /** The active user with this username (case-insensitive); `search` narrows the list, the exact match is made here. */
  async findUserByUsername(username: string): Promise<AnypointUserRecord | undefined> {
    const candidates = await this.all<AnypointUserRecord>(`${await this.masterPath()}/users?search=${encodeURIComponent(username)}`);
    const found = candidates.find((u) => u.username.toLowerCase() === username.toLowerCase());
    return found && this.record(found);
  }

  async getUser(id: string): Promise<AnypointUserRecord | undefined> {
    const res = await this.call<AnypointUserRecord>({
      method: "GET",
      path: `${await this.masterPath()}/users/${encodeURIComponent(id)}`,
      accept: [404],
    });
    return res.status === 404 ? undefined : this.record(res.body);
  }

  /** Creates a user in the master organization. A username used before, even by a deleted user, is refused with an explanation. */
  async createUser(user: NewAnypointUser & { phoneNumber?: string; password?: string }): Promise<AnypointUserRecord> {
    const path = `${await this.masterPath()}/users`;
    // Anypoint requires a password on create; without one, a random one nobody sees (the person
    // resets it, or signs in through the organization's identity provider). It is not stored.
    const password = user.password ?? `${randomBytes(18).toString("base64url")}aA1!`;
    const res = await this.call<AnypointUserRecord>({
      method: "POST",
      path,
      body: {
        username: user.username,
        firstName: user.firstName,
        lastName: user.lastName,
        email: user.email,
        phoneNumber: user.phoneNumber ?? "",
        password,
      },
      accept: [409],
    });
    if (res.status === 409) {
      // No suggested name: a guess like '<name>2' may belong to someone else, and adopting it would
      // take over their account.
      throw new HttpError(
        "Anypoint",
        "POST",
        `${this.url}${path}`,
        409,
        res.body,
        `The username '${user.username}' is taken: Anypoint usernames are never reusable, even after the user was deleted. ` +
          `Choose a username that was never used on Anypoint for this person in users.yaml (usernames are global across ` +
          `organizations, so rollcall suggests none: it cannot check that a name is free outside yours; \`pulumi preview\` checks ` +
          `the new one against your organization's users).`,
      );
    }
    return this.record(res.body);
  }

  /** Invites a person by email (organizations whose people sign in through an external identity provider); returns the invite id. */
  async inviteUser(
    email: string,
    grants: { teams?: { teamId: string; membershipType?: "member" | "maintainer" }[]; roles?: { roleId: string; orgId: string }[] } = {},
  ): Promise<string> {
    const invite: Record<string, unknown> = { email };
    if (grants.teams?.length)
      invite.teams = grants.teams.map((t) => ({ team_id: t.teamId, membership_type: t.membershipType ?? "member" }));
    if (grants.roles?.length) invite.roles = grants.roles.map((r) => ({ role_id: r.roleId, context_params: { org: r.orgId } }));
    const { body } = await this.call<{ id: number }[] | { id: number }>({
      method: "POST",
      path: `${await this.masterPath()}/invites`,
      body: [invite],
    });
    // The description answers a list; MuleSoft's Go client models one invite (github.com/mulesoft-anypoint/anypoint-client-go,
    // invite/api/openapi.yaml).
    return String((Array.isArray(body) ? body[0]! : body).id);
  }

  /** Cancels an invite; false when it was no longer pending. */
  async cancelInvite(inviteId: string): Promise<boolean> {
    const res = await this.call({
      method: "DELETE",
      path: `${await this.masterPath()}/invites`,
      body: [Number(inviteId)],
      accept: [400, 404],
    });
    return res.status < 300;
  }

  /** Names, email, enabled. PUT takes the whole user (the description requires every field), so the patch is applied to the current one. */
  async updateUser(id: string, patch: Partial<Omit<AnypointUserRecord, "id" | "username">>): Promise<AnypointUserRecord> {
    const path = `${await this.masterPath()}/users/${encodeURIComponent(id)}`;
    const { body: current } = await this.call<UserJson>({ method: "GET", path });
    const body = {
      firstName: current.firstName,
      lastName: current.lastName,
      email: current.email,
      phoneNumber: current.phoneNumber ?? "",
      enabled: current.enabled,
      ipAllowlistExcluded: current.ipAllowlistExcluded ?? false,
      properties: current.properties ?? {},
      ...patch,
    };
    const res = await this.call<UserJson>({ method: "PUT", path, body, accept: [403] });
    if (res.status === 403) {
      const reauth = (res.body as { error?: string } | undefined)?.error === "You must reauthenticate";
      throw new HttpError(
        "Anypoint",
        "PUT",
        `${this.url}${path}`,
        403,
        res.body,
        reauth
          ? "Anypoint wants the user to sign in again before changing their own email; change it with other credentials (a connected app)."
          : ORG_ADMIN_HINT,
      );
    }
    // 200 with the user (description) or 204 (Go client): read it back when there is no body.
    return this.record(res.body && typeof res.body === "object" ? res.body : (await this.call<UserJson>({ method: "GET", path })).body);
  }

  /** One bulk PUT …/users (204): the whole users, as the listing had them but for the change. */
  async updateUsers(users: AnypointUserUpdate[]): Promise<void> {
    if (!users.length) return;
    await this.call({
      method: "PUT",
      path: `${await this.masterPath()}/users`,
      body: users.map((u) => ({ ...u, phoneNumber: u.phoneNumber ?? "" })),
    });
  }

  /** Deletes from the master organization (the account remains, unattached); false when it was already gone. */
  async deleteUser(id: string): Promise<boolean> {
    const res = await this.call({ method: "DELETE", path: `${await this.masterPath()}/users/${encodeURIComponent(id)}`, accept: [404] });
    return res.status !== 404;
  }

  /**
   * One bulk DELETE in the master organization. Answers per id when it succeeds; when the call
   * fails as a whole (e.g. 404: one id no longer exists) it throws, and the caller deletes one by one.
   */
  async deleteUsers(ids: string[]): Promise<BulkDeleteOutcome[]> {
    if (!ids.length) return [];
    await this.call({ method: "DELETE", path: `${await this.masterPath()}/users`, body: ids });
    return ids.map((id) => ({ id, deleted: true }));
  }

  // --- roles and role groups ----------------------------------------------------------------------------

  /** The role catalogue (the same in every business group; `orgId` is where the roles will be assigned). */
  listRoles(_orgId: string): Promise<Named[]> {
    return this.roles.get();
  }

  private async fetchRoles(): Promise<Named[]> {
    return (await this.all<{ role_id: string; name: string }>(`${A}/roles?ascending=true`)).map((r) => ({ id: r.role_id, name: r.name }));
  }

  /** The user's direct role assignments scoped to this organization (not paged: the endpoint takes no offset/limit). */
  async listRoleAssignments(orgId: string, userId: string): Promise<RoleAssignment[]> {
    const { body } = await this.call<Page<{ role_id: string; name: string; context_params?: { org?: string; envId?: string } }>>({
      method: "GET",
      path: `${A}/organizations/${orgId}/users/${userId}/roles`,
    });
    // `r?.`: a malformed entry keeps its place with its fields absent, for the export's checks to name.
    return body.data.map((r) => ({
      id: r?.role_id,
      name: r?.name,
      org: r?.context_params?.org ?? orgId,
      ...(r?.context_params?.envId ? { envId: r.context_params.envId } : {}),
    }));
  }

  async listUserRoles(orgId: string, userId: string): Promise<Named[]> {
    return (await this.listRoleAssignments(orgId, userId)).map(({ id, name }) => ({ id, name }));
  }

  async assignRoles(orgId: string, userId: string, roleIds: string[]): Promise<void> {
    if (!roleIds.length) return;
    await this.call({
      method: "POST",
      path: `${A}/organizations/${orgId}/users/${userId}/roles`,
      body: Object.fromEntries(roleIds.map((id) => [id, { org: orgId }])),
    });
  }

  /** One DELETE per role (there is no bulk form); the body carries the assignment's context. */
  async unassignRoles(orgId: string, userId: string, roleIds: string[], envIds: Record<string, string> = {}): Promise<void> {
    for (const roleId of roleIds) {
      await this.call({
        method: "DELETE",
        path: `${A}/organizations/${orgId}/users/${userId}/roles/${roleId}`,
        body: { org: orgId, ...(envIds[roleId] ? { envId: envIds[roleId] } : {}) },
      });
    }
  }

  async listRoleGroups(orgId: string): Promise<Named[]> {
    return (await this.all<{ role_group_id: string; name: string }>(`${A}/organizations/${orgId}/rolegroups`)).map((g) => ({
      id: g.role_group_id,
      name: g.name,
    }));
  }

  async listUserRoleGroups(orgId: string, userId: string): Promise<Named[]> {
    return (await this.all<{ role_group_id: string; name: string }>(`${A}/organizations/${orgId}/users/${userId}/rolegroups`)).map((g) => ({
      id: g.role_group_id,
      name: g.name,
    }));
  }

  async assignRoleGroup(orgId: string, userId: string, roleGroupId: string): Promise<void> {
    await this.call({ method: "POST", path: `${A}/organizations/${orgId}/users/${userId}/rolegroups/${roleGroupId}` });
  }

  async unassignRoleGroup(orgId: string, userId: string, roleGroupId: string): Promise<void> {
    await this.call({ method: "DELETE", path: `${A}/organizations/${orgId}/users/${userId}/rolegroups/${roleGroupId}` });
  }

  // --- teams (root-level objects) ----------------------------------------------------------------------

  /** Teams of the master organization (or of `orgId`). */
  async listTeams(orgId?: string): Promise<Named[]> {
    const path = orgId ? `${A}/organizations/${orgId}` : await this.masterPath();
    let teams = this.teams.get(path);
    if (!teams) {
      teams = new Lazy(async () =>
        (await this.all<{ team_id: string; team_name: string }>(`${path}/teams?ascending=true`)).map((t) => ({
          id: t?.team_id,
          name: t?.team_name,
        })),
      );
      this.teams.set(path, teams);
    }
    return teams.get();
  }

  async listUserTeams(userId: string): Promise<TeamMembership[]> {
    const teams = await this.all<{
      team_id: string;
      team_name: string;
      membership_type: "member" | "maintainer";
      is_assigned_via_external_groups?: boolean;
    }>(`${await this.masterPath()}/users/${userId}/teams?ascending=true`);
    return teams.map((t) => ({
      id: t.team_id,
      name: t.team_name,
      membershipType: t.membership_type,
      viaExternalGroups: t.is_assigned_via_external_groups === true,
    }));
  }

  async listTeamMembers(teamId: string): Promise<TeamMembership[]> {
    const members = await this.all<{
      id: string;
      name?: string;
      team_name?: string;
      identity_type: string;
      membership_type: "member" | "maintainer";
      is_assigned_via_external_groups?: boolean;
    }>(`${await this.masterPath()}/teams/${teamId}/members?ascending=true`);
    // The person's name is `name` (Go client) or `team_name` (description); both are read.
    return members
      .filter((m) => m?.identity_type === "user")
      .map((m) => ({
        id: m.id,
        name: m.name ?? m.team_name ?? "",
        membershipType: m.membership_type,
        viaExternalGroups: m.is_assigned_via_external_groups === true,
      }));
  }

  /** The roles a team grants, with the organization each is scoped to. */
  async listTeamRoles(teamId: string): Promise<RoleAssignment[]> {
    const roles = await this.all<{ role_id: string; name: string; context_params?: { org?: string; envId?: string } }>(
      `${await this.masterPath()}/teams/${teamId}/roles`,
    );
    return roles.map((r) => ({
      id: r?.role_id,
      name: r?.name,
      org: r?.context_params?.org ?? "",
      ...(r?.context_params?.envId ? { envId: r.context_params.envId } : {}),
    }));
  }

  async addTeamMember(teamId: string, userId: string, membershipType: "member" | "maintainer" = "member"): Promise<void> {
    await this.call({
      method: "PUT",
      path: `${await this.masterPath()}/teams/${teamId}/members/${userId}`,
      body: { membership_type: membershipType },
    });
  }

  /** False when the user or the team was not there (404) or the id is not a user's (405). */
  async removeTeamMember(teamId: string, userId: string): Promise<boolean> {
    const res = await this.call({
      method: "DELETE",
      path: `${await this.masterPath()}/teams/${teamId}/members/${userId}`,
      accept: [404, 405],
    });
    return res.status < 300;
  }

  // --- leaving a business group ---------------------------------------------------------------------

  /**
   * Removes every permission the user holds in one business group: direct roles scoped to it, its
   * role groups, and membership of every team whose roles are scoped to it (which also ends what
   * those teams grant elsewhere: a team is a root-level object). Memberships that come from the
   * identity provider's group mappings cannot be removed and are reported in `keptTeams`.
   */
  async removeAllBusinessGroupPermissions(orgId: string, userId: string): Promise<BusinessGroupAccessRemoval> {
    const removal: BusinessGroupAccessRemoval = { roles: [], roleGroups: [], teams: [], keptTeams: [] };
    if (!(await this.getUser(userId))) return removal; // gone already: nothing left anywhere
    removal.roles = (await this.listRoleAssignments(orgId, userId)).filter((r) => r.org === orgId);
    for (const r of removal.roles) await this.unassignRoles(orgId, userId, [r.id], r.envId ? { [r.id]: r.envId } : {});
    removal.roleGroups = await this.listUserRoleGroups(orgId, userId);
    for (const g of removal.roleGroups) await this.unassignRoleGroup(orgId, userId, g.id);
    for (const team of await this.listUserTeams(userId)) {
      if (!(await this.listTeamRoles(team.id)).some((r) => r.org === orgId)) continue;
      if (team.viaExternalGroups) removal.keptTeams.push({ id: team.id, name: team.name });
      else if (await this.removeTeamMember(team.id, userId)) removal.teams.push({ id: team.id, name: team.name });
    }
    return removal;
  }

  /** removeAllBusinessGroupPermissions for callers that need no report. */
  async removeBusinessGroupAccess(orgId: string, userId: string): Promise<void> {
    await this.removeAllBusinessGroupPermissions(orgId, userId);
  }

  /**
   * Many users out of one business group in one call (DELETE …/organizations/{bg}/members: direct roles and role groups); throws when it
   * fails as a whole.
   */
  async removeBusinessGroupMembers(orgId: string, userIds: string[]): Promise<void> {
    if (!userIds.length) return;
    await this.call({ method: "DELETE", path: `${A}/organizations/${orgId}/members`, body: userIds });
  }
}

export function createAnypointApi(settings: AnypointSettings): AnypointApi {
  return new AnypointClient(settings);
}
