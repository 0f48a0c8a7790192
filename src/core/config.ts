// Every setting rollcall reads, in one place: stack config first (`pulumi config set [--secret]
// rollcall:<key>`), then the environment (for CI and the simulators of the demo and tests).
// Config wins so that a stray environment variable can never redirect a configured stack.
import type { HttpSettings } from "./http/client";

export type ConfigGetter = (key: string) => string | undefined;

export interface ControlRoomSettings {
  url: string;
  username: string;
  password?: string;
  apiKey?: string;
  apiVersion: "v1" | "v2";
  http: HttpSettings;
}

/** A missing or invalid setting: the message names the key and how to set it. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Setting name → environment fallback. docs/configuration.md documents each. */
export const CONTROL_ROOM_KEYS = {
  controlRoomUrl: "ROLLCALL_CONTROLROOM_URL",
  controlRoomUsername: "ROLLCALL_CONTROLROOM_USERNAME",
  controlRoomPassword: "ROLLCALL_CONTROLROOM_PASSWORD",
  controlRoomApiKey: "ROLLCALL_CONTROLROOM_API_KEY",
  controlRoomApiVersion: "ROLLCALL_CONTROLROOM_API_VERSION",
} as const;

export const GENERAL_KEYS = {
  usersFile: "ROLLCALL_USERS_FILE",
  /** The one-run override of the removal limits (src/features/safety/rails.ts). */
  maxRemovals: "ROLLCALL_MAX_REMOVALS",
  /** warn (default) or fail: people on a platform who are not in users.yaml. */
  undeclaredMembers: "ROLLCALL_UNDECLARED_MEMBERS",
} as const;

/**
 * The request budget and retry window per platform, per process. Anypoint documents limits per
 * endpoint and per one-minute window (500 logins a minute in the one published capture); 8 calls a
 * second (480 a minute) stays under such a limit. Control Room publishes none.
 */
export const ANYPOINT_HTTP_DEFAULTS: HttpSettings = { maxConcurrent: 8, requestsPerSecond: 8, retryForMs: 120_000, timeoutMs: 30_000 };
export const CONTROL_ROOM_HTTP_DEFAULTS: HttpSettings = { maxConcurrent: 8, requestsPerSecond: 20, retryForMs: 120_000, timeoutMs: 30_000 };

/** `<platform>MaxConcurrency`, `<platform>RequestsPerSecond`, `<platform>RetryForSeconds`, `<platform>TimeoutSeconds`. */
export function httpKeys(
  platform: "controlRoom" | "anypoint",
): Record<"maxConcurrency" | "requestsPerSecond" | "retryForSeconds" | "timeoutSeconds", [key: string, env: string]> {
  const env = platform === "controlRoom" ? "ROLLCALL_CONTROLROOM" : "ROLLCALL_ANYPOINT";
  return {
    maxConcurrency: [`${platform}MaxConcurrency`, `${env}_MAX_CONCURRENCY`],
    requestsPerSecond: [`${platform}RequestsPerSecond`, `${env}_REQUESTS_PER_SECOND`],
    retryForSeconds: [`${platform}RetryForSeconds`, `${env}_RETRY_FOR_SECONDS`],
    timeoutSeconds: [`${platform}TimeoutSeconds`, `${env}_TIMEOUT_SECONDS`],
  };
}

export function readHttpSettings(
  get: ConfigGetter,
  platform: "controlRoom" | "anypoint",
  defaults: HttpSettings,
  env: NodeJS.ProcessEnv = process.env,
): HttpSettings {
  const keys = httpKeys(platform);
  const num = (name: keyof typeof keys, fallback: number, min: number, whole = false): number => {
    const [key, envName] = keys[name];
    const raw = setting(get, key, envName, env);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || (whole && !Number.isInteger(n)))
      throw new SettingsError(`rollcall:${key} must be a ${whole ? "whole " : ""}number of at least ${min}, not '${raw}'.`);
    return n;
  };
  return {
    maxConcurrent: num("maxConcurrency", defaults.maxConcurrent, 1, true),
    requestsPerSecond: num("requestsPerSecond", defaults.requestsPerSecond, 0.1),
    retryForMs: num("retryForSeconds", defaults.retryForMs / 1000, 0) * 1000,
    timeoutMs: num("timeoutSeconds", defaults.timeoutMs / 1000, 0.05) * 1000,
  };
}

export function setting(get: ConfigGetter, key: string, envName: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromConfig = get(`rollcall:${key}`);
  if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
  const fromEnv = env[envName];
  return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
}

