// Control Room API client: authentication (password or API key) with single-flight login,
// proactive refresh and one re-login on 401; user CRUD; role lookup by name. Speaks HTTP only
// through the shared HttpClient (undici).
import { HttpClient, HttpError, type HttpCall, type HttpSettings } from "../../src/http/client";

export interface ControlRoomCredentials {
  url: string;
  username: string;
  password?: string;
  apiKey?: string;
  /** v2 is current; v1 user management is discontinued from Automation 360 v.33. */
  apiVersion?: "v1" | "v2";
  /** Request budget, retry window and timeout (src/config.ts defaults when absent). */
  http?: Partial<HttpSettings>;
}

/** The writable fields of a Control Room user, as rollcall manages them. */
export interface ControlRoomUserSpec {
  username: string;
  email: string;
  firstName?: string;
  lastName?: string;
  description?: string;
  disabled: boolean;
  roleIds: number[];
  licenseFeatures: string[];
}

/** A user as the API returns it (the fields rollcall reads). */
export interface ControlRoomUserRecord {
  id: number;
  username: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  description: string | null;
  disabled: boolean;
  roles: { id: number; name: string }[];
  licenseFeatures: string[];
  version: number;
  /** Derived from the user's roles, read-only: `{action, resourceType}` pairs (reference §4). */
  permissions?: { action: string; resourceType: string }[];
  /** Last sign-in; null = never signed in; absent on Control Rooms whose records lack the field (unknown, not never). */
  lastLoginTime?: string | null;
}

export interface ControlRoomRole {
  id: number;
  name: string;
}

interface ListReply<T> {
  page: { offset: number; total: number; totalFilter: number };
  list: T[];
}

/** Refresh a token this long before its 20-minute lifetime ends (client authors use 15 min). */
const REFRESH_AFTER_MS = 15 * 60 * 1000;
const PAGE = 500;

export class ControlRoomClient {
  private readonly http: HttpClient;
  private readonly version: "v1" | "v2";
  private token?: string;
  private tokenIssuedAt = 0;
  private login?: Promise<string>;

  constructor(private readonly credentials: ControlRoomCredentials, http?: HttpClient) {
    if (!credentials.password && !credentials.apiKey) {
      throw new Error(`Control Room: no password or API key for '${credentials.username}'. Set rollcall:controlRoomApiKey (or controlRoomPassword) with \`pulumi config set --secret\`.`);
    }
    this.version = credentials.apiVersion ?? "v2";
    this.http = http ?? new HttpClient({ platform: "Control Room", baseUrl: credentials.url, settings: credentials.http });
  }

