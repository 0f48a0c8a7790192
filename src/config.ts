// Every setting rollcall reads, in one place: stack config first (`pulumi config set [--secret]
// rollcall:<key>`), then the environment (for CI and the simulators of the demo and tests).
// Config wins so that a stray environment variable can never redirect a configured stack.
export type ConfigGetter = (key: string) => string | undefined;

export interface ControlRoomSettings {
  url: string;
  username: string;
  password?: string;
  apiKey?: string;
  apiVersion: "v1" | "v2";
}

/** A missing or invalid setting: the message names the key and how to set it. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Setting name → environment fallback. README "Configuration" documents each. */
export const CONTROL_ROOM_KEYS = {
  controlRoomUrl: "ROLLCALL_CONTROLROOM_URL",
  controlRoomUsername: "ROLLCALL_CONTROLROOM_USERNAME",
  controlRoomPassword: "ROLLCALL_CONTROLROOM_PASSWORD",
  controlRoomApiKey: "ROLLCALL_CONTROLROOM_API_KEY",
  controlRoomApiVersion: "ROLLCALL_CONTROLROOM_API_VERSION",
} as const;

export const GENERAL_KEYS = {
  usersFile: "ROLLCALL_USERS_FILE",
} as const;



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
    throw new SettingsError(`Control Room: missing setting ${missing.join(", ")}. Set them with \`pulumi config set [--secret] <key> <value>\` (secrets with --secret), or the environment variables listed in the README.`);
  }
  const apiVersion = read("controlRoomApiVersion") ?? "v2";
  if (apiVersion !== "v1" && apiVersion !== "v2") throw new SettingsError(`Control Room: rollcall:controlRoomApiVersion must be v1 or v2, not '${apiVersion}'.`);
  return { url: url!, username: username!, password, apiKey, apiVersion };
}
