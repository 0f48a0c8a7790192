// The audit trail: every mutating HTTP call rollcall makes — each attempt, as the platform saw it —
// appended as one JSON line to the stack's audit file: time, run, stack, platform, person, method,
// path, status and the platform's request id. Never a body, a header other than the request id,
// a query string, a credential or a token.
//
// Hooked once, outside the HTTP client: undici publishes every request on diagnostics channels,
// so the sink sees exactly what goes on the wire, retries included, whatever client sends it.
import { appendFileSync, mkdirSync } from "node:fs";
import diagnostics from "node:diagnostics_channel";
import path from "node:path";
import { currentScope, type AuditScope } from "./context";

export interface AuditLine {
  time: string;
  run: string;
  stack: string;
  platform: string;
  /** Usernames the call acted for (several for a bulk call). */
  people: string[];
  method: string;
  path: string;
  /** HTTP status, or "no response" when the connection failed. */
  status: number | "no response";
  requestId?: string;
}

/** Reads that use POST (searches, logins, tokens) are not mutations. */
export function isMutating(method: string, urlPath: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase()) && !/\/(list|login|authentication|token)(\/|\?|$)/.test(urlPath);
}

/** Response headers that carry the platform's id for a request. */
const REQUEST_ID_HEADERS = ["x-request-id", "x-correlation-id", "x-anypnt-trx-id", "request-id", "x-amzn-requestid"];

export interface AuditTarget {
  file: string;
  stack: string;
}

interface Pending {
  scope?: AuditScope;
  method: string;
  path: string;
}

type UndiciRequest = { method: string; path: string; origin?: string };

let installed = false;
const pending = new WeakMap<object, Pending>();
const RUN = `${new Date().toISOString()}-${process.pid}`;

/** Subscribes once per process; `target()` says where lines go (undefined: nowhere yet). */
export function installAuditSink(target: () => AuditTarget | undefined): void {
  if (installed) return;
  installed = true;
  const write = (p: Pending, status: AuditLine["status"], requestId?: string) => {
    const t = target();
    if (!t) return;
    const line: AuditLine = {
      time: new Date().toISOString(),
      run: RUN,
      stack: t.stack,
      platform: p.scope?.platform ?? "",
      people: p.scope?.people ?? [],
      method: p.method,
      path: p.path,
      status,
      ...(requestId ? { requestId } : {}),
    };
    mkdirSync(path.dirname(t.file), { recursive: true });
    appendFileSync(t.file, `${JSON.stringify(line)}\n`);
  };
  diagnostics.subscribe("undici:request:create", (message) => {
    const { request } = message as { request: UndiciRequest };
    const urlPath = request.path.split("?")[0]!;
    if (isMutating(request.method, urlPath))
      pending.set(request, { scope: currentScope(), method: request.method.toUpperCase(), path: urlPath });
  });
  diagnostics.subscribe("undici:request:headers", (message) => {
    const { request, response } = message as { request: object; response: { statusCode: number; headers: Buffer[] } };
    const p = pending.get(request);
    if (!p) return;
    pending.delete(request);
    write(p, response.statusCode, requestIdOf(response.headers));
  });
  diagnostics.subscribe("undici:request:error", (message) => {
    const { request } = message as { request: object };
    const p = pending.get(request);
    if (!p) return;
    pending.delete(request);
    write(p, "no response");
  });
}

/** undici's raw headers are [name, value, name, value, …] buffers. */
function requestIdOf(raw: Buffer[]): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (REQUEST_ID_HEADERS.includes(raw[i]!.toString("latin1").toLowerCase())) return raw[i + 1]!.toString("latin1").slice(0, 200);
  }
  return undefined;
}
