// What the Anypoint simulator's route modules share: the guarded route signature (token, rate
// limit, organization, permission and user already checked), error bodies, and offset/limit paging.
import type { SimRequest, SimResponse } from "../harness";
import type { AnypointJson } from "./simulator-json";
import type { AnypointState, SimAnypointUser, SimOrg, SimPrincipal } from "./simulator-state";

export interface ApiContext {
  req: SimRequest;
  principal: SimPrincipal;
  /** The organization named by `:org` (the master organization on routes without one). */
  org: SimOrg;
  /** The active user named by `:user`, on routes that have one. */
  user: SimAnypointUser;
  /** The caller's token and when it expires (ms since epoch). */
  token: { token: string; expiresAt: number };
}

export interface RouteOptions {
  /** Organization Administrator of `:org` (or of an ancestor) required; otherwise any valid token. */
  admin?: boolean;
  /** Status for an unknown `:org`: 404 mostly, 400 on the hierarchy (as documented). */
  unknownOrg?: { status: number; message: string };
}

export interface ApiRouter {
  readonly state: AnypointState;
  readonly json: AnypointJson;
  readonly identityProvider: "anypoint" | "external";
  /** Registers a route under /accounts/api whose handler runs only for authenticated, permitted callers. */
  api(method: string, path: string, options: RouteOptions, handler: (ctx: ApiContext) => SimResponse): void;
}

/**
 * Error body. The description gives descriptions only; the Go client models `{status, message}`
 * (https://help.salesforce.com/s/articleView?id=001116018), so that is what the simulator sends, with extra fields where they help.
 */
export function msg(status: number, message: string, extra: Record<string, unknown> = {}): SimResponse {
  return { status, body: { status, message, ...extra } };
}

/** offset/limit paging with the documented default 25 and maximum 500 (400 outside the range). */
export function page(req: SimRequest, all: unknown[]): SimResponse {
  const offset = Number(req.query.get("offset") ?? 0);
  const limit = Number(req.query.get("limit") ?? 25);
  if (!Number.isInteger(offset) || offset < 0) return msg(400, `offset must be an integer >= 0, not '${req.query.get("offset")}'`);
  if (!Number.isInteger(limit) || limit < 0 || limit > 500)
    return msg(400, `limit must be an integer from 0 to 500, not '${req.query.get("limit")}'`);
  return { status: 200, body: { data: all.slice(offset, offset + limit), total: all.length } };
}

/** A JSON array of strings (bulk bodies), or undefined when the body is anything else. */
export function stringIds(body: unknown): string[] | undefined {
  return Array.isArray(body) && body.every((id) => typeof id === "string") ? (body as string[]) : undefined;
}

export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Case-insensitive partial match of `search` on the given fields (as the description says for users and members). */
export function matches(search: string | null, fields: string[]): boolean {
  if (!search) return true;
  const s = search.toLowerCase();
  return fields.some((f) => f.toLowerCase().includes(s));
}
