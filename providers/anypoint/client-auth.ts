// How AnypointClient reaches the platform: the base URL of a control plane, calls that wait out
// Anypoint's rate limit, and bearer tokens (connected app or username/password) fetched one at a
// time and renewed shortly before they expire.
import { HttpClient, HttpError, type HttpCall, type HttpResult } from "../../src/http/client";
import { ANYPOINT_CONTROL_PLANES } from "../../src/config";

/** A control plane name (us, eu, gov) or a base URL (another region, a private gateway, the simulator). */
export function anypointBaseUrl(planeOrUrl: string): string {
  const known = ANYPOINT_CONTROL_PLANES[planeOrUrl.trim().toLowerCase()];
  if (known) return known;
  if (!/^https?:\/\/[^/\s]+/i.test(planeOrUrl)) {
    throw new Error(`Anypoint: '${planeOrUrl}' is neither a control plane (${Object.keys(ANYPOINT_CONTROL_PLANES).join(", ")}) nor an http(s) URL. Set rollcall:anypointUrl to one of them.`);
  }
  return planeOrUrl.replace(/\/+$/, "");
}

export interface AnypointCredentials {
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
}

export interface RateLimitPolicy {
  /** Waits after a 429 before giving up (default 5). */
  retries?: number;
  /** Upper bound for one wait (default 65 s: Anypoint's windows are one minute). */
  maxWaitMs?: number;
  /** Test hook: called before each wait. */
  onWait?: (info: { call: string; attempt: number; delayMs: number }) => void;
}

/**
 * How long to wait after a 429. Anypoint sends X-RateLimit-Reset as the window's end in UTC epoch
 * seconds (description and a captured response, reference §6); a small value is read as seconds
 * to wait, and Retry-After, never documented but standard, wins when present.
 */
export function rateLimitDelayMs(headers: HttpResult["headers"], attempt: number, now = Date.now()): number {
  const backoff = 250 * 2 ** attempt;
  const retryAfter = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) return Math.max(retryAfter * 1000, 50);
  const reset = Number(headers["x-ratelimit-reset"]);
  if (headers["x-ratelimit-reset"] === undefined || !Number.isFinite(reset)) return backoff;
  const ms = reset > 1_000_000_000 ? reset * 1000 - now : reset * 1000;
  // A reset already past (clock skew between us and the platform): back off instead of hammering.
  return ms > 0 ? ms + 50 : backoff;
}

/** An HttpClient call that waits out 429s by the platform's headers (HttpClient's own 429 handling reads a reset as seconds-to-wait only). */
export async function sendRespectingRateLimit<T>(http: HttpClient, call: HttpCall, policy: RateLimitPolicy = {}): Promise<HttpResult<T>> {
  const retries = policy.retries ?? 5;
  const callerTakes429 = call.accept?.includes(429) ?? false;
  for (let attempt = 0; ; attempt++) {
    const res = await http.call<T>({ ...call, accept: [...(call.accept ?? []), 429] });
    if (res.status !== 429 || callerTakes429) return res;
    if (attempt >= retries) {
      const limit = res.headers["x-ratelimit-limit"];
      throw new HttpError(
        http.platform,
        call.method,
        `${http.baseUrl}${call.path}`,
        429,
        res.body,
        `Still rate-limited after ${attempt + 1} attempts${limit ? ` (limit ${String(limit)} requests per window)` : ""}; run again after a minute or lower the parallelism (pulumi up --parallel 2).`,
      );
    }
    const delayMs = Math.min(rateLimitDelayMs(res.headers, attempt), policy.maxWaitMs ?? 65_000);
    policy.onWait?.({ call: `${call.method} ${call.path}`, attempt: attempt + 1, delayMs });
    await new Promise((r) => setTimeout(r, delayMs));
  }
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
    private readonly rateLimit: RateLimitPolicy = {},
  ) {
    const { clientId, clientSecret, username, password } = credentials;
    if (!(clientId && clientSecret) && !(username && password)) throw new Error("Anypoint: credentials missing: give a connected app (client id and secret) or a user (username and password).");
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
    const res = await sendRespectingRateLimit<{ access_token?: string; expires_in?: number }>(this.http, { method: "POST", path, body, accept: [400, 401, 403] }, this.rateLimit);
    if (res.status >= 400 || !res.body?.access_token) {
      const who = app ? `connected app '${clientId}'` : `user '${username}'`;
      const fix = app ? "check rollcall:anypointClientId and rollcall:anypointClientSecret" : "check rollcall:anypointUsername and rollcall:anypointPassword";
      const why = res.status === 403 ? `${fix}; the platform says the user is disabled` : !app && res.status === 401 ? `${fix} (a user of an organization with multi-factor authentication or single sign-on cannot log in with a password: use a connected app)` : fix;
      throw new HttpError("Anypoint", "POST", `${this.http.baseUrl}${path}`, res.status, res.body, `Login as ${who} was refused: ${why}.`);
    }
    const ttlMs = (Number(res.body.expires_in) > 0 ? Number(res.body.expires_in) : ASSUMED_LOGIN_TTL_SECONDS) * 1000;
    // Renew a minute early, or a tenth of the lifetime for short-lived tokens.
    return { value: res.body.access_token, renewAt: started + ttlMs - Math.min(60_000, ttlMs / 10) };
  }
}
