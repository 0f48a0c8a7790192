// The one HTTP client every platform client uses: JSON over undici with keep-alive, a timeout on
// every request, and errors that name the platform and the exact call. Retries and the request
// budget are undici's own dispatch chain: `new Agent(...).compose(budget, retry)` — the process-wide
// budget of the platform (budget.ts) as the inner interceptor, so each attempt takes a slot, and
// undici's retry interceptor (RetryHandler) outside it with the one retry rule (retry.ts) as its
// `retry` function.
import { Agent, interceptors, type Dispatcher } from "undici";
import { SLOT_OPTIONS, budgetInterceptor, sharedBudget, type BudgetSettings, type RequestBudget, type SlotOptions } from "./budget";
import { DEFAULT_RETRY, RETRY_CONTEXT, retryRule, type RetryCallContext, type RetryHook, type RetryPolicy } from "./retry";

export { retryDelayMs } from "./retry";

export interface HttpCall {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path relative to the base URL, with query string if any. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses the caller handles itself (e.g. 404 on delete); others than 2xx throw HttpError. */
  accept?: number[];
  /** Safe to repeat after a connection failure or timeout (default: every method but POST; list and login POSTs say true). */
  idempotent?: boolean;
  /** A list or search rather than one object: a 404 then means a wrong path or organization, not a removed object. */
  list?: boolean;
  /**
   * A check of what rollcall's own credentials may do (preflight): a 404 then means the login or app was not found, not a removed object.
   */
  probe?: boolean;
  /** Headers computed when each attempt holds its budget slot (a session token), not before it queues. */
  authorize?: SlotOptions["authorize"];
  /** Go ahead of queued calls (a session renewal they wait on). */
  urgent?: boolean;
  /** Told each attempt's status before the next queued call may start. */
  onStatus?: SlotOptions["onStatus"];
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** Per-platform HTTP settings (src/core/config.ts reads them; docs/configuration.md). */
export interface HttpSettings {
  /** Calls in flight at once, per platform per process. */
  maxConcurrent: number;
  /** Calls started per second, per platform per process (token bucket). */
  requestsPerSecond: number;
  /** Keep retrying rate limits and transient failures this long. */
  retryForMs: number;
  /** Longest wait for a response (headers, then between body chunks) before the attempt counts as failed. */
  timeoutMs: number;
}

export interface HttpClientOptions {
  /** Human name for messages: "Control Room", "Anypoint". */
  platform: string;
  baseUrl: string;
  settings?: Partial<HttpSettings>;
  /** Overrides of the retry rule (tests: attempt caps, tiny delays). */
  retry?: Partial<RetryPolicy>;
  /** A budget of the test's own instead of the process-wide one of this platform. */
  budget?: RequestBudget;
  /** Test hook: called before each retry wait. */
  onRetry?: RetryHook;
}

export const DEFAULT_HTTP_SETTINGS: HttpSettings = {
  maxConcurrent: 8,
  requestsPerSecond: 20,
  retryForMs: DEFAULT_RETRY.retryForMs,
  timeoutMs: 30_000,
};

/** An HTTP call that failed: says which platform, which call, what came back and what to do. */
export class HttpError extends Error {
  constructor(
    readonly platform: string,
    readonly method: string,
    readonly url: string,
    readonly status: number | undefined,
    readonly responseBody: unknown,
    hint: string,
  ) {
    const detail = status === undefined ? "no response" : `HTTP ${status}${describeBody(responseBody)}`;
    super(`${platform}: ${method} ${url} failed: ${detail.replace(/[.\s]+$/, "")}.${hint ? ` ${hint}` : ""}`);
    this.name = "HttpError";
  }
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly dispatcher: Dispatcher;
  private readonly settings: HttpSettings;
  readonly baseUrl: string;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.settings = { ...DEFAULT_HTTP_SETTINGS, ...options.settings };
    const policy: RetryPolicy = { ...DEFAULT_RETRY, retryForMs: this.settings.retryForMs, ...options.retry };
    const budget: BudgetSettings = { maxConcurrent: this.settings.maxConcurrent, requestsPerSecond: this.settings.requestsPerSecond };
    this.agent = new Agent({
      // The budget limits calls in flight; a response the retry handler holds while it waits keeps its socket, so allow some more.
      connections: this.settings.maxConcurrent * 2,
      keepAliveTimeout: 4_000,
      headersTimeout: this.settings.timeoutMs,
      bodyTimeout: this.settings.timeoutMs,
      connectTimeout: this.settings.timeoutMs,
    });
    this.dispatcher = this.agent.compose(
      budgetInterceptor(options.budget ?? sharedBudget(options.platform, this.baseUrl, budget)),
      interceptors.retry({ throwOnError: false, retry: retryRule(policy, options.onRetry) }),
    );
  }

