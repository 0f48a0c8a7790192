// The one HTTP client every platform client uses: JSON over undici with keep-alive, bounded retries
// for rate limits and transient failures, and errors that name the platform and the exact call.
import { Agent, request, type Dispatcher } from "undici";

export interface HttpCall {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path relative to the base URL, with query string if any. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses the caller handles itself (e.g. 404 on delete); others than 2xx throw HttpError. */
  accept?: number[];
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpClientOptions {
  /** Human name for messages: "Control Room", "Anypoint". */
  platform: string;
  baseUrl: string;
  /** Retries after a 429, 502, 503, 504 or a connection failure (default 4). */
  retries?: number;
  /** Upper bound for one wait between retries, in ms (default 10 s). */
  maxRetryDelayMs?: number;
  timeoutMs?: number;
  /** Connections kept per origin (default 8, matching Pulumi's default parallelism on 2 cores). */
  connections?: number;
  /** Test hook: called before each retry wait. */
  onRetry?: (info: { call: string; status: number | string; attempt: number; delayMs: number }) => void;
}

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

const RETRYABLE = new Set([429, 502, 503, 504]);

export class HttpClient {
  private readonly dispatcher: Dispatcher;
  readonly baseUrl: string;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.dispatcher = new Agent({
      connections: options.connections ?? 8,
      keepAliveTimeout: 4_000,
      headersTimeout: options.timeoutMs ?? 60_000,
      bodyTimeout: options.timeoutMs ?? 60_000,
    });
  }

  get platform(): string {
    return this.options.platform;
  }

  async call<T = unknown>(call: HttpCall): Promise<HttpResult<T>> {
    const url = this.baseUrl + call.path;
    const retries = this.options.retries ?? 4;
    const idempotent = call.method !== "POST";
    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      let body: unknown;
      let headers: HttpResult["headers"] = {};
      try {
        const res = await request(url, {
          method: call.method,
          dispatcher: this.dispatcher,
          headers: {
            accept: "application/json",
            ...(call.body === undefined ? {} : { "content-type": "application/json" }),
            ...call.headers,
          },
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
        });
        status = res.statusCode;
        headers = res.headers;
        const text = await res.body.text();
        body = parseBody(text, String(headers["content-type"] ?? ""));
      } catch (err) {
        // Connection-level failure: retry idempotent calls only, never a POST that may have landed.
        if (idempotent && attempt < retries) {
          await this.wait(call, (err as Error).message, attempt, undefined);
          continue;
        }
        throw new HttpError(
          this.platform,
          call.method,
          url,
          undefined,
          undefined,
          `${(err as Error).message}. Check that ${this.baseUrl} is reachable from this machine.`,
        );
      }
      if (status >= 200 && status < 300) return { status, body: body as T, headers };
      if (call.accept?.includes(status)) return { status, body: body as T, headers };
      if (RETRYABLE.has(status) && attempt < retries) {
        await this.wait(call, status, attempt, headers);
        continue;
      }
      throw new HttpError(this.platform, call.method, url, status, body, hintFor(status, this.platform, attempt));
    }
  }

  private async wait(call: HttpCall, status: number | string, attempt: number, headers: HttpResult["headers"] | undefined) {
    const delayMs = Math.min(retryDelayMs(headers, attempt), this.options.maxRetryDelayMs ?? 10_000);
    this.options.onRetry?.({ call: `${call.method} ${call.path}`, status, attempt: attempt + 1, delayMs });
    await new Promise((r) => setTimeout(r, delayMs));
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

/**
 * Honour Retry-After (seconds) or X-RateLimit-Reset — seconds until the reset, or the reset time in
 * UTC epoch seconds as Anypoint sends it — else exponential backoff with jitter.
 */
export function retryDelayMs(headers: HttpResult["headers"] | undefined, attempt: number, now = Date.now()): number {
  const header = (name: string) => (headers?.[name] === undefined ? NaN : Number(headers[name]));
  const retryAfter = header("retry-after");
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = header("x-ratelimit-reset");
  if (Number.isFinite(reset) && reset >= 1e9) return Math.max(0, reset * 1000 - now);
  if (Number.isFinite(reset) && reset >= 0 && reset < 3600) return reset * 1000;
  const base = 200 * 2 ** attempt;
  return base + Math.floor(Math.random() * base * 0.25);
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

function hintFor(status: number, platform: string, attempts: number): string {
  switch (status) {
    case 400:
      return "The platform rejected the request; the message above says which field.";
    case 401:
      return `Check the ${platform} credentials in the stack config (see README, "Running against the real platforms").`;
    case 403:
      return `The ${platform} account rollcall uses lacks a permission this call needs; grant it (see README) and run again.`;
    case 404:
      return "The object does not exist (any more) on the platform; run `pulumi refresh` if it was removed outside rollcall.";
    case 409:
      return "It conflicts with an existing object on the platform.";
    case 429:
    case 503:
      return `Still rate-limited or unavailable after ${attempts + 1} attempts; run again later or lower the parallelism (pulumi up --parallel 2).`;
    default:
      return status >= 500 ? `${platform} had a server error; run again, and contact its support if it persists.` : "";
  }
}