  get url(): string {
    return this.http.baseUrl;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /**
   * One login at a time: concurrent callers share it, since a second password login ends the first
   * session (UM1114). `failed` is the token a call was refused with: when another caller has already
   * replaced it, that new token is reused instead of logging in again (which would kick it out).
   */
  private authenticate(failed?: string): Promise<string> {
    const fresh = this.token && Date.now() - this.tokenIssuedAt < REFRESH_AFTER_MS;
    if (this.token && (failed === undefined ? fresh : this.token !== failed)) return Promise.resolve(this.token);
    this.login ??= (async () => {
      try {
        if (failed !== undefined && this.token === failed) this.token = undefined;
        const body = this.credentials.apiKey
          ? { username: this.credentials.username, apiKey: this.credentials.apiKey }
          : { username: this.credentials.username, password: this.credentials.password };
        const res = await this.http.call<{ token: string }>({ method: "POST", path: `/${this.version}/authentication`, body, accept: [401], idempotent: true });
        if (res.status === 401) {
          throw new HttpError("Control Room", "POST", `${this.http.baseUrl}/${this.version}/authentication`, 401, res.body, `Login as '${this.credentials.username}' was refused: check rollcall:controlRoomUsername and the API key or password (pulumi config set --secret rollcall:controlRoomApiKey …).`);
        }
        this.token = res.body.token;
        this.tokenIssuedAt = Date.now();
        return this.token;
      } finally {
        this.login = undefined;
      }
    })();
    return this.login;
  }

  /** An authenticated call; on 401 (expired or superseded token) renews the session once — shared with every concurrent caller — and retries. */
  private async call<T>(call: HttpCall): Promise<{ status: number; body: T }> {
    const token = await this.authenticate();
    const res = await this.http.call<T>({ ...call, headers: { "x-authorization": token }, accept: [...(call.accept ?? []), 401] });
    if (res.status !== 401) return res;
    const renewed = await this.authenticate(token);
    const again = await this.http.call<T>({ ...call, headers: { "x-authorization": renewed }, accept: [...(call.accept ?? []), 401] });
    if (again.status !== 401 || call.accept?.includes(401)) return again;
    // The login itself succeeded, so the credentials are right: something ended the new session at once.
    throw new HttpError("Control Room", call.method, `${this.url}${call.path}`, 401, again.body, `A session opened just now was refused too: another program is probably logging in as '${this.credentials.username}' with its password (each password login ends the previous session). Give rollcall an API key (rollcall:controlRoomApiKey) or a user of its own, then run again.`);
  }

  private async listAll<T>(path: string, filter?: unknown): Promise<T[]> {
    const out: T[] = [];
    for (let offset = 0; ; ) {
      const res = await this.call<ListReply<T>>({ method: "POST", list: true, idempotent: true, path, body: { ...(filter ? { filter } : {}), sort: [{ field: "id", direction: "asc" }], page: { offset, length: PAGE } } });
      out.push(...res.body.list);
      offset += res.body.list.length;
      if (res.body.list.length === 0 || offset >= res.body.page.totalFilter) return out;
    }
  }

  listRoles(): Promise<ControlRoomRole[]> {
    return this.listAll<ControlRoomRole>(`/${this.version}/usermanagement/roles/list`);
  }

  listUsers(): Promise<ControlRoomUserRecord[]> {
    return this.listAll<ControlRoomUserRecord>(`/${this.version}/usermanagement/users/list`);
  }

  /** Case-insensitive exact match: the API's substring filter narrows, the comparison decides. */
  async findUserByUsername(username: string): Promise<ControlRoomUserRecord | undefined> {
    const candidates = await this.listAll<ControlRoomUserRecord>(`/${this.version}/usermanagement/users/list`, { operator: "substring", field: "username", value: username });
    return candidates.find((u) => u.username.toLowerCase() === username.toLowerCase());
  }

  async getUser(id: number): Promise<ControlRoomUserRecord | undefined> {
    const res = await this.call<ControlRoomUserRecord>({ method: "GET", path: `/${this.version}/usermanagement/users/${id}`, accept: [404] });
    return res.status === 404 ? undefined : res.body;
  }

  async createUser(spec: ControlRoomUserSpec, password?: string): Promise<ControlRoomUserRecord> {
    const res = await this.call<ControlRoomUserRecord>({ method: "POST", path: `/${this.version}/usermanagement/users`, body: { ...this.body(spec), username: spec.username, ...(password ? { password } : {}) } });
    return res.body;
  }

  /** PUT replaces every writable field (absent = cleared), and roles replace the whole set. */
  async updateUser(id: number, spec: ControlRoomUserSpec): Promise<ControlRoomUserRecord> {
    const res = await this.call<ControlRoomUserRecord>({ method: "PUT", path: `/${this.version}/usermanagement/users/${id}`, body: { ...this.body(spec), username: spec.username } });
    return res.body;
  }

  /** Deletes a user; the API answers 200 with the deleted user's JSON. Returns undefined when it was already gone. */
  async deleteUser(id: number): Promise<ControlRoomUserRecord | undefined> {
    const res = await this.call<ControlRoomUserRecord>({ method: "DELETE", path: `/${this.version}/usermanagement/users/${id}`, accept: [404] });
    return res.status === 404 ? undefined : res.body;
  }

  private body(spec: ControlRoomUserSpec): Record<string, unknown> {
    return {
      email: spec.email,
      firstName: spec.firstName ?? null,
      lastName: spec.lastName ?? null,
      description: spec.description ?? null,
      disabled: spec.disabled,
      licenseFeatures: spec.licenseFeatures,
      ...(this.version === "v1" ? { roles: spec.roleIds.map((id) => ({ id })) } : { roleIds: spec.roleIds.map(String) }),
    };
  }
}