  get platform(): string {
    return this.options.platform;
  }

  async call<T = unknown>(call: HttpCall): Promise<HttpResult<T>> {
    const url = this.baseUrl + call.path;
    const idempotent = call.idempotent ?? call.method !== "POST";
    const ctx: RetryCallContext = {
      label: `${call.method} ${call.path}`,
      idempotent,
      accept: call.accept ?? [],
      startedAt: Date.now(),
      failures: 0,
    };
    const attempts = () => Math.max(1, ctx.failures);
    let outcome: HttpResult;
    try {
      outcome = await this.send(url, call, ctx);
    } catch (err) {
      // Connection failure or timeout the rule gave up on: it repeated only what is safe to repeat; a POST may have landed.
      if (err instanceof HttpError) throw err;
      const error = err as Error;
      const what = idempotent
        ? `gave up after ${attempts()} attempts over ${Math.round((Date.now() - ctx.startedAt) / 1000)} s`
        : "not repeated, since the call may have been applied";
      throw new HttpError(
        this.platform,
        call.method,
        url,
        undefined,
        undefined,
        `${error.message} (${what}). Check that ${this.baseUrl} is reachable from this machine, then run again: rollcall's ` +
          `creates adopt what a lost answer left behind.`,
      );
    }
    const { status, headers, body } = outcome;
    if (status >= 200 && status < 300) return { status, body: body as T, headers };
    if (call.accept?.includes(status)) return { status, body: body as T, headers };
    throw new HttpError(
      this.platform,
      call.method,
      url,
      status,
      body,
      hintFor(status, this.platform, call, attempts(), Date.now() - ctx.startedAt, headers),
    );
  }

  private async send(url: string, call: HttpCall, ctx: RetryCallContext): Promise<HttpResult> {
    const { origin } = new URL(url);
    const res = await this.dispatcher.request({
      origin,
      path: url.slice(origin.length),
      method: call.method,
      headers: {
        accept: "application/json",
        ...(call.body === undefined ? {} : { "content-type": "application/json" }),
        ...call.headers,
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      // Read by the retry rule (retry.ts): the call's idempotence, accepted statuses and start.
      [RETRY_CONTEXT]: ctx,
      [SLOT_OPTIONS]: { urgent: call.urgent, authorize: call.authorize, onStatus: call.onStatus } satisfies SlotOptions,
    } as Dispatcher.RequestOptions);
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: parseBody(text, String(res.headers["content-type"] ?? "")) };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function parseBody(text: string, contentType: string): unknown {
  if (!text) return undefined;
  if (contentType.includes("json") || /^[[{]/.test(text.trimStart())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function describeBody(body: unknown): string {
  if (body === undefined || body === "") return " (empty body)";
  if (typeof body === "string") return `: ${body.slice(0, 200)}`;
  const b = body as Record<string, unknown>;
  const parts = [b.code, b.message, b.details].filter((x) => typeof x === "string" && x);
  return parts.length ? `: ${parts.join(" — ")}` : `: ${JSON.stringify(body).slice(0, 200)}`;
}

function hintFor(
  status: number,
  platform: string,
  call: HttpCall,
  attempts: number,
  elapsedMs: number,
  headers: HttpResult["headers"],
): string {
  switch (status) {
    case 400:
      return "The platform rejected the request; the message above says which field.";
    case 401:
      return `Check the ${platform} credentials in the stack config (docs/configuration.md lists them).`;
    case 403:
      return (
        `The ${platform} account rollcall uses lacks a permission this call needs; grant it (docs/safety.md, "Least privilege", ` +
        `lists what each identity needs) and run again.`
      );
    case 404:
      // Only a single object can have been removed outside rollcall; a list answering 404 means a wrong URL or organization.
      if (call.probe)
        return (
          `This call checks what rollcall's own ${platform} login may do, and the platform did not find that login or app here: ` +
          `check the ${platform} URL, organization and credentials in the stack config (pulumi refresh cannot help).`
        );
      return call.list
        ? `The list itself was not found: check the ${platform} URL and organization in the stack config.`
        : "The object does not exist (any more) on the platform; run `pulumi refresh` if it was removed outside rollcall.";
    case 409:
      return "It conflicts with an existing object on the platform.";
    case 429:
    case 502:
    case 503:
    case 504: {
      const limit = headers["x-ratelimit-limit"];
      return (
        `Still rate-limited or unavailable after ${attempts} attempts over ${Math.round(elapsedMs / 1000)} s` +
        `${limit ? ` (limit ${String(limit)} requests per window)` : ""}; run again later, or lower the request budget ` +
        `(docs/configuration.md: rollcall:<platform>RequestsPerSecond).`
      );
    }
    default:
      return status >= 500 ? `${platform} had a server error; run again, and contact its support if it persists.` : "";
  }
}
