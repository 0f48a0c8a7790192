// The shared harness behind both platform simulators: a loopback HTTP server with a route table,
// a request log that tests and the demo read, fault injection, and an idle timeout so a forgotten
// simulator stops by itself. Platform behaviour lives in src/sim/<platform>/simulator.ts.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  status: number;
  /** Parsed JSON request body, when there was one. */
  body?: unknown;
  /** The body that was answered (conformance tests validate it against the vendor's description). */
  response?: unknown;
  /** Milliseconds from arrival to the end of the response. */
  ms: number;
  at: string;
}

export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

/**
 * A fault: the next `times` requests matching method/path (or every one during `forMs`) get it
 * instead of the real answer. Kinds: an answer (`status`, `body`, `headers`); latency (`delayMs`
 * without `status`: the real answer, late); `reset` (the socket is destroyed, no answer); `hang`
 * (no answer ever: the client's timeout must fire); `action` (a platform event such as
 * "expire-tokens" or "kick-sessions", then the real answer).
 */
export interface Fault {
  method?: string;
  /** Regular expression source matched against the request path. */
  path?: string;
  status?: number;
  /** JSON body; omit for an empty body (e.g. the 503-with-empty-body seen in the field). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Also send X-RateLimit-Reset as the UTC epoch second this many ms from now (Anypoint's form). */
  resetInMs?: number;
  kind?: "answer" | "reset" | "hang" | "action";
  /** For kind "action": a name the platform simulator registered with onAction(). */
  action?: string;
  /** How many matching requests get the fault (default 1; unlimited with forMs). */
  times?: number;
  /** A time window: active from the first matching request for this long. */
  forMs?: number;
  /** Let this many matching requests through first (a fault in the middle of a run). */
  after?: number;
  /** Delay before answering, to simulate a slow platform. */
  delayMs?: number;
}

type ActiveFault = Fault & { remaining: number; skip: number; re?: RegExp; endsAt?: number };
type Outcome = SimResponse | { drop: "reset" | "hang" };

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Stop after this many seconds without a request (0 = never). */
  idleTimeoutSeconds?: number;
  /** Maximum request body in bytes (413 beyond). */
  maxBodyBytes?: number;
  /** Delay before answering every platform request, as a remote platform's round trip (benchmarks). */
  latencyMs?: number;
}

const ADMIN_PREFIX = "/__sim";

