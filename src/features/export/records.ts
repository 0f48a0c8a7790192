// Platform records as they arrive, checked field by field before the export uses them. The API
// types say what a field should hold; a real organization can still send null, nothing, "" or
// another type (seen: a Control Room user whose email is null). Such a user is left out, named,
// with the field and what it held — never a crash that writes nothing. Fields that decide access
// (username, email, roles, licenses, disabled/enabled) must be right, since a guess there would be
// applied by the first up; a missing name or description is only absent (the plan says GUESSED).
import type { AnypointUserRecord } from "../../providers/anypoint/api";
import type { ControlRoomAccount } from "./inventory";
import type { LeftOut } from "./people";

type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a field held, for a reason: `null`, `missing`, `""`, `a number (7)`. */
export function held(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (v === "") return 'an empty string ("")';
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return `a blank string (${JSON.stringify(v)})`;
  return `${typeof v === "object" ? "an object" : `a ${typeof v}`} (${JSON.stringify(v)?.slice(0, 40)})`;
}

/** How a user is named where it is left out: its username when it has a usable one, else its id, else its place in the list. */
export function recordLabel(raw: unknown, index: number): string {
  const r = isRecord(raw) ? raw : {};
  if (typeof r.username === "string" && r.username.trim()) return r.username;
  if ((typeof r.id === "string" && r.id.trim()) || typeof r.id === "number") return `(no username; id ${String(r.id)})`;
  return `(no username; record ${index + 1} of the list)`;
}

const filled = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";
/** A text field that may be absent: null, missing and blank mean absent; another type is refused. */
const optionalText = (v: unknown): string | undefined | false =>
  v === undefined || v === null || (typeof v === "string" && !v.trim()) ? undefined : typeof v === "string" ? v.trim() : false;

/** The first field of `raw` that is not usable, as a reason; undefined when all are. */
function firstProblem(raw: Raw, checks: [field: string, ok: (v: unknown) => boolean, wants: string][]): string | undefined {
  for (const [field, ok, wants] of checks) {
    if (!ok(raw[field])) return `its ${field} is ${held(raw[field])}, not ${wants}; fix the user on the platform and export again`;
  }
  return undefined;
}

const isBool = (v: unknown) => typeof v === "boolean";
const listOf = (item: (v: unknown) => boolean) => (v: unknown) => Array.isArray(v) && v.every(item);
const optional = (v: unknown) => optionalText(v) !== false;

/** The same fields as the export's account (roles and licenses in the platform's order). */
export type CheckedControlRoomUser = ControlRoomAccount;

/** A Control Room user record (POST /v2/usermanagement/users/list), checked; or why it is left out. */
export function checkControlRoomUser(raw: unknown, index: number): CheckedControlRoomUser | LeftOut {
  const leftOut = (reason: string): LeftOut => ({ platform: "Control Room", username: recordLabel(raw, index), reason });
  if (!isRecord(raw)) return leftOut(`the platform listed ${held(raw)} instead of a user`);
  const problem = firstProblem(raw, [
    ["username", filled, "a username"],
    ["email", filled, "an email"],
    ["roles", listOf((r) => isRecord(r) && filled(r.name)), "a list of roles with names"],
    ["licenseFeatures", listOf(filled), "a list of license names"],
    ["disabled", isBool, "true or false"],
    ["firstName", optional, "a name"],
    ["lastName", optional, "a name"],
    ["description", optional, "a text"],
  ]);
  if (problem) return leftOut(problem);
  return {
    username: raw.username as string,
    email: raw.email as string,
    firstName: optionalText(raw.firstName) || undefined,
    lastName: optionalText(raw.lastName) || undefined,
    description: optionalText(raw.description) || undefined,
    roles: (raw.roles as Raw[]).map((r) => r.name as string),
    licenses: (raw.licenseFeatures as string[]).map((l) => l.toUpperCase()),
    disabled: raw.disabled as boolean,
    ...lastLogin(raw.lastLoginTime),
  };
}

export type CheckedAnypointUser = Omit<AnypointUserRecord, "phoneNumber">;

/** An Anypoint user record (GET /accounts/api/organizations/{org}/users), checked; or why it is left out. */
export function checkAnypointUser(raw: unknown, index: number): CheckedAnypointUser | LeftOut {
  const leftOut = (reason: string): LeftOut => ({ platform: "Anypoint", username: recordLabel(raw, index), reason });
  if (!isRecord(raw)) return leftOut(`the platform listed ${held(raw)} instead of a user`);
  const problem = firstProblem(raw, [
    ["id", filled, "an id"],
    ["username", filled, "a username"],
    ["email", filled, "an email"],
    ["enabled", isBool, "true or false"],
    ["firstName", optional, "a name"],
    ["lastName", optional, "a name"],
  ]);
  if (problem) return leftOut(problem);
  return {
    id: raw.id as string,
    username: raw.username as string,
    email: raw.email as string,
    firstName: optionalText(raw.firstName) || "",
    lastName: optionalText(raw.lastName) || "",
    enabled: raw.enabled as boolean,
    ...lastLogin(raw.lastLogin),
  };
}

/**
 * The last sign-in as the platform sent it: a time, or null (never signed in). A platform version
 * without the field, or a value of another type, stays absent: "unknown", never "never".
 */
function lastLogin(v: unknown): { lastLogin?: string | null } {
  return typeof v === "string" || v === null ? { lastLogin: v } : {};
}

export const isLeftOut = (x: object): x is LeftOut => "reason" in x;

/** A role assignment or team record that names its role/team: `{name, org}` / `{id, name}`. */
export const namedIn = (raw: unknown, ...fields: string[]): raw is Raw => isRecord(raw) && fields.every((f) => filled(raw[f]));
