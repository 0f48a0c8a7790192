// How AnypointClient reaches the platform: the base URL of a control plane and bearer tokens
// (connected app or username/password) fetched one at a time and renewed shortly before they
// expire. Rate limits (X-RateLimit-Reset in epoch seconds, the 503 with an empty body) are waited
// out by the shared HttpClient, src/core/http/retry.ts, like every platform's.
import { HttpClient, HttpError } from "../../core/http/client";
import { ANYPOINT_CONTROL_PLANES } from "../../core/config";

/** A control plane name (us, eu, gov) or a base URL (another region, a private gateway, the simulator). */
export function anypointBaseUrl(planeOrUrl: string): string {
  const known = ANYPOINT_CONTROL_PLANES[planeOrUrl.trim().toLowerCase()];
  if (known) return known;
  if (!/^https?:\/\/[^/\s]+/i.test(planeOrUrl)) {
    throw new Error(
      `Anypoint: '${planeOrUrl}' is neither a control plane (${Object.keys(ANYPOINT_CONTROL_PLANES).join(", ")}) nor an http(s) ` +
        `URL. Set rollcall:anypointUrl to one of them.`,
    );
  }
  return planeOrUrl.replace(/\/+$/, "");
}

export interface AnypointCredentials {
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
}

/** Login answers carry no expires_in (only the connected-app token does); an Anypoint session defaults to 60 minutes. */
const ASSUMED_LOGIN_TTL_SECONDS = 3600;

interface Token {
  value: string;
  /** Renew from here on: shortly before the platform's expiry. */
  renewAt: number;
}

/** Bearer tokens: one fetch at a time however many calls wait, renewed before expiry, forgotten when refused. */
export class AnypointTokens {
  private current?: Token;
  private pending?: Promise<Token>;

  constructor(
    private readonly http: HttpClient,
    private readonly credentials: AnypointCredentials,
  ) {
    const { clientId, clientSecret, username, password } = credentials;
    if (!(clientId && clientSecret) && !(username && password))
      throw new Error("Anypoint: credentials missing: give a connected app (client id and secret) or a user (username and password).");
  }

  async get(): Promise<string> {
    if (this.current && Date.now() < this.current.renewAt) return this.current.value;
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    const token = await this.pending;
    this.current = token;
    return token.value;
  }

  /** A call was refused with 401 using `value`: forget it, unless another caller already renewed it. */
  invalidate(value: string): void {
    if (this.current?.value === value) this.current = undefined;
  }

  private async fetch(): Promise<Token> {
    const { clientId, clientSecret, username, password } = this.credentials;
    const app = Boolean(clientId && clientSecret);
    const path = app ? "/accounts/api/v2/oauth2/token" : "/accounts/login";
    const body = app ? { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret } : { username, password };
    const started = Date.now();
    const res = await this.http.call<{ access_token?: string; expires_in?: number }>({
      method: "POST",
      path,
      body,
      accept: [400, 401, 403],
      idempotent: true,
    });
    if (res.status >= 400 || !res.body?.access_token) {
      const who = app ? `connected app '${clientId}'` : `user '${username}'`;
      const fix = app
        ? "check rollcall:anypointClientId and rollcall:anypointClientSecret"
        : "check rollcall:anypointUsername and rollcall:anypointPassword";
      const why =
        res.status === 403
          ? `${fix}; the platform says the user is disabled`
          : !app && res.status === 401
            ? `${fix} (a user of an organization with multi-factor authentication or single sign-on cannot log in with a ` +
              `password: use a connected app)`
            : fix;
      throw new HttpError("Anypoint", "POST", `${this.http.baseUrl}${path}`, res.status, res.body, `Login as ${who} was refused: ${why}.`);
    }
    const ttlMs = (Number(res.body.expires_in) > 0 ? Number(res.body.expires_in) : ASSUMED_LOGIN_TTL_SECONDS) * 1000;
    // Renew a minute early, or a tenth of the lifetime for short-lived tokens.
    return { value: res.body.access_token, renewAt: started + ttlMs - Math.min(60_000, ttlMs / 10) };
  }
}