export class SimulatorServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private faults: ActiveFault[] = [];
  private readonly actions = new Map<string, () => void>();
  private server?: http.Server;
  private idleTimer?: NodeJS.Timeout;
  private seq = 0;
  private stopped?: () => void;
  /** Resolves when the server stops (by stop() or its idle timeout). */
  readonly closed = new Promise<void>((resolve) => (this.stopped = resolve));

  constructor(
    readonly name: string,
    private readonly options: SimulatorOptions = {},
  ) {}

  /** Registers a route; `:name` segments become params. */
  route(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:(\w+)/g, (_m, key: string) => {
      keys.push(key);
      return "([^/]+)";
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  injectFault(fault: Fault): void {
    const remaining = fault.times ?? (fault.forMs !== undefined ? Infinity : 1);
    this.faults.push({ ...fault, remaining, skip: fault.after ?? 0, re: fault.path ? new RegExp(fault.path) : undefined });
  }

  /** A platform event a fault of kind "action" can trigger (token expiry, a session kicked out). */
  onAction(name: string, run: () => void): void {
    this.actions.set(name, run);
  }

  clearFaults(): void {
    this.faults = [];
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error(`${this.name} simulator is not listening`);
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.dispatch(req, res));
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    this.touch();
    return this.url;
  }

  async stop(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.stopped?.();
  }

  private touch(): void {
    const seconds = this.options.idleTimeoutSeconds ?? 0;
    if (seconds <= 0) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      process.stderr.write(`${this.name} simulator: no request for ${seconds}s, stopping\n`);
      void this.stop();
    }, seconds * 1000);
    this.idleTimer.unref();
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    this.touch();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    let answer: Outcome;
    let body: unknown;
    try {
      const raw = await readBody(req, this.options.maxBodyBytes ?? 5_000_000);
      if (raw === null) {
        answer = { status: 413, body: { message: "Request body too large" } };
      } else {
        // JSON bodies are parsed (400 when malformed); others, e.g. form-encoded token requests, stay text.
        const json = String(req.headers["content-type"] ?? "application/json").includes("json");
        body = raw.length ? (json ? JSON.parse(raw) : raw) : undefined;
        answer = url.pathname.startsWith(ADMIN_PREFIX)
          ? this.admin(method, url.pathname.slice(ADMIN_PREFIX.length), body)
          : await this.handle(method, url, req.headers, body);
      }
    } catch (err) {
      answer =
        err instanceof SyntaxError
          ? { status: 400, body: { message: `Malformed JSON body: ${err.message}` } }
          : { status: 500, body: { message: `${this.name} simulator error: ${(err as Error).message}` } };
    }
    if ("drop" in answer) {
      this.record(method, url, 0, body, undefined, started);
      // reset: the connection dies under the client; hang: it stays open, unanswered, until the client gives up.
      if (answer.drop === "reset") req.socket.destroy();
      return;
    }
    const payload = answer.body === undefined ? "" : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(payload ? { "content-type": "application/json" } : {}),
      "content-length": Buffer.byteLength(payload),
      ...answer.headers,
    });
    res.end(payload);
    this.record(method, url, answer.status, body, answer.body, started);
  }

  private record(method: string, url: URL, status: number, body: unknown, response: unknown, started: number): void {
    if (url.pathname.startsWith(ADMIN_PREFIX)) return;
    this.requests.push({
      seq: ++this.seq,
      method,
      path: url.pathname,
      query: url.search,
      status,
      body,
      response,
      ms: Math.round((performance.now() - started) * 100) / 100,
      at: new Date().toISOString(),
    });
  }

  /** The fault this request meets, if any (counting it); a fault whose window or count ran out is dropped. */
  private takeFault(method: string, path: string): ActiveFault | undefined {
    const now = Date.now();
    this.faults = this.faults.filter((f) => f.remaining > 0 && (f.endsAt === undefined || now < f.endsAt));
    const fault = this.faults.find((f) => (!f.method || f.method === method) && (!f.re || f.re.test(path)));
    if (!fault) return undefined;
    if (fault.skip > 0) {
      fault.skip--;
      return undefined;
    }
    if (fault.forMs !== undefined) fault.endsAt ??= now + fault.forMs;
    fault.remaining--;
    return fault;
  }

  private async handle(method: string, url: URL, headers: http.IncomingHttpHeaders, body: unknown): Promise<Outcome> {
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const fault = this.takeFault(method, url.pathname);
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      const kind = fault.kind ?? (fault.status !== undefined ? "answer" : "latency");
      if (kind === "reset" || kind === "hang") return { drop: kind };
      if (kind === "action") {
        const run = this.actions.get(fault.action ?? "");
        if (!run) return { status: 500, body: { message: `${this.name} simulator has no fault action '${fault.action}'` } };
        run();
      } else if (kind === "answer") {
        const reset: Record<string, string> =
          fault.resetInMs === undefined ? {} : { "x-ratelimit-reset": String(Math.ceil((Date.now() + fault.resetInMs) / 1000)) };
        return { status: fault.status!, body: fault.body, headers: { ...fault.headers, ...reset } };
      }
    }
    return this.answer(method, url, headers, body);
  }

  private async answer(method: string, url: URL, headers: http.IncomingHttpHeaders, body: unknown): Promise<SimResponse> {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1]!)));
      return route.handler({ method, path: url.pathname, params, query: url.searchParams, headers, body });
    }
    return pathMatched
      ? { status: 405, body: { message: `Method ${method} not allowed on ${url.pathname}` } }
      : { status: 404, body: { message: `No such endpoint: ${method} ${url.pathname}` } };
  }

  /** Control endpoints for other processes (the demo, the CLI): log, faults. Not part of any vendor API. */
  private admin(method: string, path: string, body: unknown): SimResponse {
    if (method === "GET" && path === "/requests") return { status: 200, body: this.requests };
    if (method === "DELETE" && path === "/requests") {
      this.clearLog();
      return { status: 204 };
    }
    if (method === "POST" && path === "/faults") {
      for (const f of Array.isArray(body) ? body : [body]) this.injectFault(f as Fault);
      return { status: 204 };
    }
    if (method === "DELETE" && path === "/faults") {
      this.clearFaults();
      return { status: 204 };
    }
    return { status: 404, body: { message: `No such simulator control endpoint: ${method} ${ADMIN_PREFIX}${path}` } };
  }
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** What both platform simulators share: one loopback server, its lifecycle and its request log. */
export abstract class PlatformSimulator {
  readonly server: SimulatorServer;

  constructor(name: string, options: SimulatorOptions) {
    this.server = new SimulatorServer(name, options);
  }

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }
}

/** Mutating calls in a log: what tests assert on ("exactly one DELETE"). */
export function mutatingRequests<T extends Pick<RecordedRequest, "method" | "path">>(log: T[]): T[] {
  // POSTs that only read: Control Room's …/list, logins and tokens, Anypoint's …/search.
  return log.filter((r) => r.method !== "GET" && !/\/(list|login|authentication|token|search)(\/|$)/.test(r.path));
}
