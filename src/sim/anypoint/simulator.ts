// A local Anypoint Platform Access Management API (under /accounts), for the demo, the tests and
// the benchmarks. This file: tokens (connected app client credentials, JSON or form-encoded, and
// username/password login) that expire, the bearer check (401), per-caller rate limiting (429 with
// X-RateLimit-* headers, reset in UTC epoch seconds as documented), the Organization Administrator
// check (403), and /me. The organization/user routes are in simulator-orgs.ts, roles, role groups
// and teams in simulator-access.ts, the data in simulator-state.ts, the JSON shapes in
// simulator-json.ts. The 503 with an empty body seen in the field is a fault to inject
// (server.injectFault({ status: 503 })).
import { randomBytes, randomUUID } from "node:crypto";
import { PlatformSimulator, type SimRequest, type SimResponse, type SimulatorOptions } from "../harness";
import { registerAccessRoutes } from "./simulator-access";
import { msg, type ApiContext, type ApiRouter, type RouteOptions } from "./simulator-http";
import { AnypointJson } from "./simulator-json";
import { registerOrganizationRoutes } from "./simulator-orgs";
import { registerSearchRoutes } from "./simulator-search";
import { AnypointState, type AnypointSeed, type SimAnypointUser, type SimPrincipal } from "./simulator-state";

export type { AnypointSeed } from "./simulator-state";

export interface AnypointSimulatorOptions extends SimulatorOptions {
  /** An existing organization to start from. */
  seed?: AnypointSeed;
  /** Lifetime of every token (default 3600 s, the documented expires_in). */
  tokenTtlSeconds?: number;
  /** Requests per caller per window before 429 (default 10,000 a minute). */
  rateLimit?: { limit: number; windowMs: number };
  /**
   * "external": the organization's people sign in through an external identity provider (SAML or
   * OpenID Connect). Users cannot be created with a password there; people are invited and become
   * users when they first sign in (state.acceptInvite). Default "anypoint".
   */
  identityProvider?: "anypoint" | "external";
}

/** The demo's and tests' credentials: a connected app acting for an Organization Administrator. */
export const SIM_ANYPOINT_APP = { clientId: "rollcall-sim-app", clientSecret: "sim-secret-5b0c2e7d" };
/** A connected app without Organization Administrator: reads work, user management is refused (403). */
export const SIM_ANYPOINT_VIEWER_APP = { clientId: "viewer-app", clientSecret: "viewer-secret" };
/** The identity provider id users and the organization carry when identityProvider is "external". */
export const SIM_EXTERNAL_IDP_ID = "acme-okta-saml";

const A = "/accounts/api";
const DEFAULT_RATE_LIMIT = { limit: 10_000, windowMs: 60_000 };

interface Session {
  token: string;
  principal: SimPrincipal;
  expiresAt: number;
}

