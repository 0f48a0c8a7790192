// A local Automation 360 Control Room: the user-management and authentication APIs rollcall uses,
// as documented (see ../../docs or shared reference controlroom-api.md). It serves the demo, the
// tests and the benchmarks. Faithful where it matters to a client: X-Authorization tokens that
// expire, one session per password login, `{code, details, message}` error bodies, 201 on create,
// DELETE answering 200 with the deleted user's JSON, list filter/sort/page, permissions.
import { randomBytes } from "node:crypto";
import { PlatformSimulator, type SimRequest, type SimResponse, type SimulatorOptions } from "../harness";
import { matchesFilter, sortUsers, type Filter, type SortSpec } from "./simulator-filter";

export type Permission = "View users" | "Create users" | "Edit users" | "Delete users" | "View roles";

export interface SimRole {
  id: number;
  name: string;
  description?: string;
  systemRole: boolean;
  permissions: Permission[];
}

export interface SimUser {
  id: number;
  username: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  description: string | null;
  disabled: boolean;
  roleIds: number[];
  licenseFeatures: string[];
  version: number;
  createdOn: string;
  updatedOn: string;
  password?: string;
  apiKey?: string;
  multipleLoginAllowed: boolean;
  /** Last successful sign-in (second precision, trailing Z); null until the first one. */
  lastLoginTime: string | null;
}

export interface ControlRoomSeed {
  roles?: Omit<SimRole, "id">[];
  users?: (Partial<SimUser> & { username: string; roles?: string[] })[];
}

export interface ControlRoomSimulatorOptions extends SimulatorOptions {
  /** Token lifetime; the real Control Room uses 20 minutes. */
  tokenTtlSeconds?: number;
  /** Largest page.length accepted on list calls (unknown on the real API; 1000 here). */
  maxPageLength?: number;
  /**
   * Whether user records carry `lastLoginTime`. Control Rooms captured from 2023 on return it; the
   * 2020–2021 API examples have no such field
   * (https://docs.automationanywhere.com/bundle/enterprise-v2019/page/enterprise-cloud/topics/control-room/control-room-api/cloud-api-search-users.html).
   * false simulates such a version: the field is absent, which a reader must take as "unknown".
   */
  lastLoginTime?: boolean;
  seed?: ControlRoomSeed;
}

/** The account the demo and tests authenticate as: an AAE_Admin with an API key. */
export const SIM_ADMIN = { username: "rollcall-bot", password: "Rollcall-2026!", apiKey: "sim-api-key-0123456789abcdef0123456789ab" };

const ALL_PERMISSIONS: Permission[] = ["View users", "Create users", "Edit users", "Delete users", "View roles"];
const DEFAULT_ROLES: Omit<SimRole, "id">[] = [
  { name: "AAE_Admin", systemRole: true, permissions: ALL_PERMISSIONS, description: "Control Room administrator" },
  { name: "AAE_Basic", systemRole: true, permissions: [], description: "Basic access" },
  { name: "AAE_Bot Developer", systemRole: true, permissions: [] },
  { name: "AAE_Locker Admin", systemRole: true, permissions: [] },
  { name: "Bot Runner", systemRole: false, permissions: [] },
  { name: "Finance Automation", systemRole: false, permissions: [] },
  { name: "User Viewer", systemRole: false, permissions: ["View users", "View roles"] },
];

interface Session {
  userId: number;
  expiresAt: number;
  multipleLogin: boolean;
}

const err = (status: number, code: string, message: string, details: string | null = null): SimResponse => ({
  status,
  body: { code, details, message },
});
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

export class ControlRoomSimulator extends PlatformSimulator {
  readonly users = new Map<number, SimUser>();
  readonly roles = new Map<number, SimRole>();
  private readonly sessions = new Map<string, Session>();
  /** The newest single-session token per user: a new password login supersedes the old one. */
  private readonly currentSingleSession = new Map<number, string>();
  private nextUserId = 1001;
  private nextRoleId = 1;

