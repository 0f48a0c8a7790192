// Anypoint Access Management client over the shared HttpClient (undici): bearer tokens from a
// connected app (client credentials) or a username/password login, fetched once at a time and
// renewed on 401; paging (limit 500); and errors that state the platform's rules.
import { HttpClient, HttpError, type HttpCall } from "../../src/http/client";
import type { AnypointSettings } from "../../src/config";
import { closestNames } from "../../src/model/suggest";
import type { AnypointApi, AnypointUserRecord, Named, NewAnypointUser } from "./api";
import { randomBytes } from "node:crypto";

interface Page<T> {
  data: T[];
  total: number;
}

interface OrgTree {
  id: string;
  name: string;
  subOrganizations?: OrgTree[];
}

const PAGE = 500;

export class AnypointClient implements AnypointApi {
  private readonly http: HttpClient;
  private token?: Promise<string>;
  private master?: Promise<Named>;
  private groups?: Promise<Map<string, string>>;
  private roleCache?: Promise<Named[]>;
  private teamCache?: Promise<Named[]>;

  constructor(private readonly settings: AnypointSettings, http?: HttpClient) {
    this.http = http ?? new HttpClient({ platform: "Anypoint", baseUrl: settings.url });
  }

  get url(): string {
    return this.http.baseUrl;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  // --- authentication ---------------------------------------------------------------------------

  private login(): Promise<string> {
    this.token ??= (async () => {
      const { clientId, clientSecret, username, password } = this.settings;
      const res = clientId
        ? await this.http.call<{ access_token: string }>({ method: "POST", path: "/accounts/api/v2/oauth2/token", body: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }, accept: [401] })
        : await this.http.call<{ access_token: string }>({ method: "POST", path: "/accounts/login", body: { username, password }, accept: [401] });
      if (res.status === 401) {
        this.token = undefined;
        const who = clientId ? `connected app '${clientId}'` : `user '${username}'`;
        throw new HttpError("Anypoint", "POST", `${this.url}${clientId ? "/accounts/api/v2/oauth2/token" : "/accounts/login"}`, 401, res.body, `Login as ${who} was refused: check ${clientId ? "rollcall:anypointClientId and rollcall:anypointClientSecret" : "rollcall:anypointUsername and rollcall:anypointPassword"}.`);
      }
      return res.body.access_token;
    })();
    return this.token;
  }

  /** An authenticated call: a 401 (expired token) logs in again once; a 403 names the missing role. */
  private async call<T>(call: HttpCall): Promise<{ status: number; body: T }> {
    const attempt = async () => this.http.call<T>({ ...call, headers: { authorization: `Bearer ${await this.login()}` }, accept: [...(call.accept ?? []), 401, 403] });
    let res = await attempt();
    if (res.status === 401) {
      this.token = undefined;
      res = await attempt();
    }
    if (res.status === 401 || (res.status === 403 && !call.accept?.includes(403))) {
      const hint =
        res.status === 403
          ? "Managing users needs the Organization Administrator role in the master organization: grant it to the account rollcall uses (or use a connected app acting for an Organization Administrator)."
          : "The token was refused twice; check the Anypoint credentials in the stack config.";
      throw new HttpError("Anypoint", call.method, `${this.url}${call.path}`, res.status, res.body, hint);
    }
    return res;
  }