export class AnypointSimulator extends PlatformSimulator implements ApiRouter {
  readonly state: AnypointState;
  readonly json: AnypointJson;
  readonly identityProvider: "anypoint" | "external";
  private readonly tokens = new Map<string, Session>();
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly options: AnypointSimulatorOptions = {}) {
    super("Anypoint", options);
    this.identityProvider = options.identityProvider ?? "anypoint";
    this.state = new AnypointState("Acme Corp", this.identityProvider === "external" ? SIM_EXTERNAL_IDP_ID : "mulesoft");
    this.state.addConnectedApp({ ...SIM_ANYPOINT_APP, name: "rollcall", orgAdmin: true });
    this.state.addConnectedApp({ ...SIM_ANYPOINT_VIEWER_APP, name: "viewer", orgAdmin: false });
    this.json = new AnypointJson(this.state);
    if (options.seed) this.state.seed(options.seed);
    // Fault actions (harness kind "action"): every issued token expires in the middle of a run.
    this.server.onAction("expire-tokens", () => this.expireTokens());
    this.server.route("POST", `${A}/v2/oauth2/token`, (req) => this.clientCredentials(req));
    // Login lives outside /api on the real platform (the description lists it as POST /login).
    this.server.route("POST", "/accounts/login", (req) => this.login(req));
    this.api("GET", "/me", {}, (ctx) => this.me(ctx));
    // Only root Organization Administrators can view connected apps
    // (https://docs.mulesoft.com/access-management/connected-app-bearer-token-example): 403 otherwise.
    this.api("GET", "/connectedApplications/:client", { admin: true }, ({ req }) => {
      const app = this.state.connectedApps.get(req.params.client!);
      if (!app) return msg(404, "Connected application not found");
      return {
        status: 200,
        body: {
          client_id: app.clientId,
          owner_org_id: this.state.master.id,
          client_name: app.name,
          public_keys: [],
          redirect_uris: [],
          grant_types: ["client_credentials"],
          scopes: [],
          enabled: true,
          audience: "internal",
          generate_iss_claim_without_token: false,
        },
      };
    });
    registerOrganizationRoutes(this);
    registerAccessRoutes(this);
    registerSearchRoutes(this);
  }

  /** Adds an existing organization's objects (business groups, roles, teams, users, connected apps). */
  seed(seed: AnypointSeed): this {
    this.state.seed(seed);
    return this;
  }

  /**
   * An existing organization in one call, e.g. `seedOrganization({ masterName: "Acme", businessGroups:
   * ["Sales"], users: 50, teams: ["Approvers"] })`. Returns the ids tests need.
   */
  seedOrganization(seed: AnypointSeed): { masterId: string; businessGroups: Record<string, string>; users: SimAnypointUser[] } {
    const users = this.state.seed(seed);
    const businessGroups = Object.fromEntries([...this.state.orgs.values()].filter((o) => o.parentId).map((o) => [o.name, o.id]));
    return { masterId: this.state.master.id, businessGroups, users };
  }

  /** Makes every issued token expire now (tests of re-authentication without waiting). */
  expireTokens(): void {
    for (const session of this.tokens.values()) session.expiresAt = 0;
  }

  // --- the guarded route every /accounts/api handler goes through --------------------------------

  api(method: string, path: string, options: RouteOptions, handler: (ctx: ApiContext) => SimResponse): void {
    this.server.route(method, `${A}${path}`, (req): SimResponse => {
      const session = this.session(req);
      // Invalid or expired token. The gateway's body is plain text "Unauthorized" (inferred);
      // the harness sends every body as JSON, so it arrives as the JSON string "Unauthorized".
      if (!session) return { status: 401, body: "Unauthorized", headers: { "www-authenticate": 'Bearer realm="anypoint"' } };
      const rate = this.throttle(principalKey(session.principal));
      const res = rate.limited ? msg(429, "Too many requests") : this.guarded(req, session, options, handler);
      return { ...res, headers: { ...rate.headers, "x-anypnt-trx-id": randomBytes(16).toString("hex"), ...res.headers } };
    });
  }

  private guarded(req: SimRequest, session: Session, options: RouteOptions, handler: (ctx: ApiContext) => SimResponse): SimResponse {
    const org = req.params.org === undefined ? this.state.master : this.state.orgs.get(req.params.org);
    if (!org)
      return options.unknownOrg ? msg(options.unknownOrg.status, options.unknownOrg.message) : msg(404, "Organization does not exist");
    // Plain-text "Forbidden", as the Terraform provider's diagnostics show (inferred).
    if (options.admin && !this.state.isOrgAdmin(session.principal, org.id)) return { status: 403, body: "Forbidden" };
    let user: SimAnypointUser | undefined;
    if (req.params.user !== undefined) {
      user = this.state.activeUser(req.params.user);
      if (!user) return msg(404, "User does not exist");
    }
    return handler({ req, principal: session.principal, org, user: user!, token: session });
  }

  private session(req: SimRequest): Session | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
    const session = m ? this.tokens.get(m[1]!) : undefined;
    if (!session) return undefined;
    if (session.expiresAt <= Date.now()) {
      this.tokens.delete(session.token);
      return undefined;
    }
    // A deleted or disabled user's session ends with them.
    if (session.principal.kind === "user" && !this.state.activeUser(session.principal.userId)?.enabled) return undefined;
    return session;
  }

  /**
   * A fixed window per caller. X-RateLimit-Reset is the window's end in UTC epoch seconds
   * (https://help.salesforce.com/s/articleView?id=001116018).
   */
  private throttle(key: string): { limited: boolean; headers: Record<string, string> } {
    const { limit, windowMs } = this.options.rateLimit ?? DEFAULT_RATE_LIMIT;
    const now = Date.now();
    let win = this.windows.get(key);
    if (!win || now - win.start >= windowMs) this.windows.set(key, (win = { start: now, count: 0 }));
    win.count++;
    const headers = {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(Math.max(0, limit - win.count)),
      "x-ratelimit-reset": String(Math.ceil((win.start + windowMs) / 1000)),
    };
    return { limited: win.count > limit, headers };
  }

  // --- authentication -------------------------------------------------------------------------

  private issue(principal: SimPrincipal): Session {
    const ttl = this.options.tokenTtlSeconds ?? 3600;
    const session = { token: randomUUID(), principal, expiresAt: Date.now() + ttl * 1000 };
    this.tokens.set(session.token, session);
    return session;
  }

  /** POST /accounts/api/v2/oauth2/token: client credentials, as a form (documented) or as JSON (what both Terraform providers send). */
  private clientCredentials(req: SimRequest): SimResponse {
    const body = (typeof req.body === "string" ? Object.fromEntries(new URLSearchParams(req.body)) : (req.body ?? {})) as Record<
      string,
      unknown
    >;
    const rate = this.throttle(`token:${String(body.client_id)}`);
    if (rate.limited) return { ...msg(429, "Too many requests"), headers: rate.headers };
    if (body.grant_type !== "client_credentials") {
      return {
        status: 400,
        body: {
          error: "unsupported_grant_type",
          error_description: `grant_type '${String(body.grant_type)}' is not supported here; use client_credentials`,
        },
        headers: rate.headers,
      };
    }
    const app = this.state.connectedApps.get(String(body.client_id ?? ""));
    if (!app || app.clientSecret !== body.client_secret)
      return { status: 401, body: { error: "invalid_client", error_description: "Invalid client credentials" }, headers: rate.headers };
    const session = this.issue({ kind: "client", app });
    const ttl = Math.round((session.expiresAt - Date.now()) / 1000);
    return { status: 200, body: { access_token: session.token, token_type: "bearer", expires_in: ttl }, headers: rate.headers };
  }

  /** POST /accounts/login: a user with a password (not federated users, who sign in through their identity provider). */
  private login(req: SimRequest): SimResponse {
    const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown };
    const rate = this.throttle(`login:${String(username).toLowerCase()}`);
    if (rate.limited) return { ...msg(429, "Too many requests"), headers: rate.headers };
    const user = typeof username === "string" ? this.state.findUser(username) : undefined;
    if (!user || user.password === undefined || user.password !== password)
      return { ...msg(401, "Invalid username or password"), headers: rate.headers };
    if (!user.enabled) return { ...msg(403, "The user is disabled and cannot login"), headers: rate.headers };
    const session = this.issue({ kind: "user", userId: user.id });
    user.previousLastLogin = user.lastLogin;
    user.lastLogin = new Date().toISOString();
    // As recorded from the real platform: no expires_in here (GET /me tells it).
    return { status: 200, body: { access_token: session.token, token_type: "bearer", redirectUrl: "/home/" }, headers: rate.headers };
  }

  /** GET /me: `user` for a user's token, `client` (with org_id) for a connected app's. */
  private me(ctx: ApiContext): SimResponse {
    const p = ctx.principal;
    if (p.kind === "client") {
      return {
        status: 200,
        body: {
          client: {
            client_id: p.app.clientId,
            name: p.app.name,
            org_id: this.state.master.id,
            redirect_uris: [],
            grant_types: ["client_credentials"],
          },
        },
      };
    }
    const expiresIn = Math.max(0, Math.round((ctx.token.expiresAt - Date.now()) / 1000));
    return {
      status: 200,
      body: this.json.meUser(this.state.users.get(p.userId)!, { access_token: ctx.token.token, expires_in: expiresIn }),
    };
  }
}

function principalKey(p: SimPrincipal): string {
  return p.kind === "client" ? `client:${p.app.clientId}` : `user:${p.userId}`;
}

export function createAnypointSimulator(options?: AnypointSimulatorOptions): AnypointSimulator {
  return new AnypointSimulator(options);
}