  constructor(private readonly options: ControlRoomSimulatorOptions = {}) {
    super("Control Room", options);
    for (const role of DEFAULT_ROLES) this.addRole(role);
    this.addUser({
      username: SIM_ADMIN.username,
      email: "rollcall-bot@example.com",
      password: SIM_ADMIN.password,
      apiKey: SIM_ADMIN.apiKey,
      roles: ["AAE_Admin"],
    });
    if (options.seed) this.seed(options.seed);
    this.routes();
    // Fault actions (harness kind "action"): tokens expire mid-run; another password login ends every session.
    this.server.onAction("expire-tokens", () => this.expireTokens());
    this.server.onAction("kick-sessions", () => this.kickSessions());
  }

  seed(seed: ControlRoomSeed): void {
    for (const role of seed.roles ?? []) this.addRole(role);
    for (const user of seed.users ?? []) this.addUser(user);
  }

  addRole(role: Omit<SimRole, "id">): SimRole {
    const r = { ...role, id: this.nextRoleId++ };
    this.roles.set(r.id, r);
    return r;
  }

  addUser(input: Partial<SimUser> & { username: string; roles?: string[] }): SimUser {
    const roleIds = input.roleIds ?? (input.roles ?? ["AAE_Basic"]).map((name) => this.roleByName(name).id);
    const user: SimUser = {
      id: this.nextUserId++,
      email: `${input.username}@example.com`,
      firstName: null,
      lastName: null,
      description: null,
      disabled: false,
      licenseFeatures: [],
      version: 0,
      createdOn: now(),
      updatedOn: now(),
      multipleLoginAllowed: false,
      lastLoginTime: null,
      ...input,
      roleIds,
    };
    delete (user as { roles?: unknown }).roles;
    this.users.set(user.id, user);
    return user;
  }

  findUser(username: string): SimUser | undefined {
    return [...this.users.values()].find((u) => u.username.toLowerCase() === username.toLowerCase());
  }

  private roleByName(name: string): SimRole {
    const role = [...this.roles.values()].find((r) => r.name === name);
    if (!role) throw new Error(`simulator seed: no role named ${name}`);
    return role;
  }

  /**
   * The JSON the real API returns for a user
   * (https://docs.automationanywhere.com/bundle/enterprise-v2019/page/enterprise-cloud/topics/control-room/control-room-api/cloud-api-retrieve-specific-user.html).
   */
  userJson(u: SimUser): Record<string, unknown> {
    const roles = u.roleIds.map((id) => this.roles.get(id)).filter((r): r is SimRole => !!r);
    return {
      id: u.id,
      username: u.username,
      domain: null,
      firstName: u.firstName,
      lastName: u.lastName,
      version: u.version,
      principalId: u.id,
      deleted: false,
      roles: roles.map((r) => ({ name: r.name, id: r.id, version: 0 })),
      sysAssignedRoles: [],
      groupNames: [],
      permissions: roles
        .flatMap((r) => r.permissions)
        .map((p, i) => ({ id: 7000 + i, action: p.toLowerCase().replace(/ /g, ""), resourceId: null, resourceType: "usermanagement" })),
      licenseFeatures: u.licenseFeatures,
      emailVerified: false,
      passwordSet: !!u.password,
      questionsSet: false,
      enableAutoLogin: false,
      disabled: u.disabled,
      clientRegistered: false,
      description: u.description,
      createdBy: 1001,
      createdOn: u.createdOn,
      updatedBy: 1001,
      updatedOn: u.updatedOn,
      publicKey: null,
      appType: null,
      routingName: null,
      appUrl: null,
      email: u.email,
      ...(this.options.lastLoginTime === false ? {} : { lastLoginTime: u.lastLoginTime }),
      deviceCredentialAttested: false,
      multipleLoginAllowed: u.multipleLoginAllowed,
    };
  }

  private roleJson(r: SimRole): Record<string, unknown> {
    const principals = [...this.users.values()].filter((u) => u.roleIds.includes(r.id)).length;
    return {
      id: r.id,
      name: r.name,
      description: r.description ?? null,
      countPrincipals: principals,
      version: 0,
      createdBy: 1,
      createdOn: "2024-01-01T00:00:00.000Z",
      updatedBy: 1,
      updatedOn: "2024-01-01T00:00:00.000Z",
      systemRole: r.systemRole,
    };
  }