/** Control Room connection settings, or a precise error naming the missing keys. */
export function readControlRoomSettings(get: ConfigGetter, env: NodeJS.ProcessEnv = process.env): ControlRoomSettings {
  const read = (k: keyof typeof CONTROL_ROOM_KEYS) => setting(get, k, CONTROL_ROOM_KEYS[k], env);
  const url = read("controlRoomUrl");
  const username = read("controlRoomUsername");
  const password = read("controlRoomPassword");
  const apiKey = read("controlRoomApiKey");
  const missing = [
    !url && "rollcall:controlRoomUrl",
    !username && "rollcall:controlRoomUsername",
    !password && !apiKey && "rollcall:controlRoomApiKey (or rollcall:controlRoomPassword)",
  ].filter(Boolean);
  if (missing.length) {
    throw new SettingsError(
      `Control Room: missing setting ${missing.join(", ")}. Set them with \`pulumi config set [--secret] <key> <value>\` ` +
        `(secrets with --secret), or the environment variables listed in docs/configuration.md.`,
    );
  }
  const apiVersion = read("controlRoomApiVersion") ?? "v2";
  if (apiVersion !== "v1" && apiVersion !== "v2")
    throw new SettingsError(`Control Room: rollcall:controlRoomApiVersion must be v1 or v2, not '${apiVersion}'.`);
  return {
    url: url!,
    username: username!,
    password,
    apiKey,
    apiVersion,
    http: readHttpSettings(get, "controlRoom", CONTROL_ROOM_HTTP_DEFAULTS, env),
  };
}

export interface AnypointSettings {
  /** Base URL of the control plane (https://anypoint.mulesoft.com, …) or of the simulator. */
  url: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  /** Master-org deletions per bulk DELETE call. */
  bulkDeleteSize: number;
  /**
   * How new people join: created with an Anypoint identity, or invited by email (orgs that sign in through an external identity provider).
   */
  onboarding: "create" | "invite";
  /** Role assignments read by the page (POST /roles/users/search, checked against a sample of per-person reads), or one read per person. */
  roleSearch: boolean;
  http: HttpSettings;
}

export const ANYPOINT_KEYS = {
  anypointUrl: "ROLLCALL_ANYPOINT_URL",
  anypointClientId: "ROLLCALL_ANYPOINT_CLIENT_ID",
  anypointClientSecret: "ROLLCALL_ANYPOINT_CLIENT_SECRET",
  anypointUsername: "ROLLCALL_ANYPOINT_USERNAME",
  anypointPassword: "ROLLCALL_ANYPOINT_PASSWORD",
  anypointBulkDeleteSize: "ROLLCALL_ANYPOINT_BULK_DELETE_SIZE",
  anypointOnboarding: "ROLLCALL_ANYPOINT_ONBOARDING",
  anypointRoleSearch: "ROLLCALL_ANYPOINT_ROLE_SEARCH",
} as const;

/** Control planes by name; any other value of rollcall:anypointUrl is used as the base URL. */
export const ANYPOINT_CONTROL_PLANES: Record<string, string> = {
  us: "https://anypoint.mulesoft.com",
  eu: "https://eu1.anypoint.mulesoft.com",
  gov: "https://gov.anypoint.mulesoft.com",
};

export function readAnypointSettings(get: ConfigGetter, env: NodeJS.ProcessEnv = process.env): AnypointSettings {
  const read = (k: keyof typeof ANYPOINT_KEYS) => setting(get, k, ANYPOINT_KEYS[k], env);
  const plane = read("anypointUrl") ?? "us";
  const url = ANYPOINT_CONTROL_PLANES[plane] ?? plane;
  const clientId = read("anypointClientId");
  const clientSecret = read("anypointClientSecret");
  const username = read("anypointUsername");
  const password = read("anypointPassword");
  if (!(clientId && clientSecret) && !(username && password)) {
    throw new SettingsError(
      "Anypoint: missing credentials. Set a connected app (rollcall:anypointClientId and, with --secret, " +
        "rollcall:anypointClientSecret) or a user (rollcall:anypointUsername and, with --secret, rollcall:anypointPassword) with " +
        "`pulumi config set`, or the environment variables listed in docs/configuration.md.",
    );
  }
  const bulkDeleteSize = Number(read("anypointBulkDeleteSize") ?? 100);
  if (!Number.isInteger(bulkDeleteSize) || bulkDeleteSize < 1 || bulkDeleteSize > 500)
    throw new SettingsError(
      `Anypoint: rollcall:anypointBulkDeleteSize must be a whole number from 1 to 500, not '${read("anypointBulkDeleteSize")}'.`,
    );
  const onboarding = read("anypointOnboarding") ?? "create";
  if (onboarding !== "create" && onboarding !== "invite")
    throw new SettingsError(`Anypoint: rollcall:anypointOnboarding must be create or invite, not '${onboarding}'.`);
  const roleSearch = read("anypointRoleSearch") ?? "on";
  if (roleSearch !== "on" && roleSearch !== "off")
    throw new SettingsError(`Anypoint: rollcall:anypointRoleSearch must be on or off, not '${roleSearch}'.`);
  return {
    url,
    clientId,
    clientSecret,
    username,
    password,
    bulkDeleteSize,
    onboarding,
    roleSearch: roleSearch === "on",
    http: readHttpSettings(get, "anypoint", ANYPOINT_HTTP_DEFAULTS, env),
  };
}