  /** All pages of a list. `ascending` is sent where the description requires it (roles, teams). */
  private async all<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    const sep = path.includes("?") ? "&" : "?";
    for (let offset = 0; ; offset += PAGE) {
      const { body } = await this.call<Page<T>>({ method: "GET", path: `${path}${sep}offset=${offset}&limit=${PAGE}` });
      out.push(...body.data);
      if (body.data.length < PAGE || out.length >= body.total) return out;
    }
  }

  // --- organizations ----------------------------------------------------------------------------

  masterOrganization(): Promise<Named> {
    this.master ??= this.call<{ client?: { org_id: string }; user?: { organization: { id: string; name: string } } }>({ method: "GET", path: "/accounts/api/me" }).then(async ({ body }) => {
      const id = body.client?.org_id ?? body.user!.organization.id;
      const org = await this.call<{ id: string; name: string }>({ method: "GET", path: `/accounts/api/organizations/${id}` });
      return { id, name: org.body.name };
    });
    return this.master;
  }

  /** Business group name → id, from the master organization's hierarchy (the master by its own name). */
  async businessGroupId(name: string): Promise<string> {
    this.groups ??= this.masterOrganization().then(async (master) => {
      const { body } = await this.call<OrgTree>({ method: "GET", path: `/accounts/api/organizations/${master.id}/hierarchy` });
      const map = new Map<string, string>();
      const walk = (o: OrgTree) => (map.set(o.name, o.id), o.subOrganizations?.forEach(walk));
      walk(body);
      return map;
    });
    const groups = await this.groups;
    const id = groups.get(name);
    if (!id) {
      const close = closestNames(name, [...groups.keys()], 3);
      throw new Error(`Anypoint: no business group named '${name}' under the master organization${close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(" or ")}?)` : ""}. Fix the business group name in users.yaml.`);
    }
    return id;
  }

  async businessGroupNames(): Promise<string[]> {
    await this.businessGroupId((await this.masterOrganization()).name);
    return [...(await this.groups!).keys()];
  }

  // --- users --------------------------------------------------------------------------------------

  private record(u: AnypointUserRecord): AnypointUserRecord {
    return { id: u.id, username: u.username, email: u.email, firstName: u.firstName, lastName: u.lastName, enabled: u.enabled };
  }

  async listUsers(): Promise<AnypointUserRecord[]> {
    const master = await this.masterOrganization();
    return (await this.all<AnypointUserRecord>(`/accounts/api/organizations/${master.id}/users`)).map((u) => this.record(u));
  }

  async getUser(id: string): Promise<AnypointUserRecord | undefined> {
    const master = await this.masterOrganization();
    const res = await this.call<AnypointUserRecord>({ method: "GET", path: `/accounts/api/organizations/${master.id}/users/${id}`, accept: [404] });
    return res.status === 404 ? undefined : this.record(res.body);
  }

  async createUser(user: NewAnypointUser): Promise<AnypointUserRecord> {
    const master = await this.masterOrganization();
    // Anypoint requires a password on create; a random one the person never sees (they reset it,
    // or sign in through the organization's identity provider). It is not stored anywhere.
    const password = `${randomBytes(18).toString("base64url")}aA1!`;
    const res = await this.call<AnypointUserRecord>({ method: "POST", path: `/accounts/api/organizations/${master.id}/users`, body: { ...user, phoneNumber: "", password }, accept: [409] });
    if (res.status === 409) {
      throw new HttpError("Anypoint", "POST", `${this.url}/accounts/api/organizations/${master.id}/users`, 409, res.body, `The username '${user.username}' is taken: Anypoint usernames are never reusable, even after the user was deleted. Choose another username for this person in users.yaml (for example '${user.username}2').`);
    }
    return this.record(res.body);
  }

  async inviteUser(email: string): Promise<string> {
    const master = await this.masterOrganization();
    const { body } = await this.call<{ id: number }[]>({ method: "POST", path: `/accounts/api/organizations/${master.id}/invites`, body: [{ email }] });
    return String(body[0]!.id);
  }

  async cancelInvite(inviteId: string): Promise<boolean> {
    const master = await this.masterOrganization();
    const res = await this.call({ method: "DELETE", path: `/accounts/api/organizations/${master.id}/invites`, body: [Number(inviteId)], accept: [400, 404] });
    return res.status < 300;
  }

  /** PUT takes the whole user (the description requires every field), so the patch is applied to the current one. */
  async updateUser(id: string, patch: Partial<Omit<AnypointUserRecord, "id" | "username">>): Promise<AnypointUserRecord> {
    const master = await this.masterOrganization();
    const path = `/accounts/api/organizations/${master.id}/users/${id}`;
    const { body: current } = await this.call<AnypointUserRecord & { phoneNumber?: string; ipAllowlistExcluded?: boolean; properties?: object }>({ method: "GET", path });
    const body = { firstName: current.firstName, lastName: current.lastName, email: current.email, phoneNumber: current.phoneNumber ?? "", enabled: current.enabled, ipAllowlistExcluded: current.ipAllowlistExcluded ?? false, properties: current.properties ?? {}, ...patch };
    const res = await this.call<AnypointUserRecord>({ method: "PUT", path, body });
    return this.record(res.body);
  }

  async deleteUser(id: string): Promise<boolean> {
    const master = await this.masterOrganization();
    const res = await this.call({ method: "DELETE", path: `/accounts/api/organizations/${master.id}/users/${id}`, accept: [404] });
    return res.status !== 404;
  }

  async deleteUsers(ids: string[]): Promise<void> {
    const master = await this.masterOrganization();
    await this.call({ method: "DELETE", path: `/accounts/api/organizations/${master.id}/users`, body: ids });
  }

  // --- roles and teams ------------------------------------------------------------------------------

  listRoles(_orgId: string): Promise<Named[]> {
    this.roleCache ??= this.all<{ role_id: string; name: string }>("/accounts/api/roles?ascending=true").then((roles) => roles.map((r) => ({ id: r.role_id, name: r.name })));
    return this.roleCache;
  }

  async listUserRoles(orgId: string, userId: string): Promise<Named[]> {
    // Not paged: the endpoint takes no offset/limit, and a user holds at most 700 roles.
    const { body } = await this.call<Page<{ role_id: string; name: string }>>({ method: "GET", path: `/accounts/api/organizations/${orgId}/users/${userId}/roles` });
    return body.data.map((r) => ({ id: r.role_id, name: r.name }));
  }

  async assignRoles(orgId: string, userId: string, roleIds: string[]): Promise<void> {
    await this.call({ method: "POST", path: `/accounts/api/organizations/${orgId}/users/${userId}/roles`, body: Object.fromEntries(roleIds.map((id) => [id, { org: orgId }])) });
  }

  async unassignRoles(orgId: string, userId: string, roleIds: string[]): Promise<void> {
    for (const roleId of roleIds) await this.call({ method: "DELETE", path: `/accounts/api/organizations/${orgId}/users/${userId}/roles/${roleId}`, body: { org: orgId } });
  }

  async listTeams(): Promise<Named[]> {
    const master = await this.masterOrganization();
    this.teamCache ??= this.all<{ team_id: string; team_name: string }>(`/accounts/api/organizations/${master.id}/teams?ascending=true`).then((teams) => teams.map((t) => ({ id: t.team_id, name: t.team_name })));
    return this.teamCache;
  }

  async listUserTeams(userId: string): Promise<Named[]> {
    const master = await this.masterOrganization();
    return (await this.all<{ team_id: string; team_name: string }>(`/accounts/api/organizations/${master.id}/users/${userId}/teams?ascending=true`)).map((t) => ({ id: t.team_id, name: t.team_name }));
  }

  async addTeamMember(teamId: string, userId: string): Promise<void> {
    const master = await this.masterOrganization();
    await this.call({ method: "PUT", path: `/accounts/api/organizations/${master.id}/teams/${teamId}/members/${userId}`, body: { membership_type: "member" } });
  }

  async removeTeamMember(teamId: string, userId: string): Promise<void> {
    const master = await this.masterOrganization();
    await this.call({ method: "DELETE", path: `/accounts/api/organizations/${master.id}/teams/${teamId}/members/${userId}`, accept: [404, 405] });
  }

  async removeBusinessGroupAccess(orgId: string, userId: string): Promise<void> {
    const roles = await this.listUserRoles(orgId, userId).catch((err) => {
      if (err instanceof HttpError && err.status === 404) return [];
      throw err;
    });
    await this.unassignRoles(orgId, userId, roles.map((r) => r.id));
  }

  async removeBusinessGroupMembers(orgId: string, userIds: string[]): Promise<void> {
    await this.call({ method: "DELETE", path: `/accounts/api/organizations/${orgId}/members`, body: userIds });
  }
}

export function createAnypointApi(settings: AnypointSettings): AnypointApi {
  return new AnypointClient(settings);
}