  private routes(): void {
    const s = this.server;
    for (const v of ["v1", "v2"] as const) {
      s.route("POST", `/${v}/authentication`, (req) => this.login(req));
      s.route("POST", `/${v}/authentication/token`, (req) => this.authed(req, [], (caller) => this.refresh(req, caller)));
      s.route("POST", `/${v}/usermanagement/users/list`, (req) => this.authed(req, ["View users"], () => this.listUsers(req)));
      s.route("POST", `/${v}/usermanagement/roles/list`, (req) => this.authed(req, ["View roles"], () => this.listRoles(req)));
      s.route("POST", `/${v}/usermanagement/users`, (req) => this.authed(req, ["Create users"], () => this.createUser(req, v)));
      s.route("GET", `/${v}/usermanagement/users/:id`, (req) =>
        this.authed(req, ["View users"], () => this.withUser(req, (u) => ({ status: 200, body: this.userJson(u) }))),
      );
      s.route("PUT", `/${v}/usermanagement/users/:id`, (req) =>
        this.authed(req, ["Edit users"], () => this.withUser(req, (u) => this.updateUser(req, u, v))),
      );
      s.route("DELETE", `/${v}/usermanagement/users/:id`, (req) =>
        this.authed(req, ["Edit users", "Delete users"], () => this.withUser(req, (u) => this.deleteUser(u))),
      );
    }
    s.route("GET", "/v1/authentication/token", (req) => {
      const token = req.query.get("token") ?? String(req.headers["x-authorization"] ?? "");
      return { status: 200, body: { valid: this.sessionFor(token) !== undefined } };
    });
    s.route("POST", "/v1/authentication/logout", (req) => {
      this.sessions.delete(String(req.headers["x-authorization"] ?? ""));
      return { status: 204 };
    });
  }

  /** Every token expires now (UM1111 on next use). */
  expireTokens(): void {
    for (const [token, session] of this.sessions) if (session.expiresAt !== -1) this.sessions.set(token, { ...session, expiresAt: 0 });
  }

  /**
   * As if someone else logged in with the same password: every session ends with UM1114, API-key ones included (a harsher platform than
   * documented).
   */
  kickSessions(): void {
    for (const [token, session] of this.sessions) this.sessions.set(token, { ...session, expiresAt: -1 });
  }

  private login(req: SimRequest): SimResponse {
    const body = (req.body ?? {}) as { username?: string; password?: string; apiKey?: string; multipleLogin?: boolean };
    if (!body.username || (!body.password && !body.apiKey))
      return err(400, "UM1001", "username and either password or apiKey are required");
    const user = this.findUser(body.username);
    const ok = user && !user.disabled && (body.apiKey ? user.apiKey === body.apiKey : user.password === body.password);
    if (!user || !ok) return err(401, "UM1101", "Invalid credentials", "The username, password or API key is incorrect.");
    // API-key tokens and allowed multi-login sessions coexist; a plain password login supersedes the last one.
    const multipleLogin = !!body.apiKey || (!!body.multipleLogin && user.multipleLoginAllowed);
    const token = this.issueToken(user, multipleLogin);
    user.lastLoginTime = now();
    if (!multipleLogin) {
      const previous = this.currentSingleSession.get(user.id);
      if (previous) this.sessions.set(previous, { ...this.sessions.get(previous)!, expiresAt: -1 });
      this.currentSingleSession.set(user.id, token);
    }
    return {
      status: 200,
      body: { token, user: this.userJson(user), tenantUuid: "00000000-0000-4000-8000-000000000001", mfaAuthResponse: null },
    };
  }

  private refresh(req: SimRequest, caller: SimUser): SimResponse {
    const old = String(req.headers["x-authorization"]);
    const session = this.sessions.get(old)!;
    this.sessions.delete(old);
    const token = this.issueToken(caller, session.multipleLogin);
    if (!session.multipleLogin) this.currentSingleSession.set(caller.id, token);
    return { status: 200, body: { token, user: this.userJson(caller) } };
  }

