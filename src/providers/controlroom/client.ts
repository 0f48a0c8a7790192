// Control Room API client: authentication (password or API key) with single-flight login,
// proactive refresh and one re-login on 401; user CRUD; role lookup by name. Speaks HTTP only
// through the shared HttpClient (undici).
import { HttpClient, HttpError, type HttpCall, type HttpSettings } from "../../core/http/client";

export interface ControlRoomCredentials {
  url: string;
  username: string;
  password?: string;
  apiKey?: string;
  /** v2 is current; v1 user management is discontinued from Automation 360 v.33. */
  apiVersion?: "v1" | "v2";
  /** Request budget, retry window and timeout (src/core/config.ts defaults when absent). */
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
  /**
   * Derived from the user's roles, read-only: `{action, resourceType}` pairs
   * (https://docs.automationanywhere.com/bundle/enterprise-v2019/page/enterprise-cloud/topics/control-room/control-room-api/cloud-api-retrieve-specific-user.html).
   */
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

/**
 * Renew a token after three quarters of the lifetime it states (JWT `exp - iat`: 20 minutes on the
 * platform,
 * https://docs.automationanywhere.com/bundle/enterprise-v2019/page/enterprise-cloud/topics/control-room/control-room-api/cloud-authenticate-apikey.html),
 * timed by the local clock from when it arrived so clock skew cannot matter; 15 minutes when the
 * token does not say.
 */
const REFRESH_AFTER_MS = 15 * 60 * 1000;
const REFRESH_FRACTION = 0.75;

/** How long after its arrival a token should be renewed. */
export function refreshAfterMs(token: string): number {
  try {
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { iat?: unknown; exp?: unknown };
    if (typeof claims.iat === "number" && typeof claims.exp === "number" && claims.exp > claims.iat)
      return Math.min(REFRESH_AFTER_MS, (claims.exp - claims.iat) * 1000 * REFRESH_FRACTION);
  } catch {
    // Not a JWT the client can read: fall back to the documented lifetime.
  }
  return REFRESH_AFTER_MS;
}

/** A call refused with 401 is sent again with the newest token this many times (a renewal between). */
const RENEWALS_PER_CALL = 2;
const PAGE = 500;

export class ControlRoomClient {
  private readonly http: HttpClient;
  private readonly version: "v1" | "v2";
  private token?: string;
  private tokenIssuedAt = 0;
  private tokenRefreshAfterMs = REFRESH_AFTER_MS;
  private login?: Promise<string>;