  private issueToken(user: SimUser, multipleLogin: boolean): string {
    const ttl = this.options.tokenTtlSeconds ?? 1200;
    const iat = Math.floor(Date.now() / 1000);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const claims = {
      sub: String(user.id),
      clientType: "WEB",
      licenses: user.licenseFeatures,
      multipleLogin,
      iat,
      exp: iat + ttl,
      iss: "AutomationAnywhere",
    };
    const token = `${b64({ alg: "RS512" })}.${b64(claims)}.${randomBytes(24).toString("base64url")}`;
    this.sessions.set(token, { userId: user.id, expiresAt: Date.now() + ttl * 1000, multipleLogin });
    return token;
  }

  private sessionFor(token: string): Session | undefined {
    const session = this.sessions.get(token);
    return session && session.expiresAt > Date.now() && this.users.has(session.userId) ? session : undefined;
  }

  /** Runs `handler` for an authenticated caller holding one of `anyOf` (AAE_Admin holds all). */
  private authed(req: SimRequest, anyOf: Permission[], handler: (caller: SimUser) => SimResponse): SimResponse {
    const token = req.headers["x-authorization"];
    if (typeof token !== "string" || token === "") return err(401, "UM1117", "Access token expected in the 'X-Authorization' header");
    const raw = this.sessions.get(token);
    if (raw && raw.expiresAt === -1)
      return err(401, "UM1114", "You are logged in twice", "To be safe, we logged you off here.  Please log in again.");
    const session = this.sessionFor(token);
    if (!session) return err(401, "UM1111", "You were logged out, please login again", "The token is invalid or has expired.");
    const caller = this.users.get(session.userId)!;
    const held = new Set(caller.roleIds.flatMap((id) => this.roles.get(id)?.permissions ?? []));
    if (anyOf.length && !anyOf.some((p) => held.has(p))) {
      return err(403, "UM1403", "Unauthorized access: the operation is not authorized", `Requires one of: ${anyOf.join(", ")}.`);
    }
    return handler(caller);
  }

  private withUser(req: SimRequest, handler: (u: SimUser) => SimResponse): SimResponse {
    if (!/^\d+$/.test(req.params.id!)) return err(400, "UM1400", `Invalid user id '${req.params.id}'`);
    const user = this.users.get(Number(req.params.id));
    return user ? handler(user) : err(404, "UM1404", `User with id ${req.params.id} not found`);
  }

  private roleIdsFrom(body: Record<string, unknown>, version: "v1" | "v2"): number[] | SimResponse {
    const ids =
      version === "v1"
        ? ((body.roles as { id: number }[] | undefined) ?? []).map((r) => Number(r.id))
        : ((body.roleIds as string[] | undefined) ?? []).map(Number);
    const unknown = ids.filter((id) => !this.roles.has(id));
    if (unknown.length) return err(400, "UM1405", `Role(s) not found: ${unknown.join(", ")}`);
    if (!ids.length) return err(400, "UM1406", "At least one role is required");
    return [...new Set(ids)];
  }