  constructor(
    private readonly credentials: ControlRoomCredentials,
    http?: HttpClient,
  ) {
    if (!credentials.password && !credentials.apiKey) {
      throw new Error(
        `Control Room: no password or API key for '${credentials.username}'. Set rollcall:controlRoomApiKey (or ` +
          `controlRoomPassword) with \`pulumi config set --secret\`.`,
      );
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
    // A renewal under way: every caller waits for its token rather than sending the old one.
    if (this.login) return this.login;
    const fresh = this.token && Date.now() - this.tokenIssuedAt < this.tokenRefreshAfterMs;
    if (this.token && (failed === undefined ? fresh : this.token !== failed)) return Promise.resolve(this.token);
    this.login ??= (async () => {
      try {
        if (failed !== undefined && this.token === failed) this.token = undefined;
        const body = this.credentials.apiKey
          ? { username: this.credentials.username, apiKey: this.credentials.apiKey }
          : { username: this.credentials.username, password: this.credentials.password };
        const res = await this.http.call<{ token: string }>({
          method: "POST",
          path: `/${this.version}/authentication`,
          body,
          accept: [401],
          idempotent: true,
          urgent: true,
        });
        if (res.status === 401) {
          throw new HttpError(
            "Control Room",
            "POST",
            `${this.http.baseUrl}/${this.version}/authentication`,
            401,
            res.body,
            `Login as '${this.credentials.username}' was refused: check rollcall:controlRoomUsername and the API key or ` +
              `password (pulumi config set --secret rollcall:controlRoomApiKey …).`,
          );
        }
        this.token = res.body.token;
        this.tokenIssuedAt = Date.now();
        this.tokenRefreshAfterMs = refreshAfterMs(this.token);
        return this.token;
      } finally {
        this.login = undefined;
      }
    })();
    return this.login;
  }

  /**
   * An authenticated call. Each attempt takes its token only once it holds its budget slot, so no
   * token ages in the queue. On 401 (expired or superseded token) the session is renewed — one
   * renewal shared by every concurrent caller, ahead of the queued calls — and the call queues again
   * with the newest token; a second 401 gets one more renewal and attempt before the call fails.
   */
  private async call<T>(call: HttpCall): Promise<{ status: number; body: T }> {
    for (let renewals = 0; ; renewals++) {
      let used = "";
      const authorize = async () => ({ "x-authorization": (used = await this.authenticate()) });
      // The renewal starts before this call's slot is given back, so the next queued call waits for it instead of spending the dead token.
      const onStatus = (status: number) =>
        void (status === 401 && renewals < RENEWALS_PER_CALL && this.authenticate(used).catch(() => undefined));
      const res = await this.http.call<T>({ ...call, authorize, onStatus, accept: [...(call.accept ?? []), 401] });
      if (res.status !== 401) return res;
      if (renewals === RENEWALS_PER_CALL) {
        if (call.accept?.includes(401)) return res;
        throw new HttpError("Control Room", call.method, `${this.url}${call.path}`, 401, res.body, this.refusedHint());
      }
      await this.authenticate(used);
    }
  }

  /** The login itself succeeded each time, so the credentials are right: something ended the new sessions at once. */
  private refusedHint(): string {
    const who = `'${this.credentials.username}'`;
    if (this.credentials.apiKey) {
      return (
        `Sessions opened just now with rollcall's API key for ${who} were refused too (API-key sessions do not end each other): ` +
        `an administrator or another tool is probably ending the sessions of ${who}, or Control Room's tokens expire sooner than ` +
        `one call takes. Check that user's sessions and API key in Control Room, then run again.`
      );
    }
    return (
      `Sessions opened just now with the password of ${who} were refused too: another program is probably logging in as ${who} ` +
      `with its password (each password login ends the previous session). Give rollcall an API key (rollcall:controlRoomApiKey) or ` +
      `a user of its own, then run again.`
    );
  }

  private async listAll<T>(path: string, filter?: unknown): Promise<T[]> {
    const out: T[] = [];
    for (let offset = 0; ;) {
      const res = await this.call<ListReply<T>>({
        method: "POST",
        list: true,
        idempotent: true,
        path,
        body: { ...(filter ? { filter } : {}), sort: [{ field: "id", direction: "asc" }], page: { offset, length: PAGE } },
      });
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
    const candidates = await this.listAll<ControlRoomUserRecord>(`/${this.version}/usermanagement/users/list`, {
      operator: "substring",
      field: "username",
      value: username,
    });
    return candidates.find((u) => u.username.toLowerCase() === username.toLowerCase());
  }

  async getUser(id: number): Promise<ControlRoomUserRecord | undefined> {
    const res = await this.call<ControlRoomUserRecord>({
      method: "GET",
      path: `/${this.version}/usermanagement/users/${id}`,
      accept: [404],
    });
    return res.status === 404 ? undefined : res.body;
  }

  async createUser(spec: ControlRoomUserSpec, password?: string): Promise<ControlRoomUserRecord> {
    const res = await this.call<ControlRoomUserRecord>({
      method: "POST",
      path: `/${this.version}/usermanagement/users`,
      body: { ...this.body(spec), username: spec.username, ...(password ? { password } : {}) },
    });
    return res.body;
  }

  /** PUT replaces every writable field (absent = cleared), and roles replace the whole set. */
  async updateUser(id: number, spec: ControlRoomUserSpec): Promise<ControlRoomUserRecord> {
    const res = await this.call<ControlRoomUserRecord>({
      method: "PUT",
      path: `/${this.version}/usermanagement/users/${id}`,
      body: { ...this.body(spec), username: spec.username },
    });
    return res.body;
  }

  /** Deletes a user; the API answers 200 with the deleted user's JSON. Returns undefined when it was already gone. */
  async deleteUser(id: number): Promise<ControlRoomUserRecord | undefined> {
    const res = await this.call<ControlRoomUserRecord>({
      method: "DELETE",
      path: `/${this.version}/usermanagement/users/${id}`,
      accept: [404],
    });
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