  private validateFields(body: Record<string, unknown>): SimResponse | undefined {
    if (typeof body.email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email))
      return err(400, "UM1002", "A valid email is required");
    for (const f of ["firstName", "lastName"])
      if (typeof body[f] === "string" && (body[f] as string).length > 50) return err(400, "UM1003", `${f} must be at most 50 characters`);
    const lic = body.licenseFeatures;
    if (lic !== undefined && (!Array.isArray(lic) || lic.some((l) => typeof l !== "string" || !/^[A-Z_]+$/.test(l))))
      return err(400, "UM1004", "licenseFeatures must be upper-case license names");
    return undefined;
  }

  private createUser(req: SimRequest, version: "v1" | "v2"): SimResponse {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.username !== "string" || !body.username || body.username.length > 255)
      return err(400, "UM1005", "username is required (at most 255 characters)");
    const invalid = this.validateFields(body);
    if (invalid) return invalid;
    if (this.findUser(body.username))
      return err(409, "UM1409", "Conflict: duplicate entry", `A user named '${body.username}' already exists.`);
    const roleIds = this.roleIdsFrom(body, version);
    if (!Array.isArray(roleIds)) return roleIds;
    const user = this.addUser({
      username: body.username,
      email: body.email as string,
      firstName: (body.firstName as string) ?? null,
      lastName: (body.lastName as string) ?? null,
      description: (body.description as string) ?? null,
      disabled: !!body.disabled,
      licenseFeatures: (body.licenseFeatures as string[]) ?? [],
      password: body.password as string | undefined,
      roleIds,
    });
    return { status: 201, body: this.userJson(user) };
  }

  /**
   * PUT is a full replace of the writable fields: absent means null/false/empty
   * (https://docs.automationanywhere.com/bundle/enterprise-v2019/page/enterprise-cloud/topics/control-room/control-room-api/cloud-api-update-existing-user.html).
   */
  private updateUser(req: SimRequest, user: SimUser, version: "v1" | "v2"): SimResponse {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.username === "string" && body.username.toLowerCase() !== user.username.toLowerCase())
      return err(400, "UM1007", "username cannot be changed");
    const invalid = this.validateFields(body);
    if (invalid) return invalid;
    const roleIds = this.roleIdsFrom(body, version);
    if (!Array.isArray(roleIds)) return roleIds;
    Object.assign(user, {
      email: body.email,
      firstName: (body.firstName as string) ?? null,
      lastName: (body.lastName as string) ?? null,
      description: (body.description as string) ?? null,
      disabled: !!body.disabled,
      licenseFeatures: (body.licenseFeatures as string[]) ?? [],
      roleIds,
      version: user.version + 1,
      updatedOn: now(),
    });
    return { status: 200, body: this.userJson(user) };
  }

  private deleteUser(user: SimUser): SimResponse {
    this.users.delete(user.id);
    this.currentSingleSession.delete(user.id);
    return { status: 200, body: this.userJson(user) };
  }

  private page(req: SimRequest): { offset: number; length: number } | SimResponse {
    const page = ((req.body as Record<string, unknown> | undefined)?.page ?? {}) as { offset?: number; length?: number };
    const offset = page.offset ?? 0;
    const length = page.length ?? 100;
    const max = this.options.maxPageLength ?? 1000;
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(length) || length < 1 || length > max) {
      return err(400, "UM1400", `Invalid page: offset must be >= 0 and length between 1 and ${max}`);
    }
    return { offset, length };
  }

  private listUsers(req: SimRequest): SimResponse {
    const page = this.page(req);
    if (!("offset" in page)) return page;
    const body = (req.body ?? {}) as { filter?: Filter; sort?: SortSpec[] };
    const all = [...this.users.values()].map((u) => this.userJson(u));
    let matched: Record<string, unknown>[];
    try {
      matched = all.filter((u) => matchesFilter(u, body.filter));
    } catch (e) {
      return err(400, "UM1400", (e as Error).message);
    }
    const sorted = sortUsers(matched, body.sort);
    return {
      status: 200,
      body: {
        page: { offset: page.offset, total: all.length, totalFilter: matched.length },
        list: sorted.slice(page.offset, page.offset + page.length),
      },
    };
  }

  private listRoles(req: SimRequest): SimResponse {
    const page = this.page(req);
    if (!("offset" in page)) return page;
    const body = (req.body ?? {}) as { filter?: Filter; sort?: SortSpec[] };
    const all = [...this.roles.values()].map((r) => this.roleJson(r));
    const matched = all.filter((r) => matchesFilter(r, body.filter));
    return {
      status: 200,
      body: {
        page: { offset: page.offset, total: all.length, totalFilter: matched.length },
        list: sortUsers(matched, body.sort).slice(page.offset, page.offset + page.length),
      },
    };
  }
}

export function createControlRoomSimulator(options?: ControlRoomSimulatorOptions): ControlRoomSimulator {
  return new ControlRoomSimulator(options);
}
