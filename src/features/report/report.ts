// The report's data: the preview's access changes plus what other parts of rollcall know and the
// program exports (adopted people, undeclared platform users, how each removal is carried out,
// guard status). Every extra is optional: a section appears only when its data is there.
import type { PreviewDigest, PreviewStep } from "../../pulumi/engine/pulumi-cli";
import { outsideChanges, type OutsideChange } from "../drift/outside-changes";
import { personChanges, text, type PersonChange, type Platform } from "./changes";

/** Extras the program may export as the stack output `report` (each from the module that knows it). */
export interface ReportExtras {
  /** Person keys or usernames whose `create` adopts an existing platform user. */
  adopted?: string[];
  /** People on a platform that users.yaml does not declare. */
  undeclared?: { platform: Platform; username: string }[];
  /** How each removal is carried out (default: delete). */
  removals?: { person: string; platform: Platform; action: "delete" | "disable" | "unmanage"; businessGroup?: string; username?: string }[];
  /** Safety limits: how much of each this run uses. */
  guards?: { name: string; used: number; limit: number }[];
  /** Protected identities this run would touch. */
  protected?: { person: string; message: string }[];
  /** Roles or teams that nobody would hold after this run. */
  emptyDuties?: string[];
  /**
   * Access whose `expires:` date has come, that this run takes away (src/features/expiry). grant "person" is all of it; "user", a platform
   * user.
   */
  expired?: {
    person: string;
    grant: "person" | "user" | "role" | "license" | "businessGroup";
    platform?: Platform;
    name?: string;
    expires: string;
  }[];
  /** Access that ends within expiringWithinDays days (rollcall:expiryWarningDays): grant in words, date. */
  expiring?: { person: string; grant: string; expires: string }[];
  expiringWithinDays?: number;
}

export interface Drift {
  platform: Platform;
  person: string;
  fields: string[];
}

export interface Report {
  stack?: string;
  changes: PersonChange[];
  /** People who lose a whole platform user (deleted, disabled, unmanaged). */
  removals: { person: string; where: string[] }[];
  /** People who keep their users but lose part of their access: a role, license, team, business group. */
  reductions: { person: string; where: string[] }[];
  warnings: string[];
  errors: string[];
  drift: Drift[];
  undeclared: { platform: Platform; username: string }[];
  /** Access ending soon, by date then person; `within`: the setting's days. */
  expiring: { person: string; grant: string; expires: string }[];
  expiringWithinDays?: number;
  unchanged: number;
}

export const REPORT_OUTPUT = "report";
const STACK_TYPE = "pulumi:pulumi:Stack";
/** A guard this close to its limit (fraction used) is worth a warning before it fails. */
const NEAR_LIMIT = 0.8;

export function buildReport(digest: PreviewDigest, opts: { stack?: string; extras?: ReportExtras } = {}): Report {
  const extras = { ...stackExtras(digest), ...opts.extras };
  const changes = personChanges(digest, { adopted: new Set(extras.adopted ?? []) });
  const expired = expiredAccess(extras.expired ?? []);
  const removals = removedUsers(changes, extras.removals ?? [], expired.on);
  const reductions = reducedAccess(changes, expired.grants);
  const warnings: string[] = [];
  for (const g of extras.guards ?? []) {
    if (g.used > g.limit) warnings.push(`guard ${g.name}: ${g.used} of at most ${g.limit} — over the limit, the run stops`);
    else if (g.limit > 0 && g.used / g.limit >= NEAR_LIMIT)
      warnings.push(`guard ${g.name}: ${g.used} of at most ${g.limit} — near the limit`);
  }
  for (const p of extras.protected ?? []) warnings.push(`protected identity ${p.person}: ${p.message}`);
  for (const d of extras.emptyDuties ?? []) warnings.push(`${d} would be left with nobody`);
  for (const d of digest.diagnostics ?? []) if (d.severity === "warning") warnings.push(clean(d.message));
  const steps = digest.steps ?? [];
  return {
    ...(opts.stack ? { stack: opts.stack } : {}),
    changes,
    removals,
    reductions,
    warnings: [...new Set(warnings)],
    errors: [...new Set((digest.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => clean(d.message)))],
    drift: outsideChanges(digest).map(toDrift),
    undeclared: [...(extras.undeclared ?? [])].sort((a, b) => a.platform.localeCompare(b.platform) || a.username.localeCompare(b.username)),
    expiring: [...(extras.expiring ?? [])].sort(
      (a, b) => a.expires.localeCompare(b.expires) || a.person.localeCompare(b.person) || a.grant.localeCompare(b.grant),
    ),
    ...(extras.expiringWithinDays !== undefined ? { expiringWithinDays: extras.expiringWithinDays } : {}),
    // The JSON lists only some unchanged resources; its changeSummary counts them all (with the stack itself).
    unchanged:
      digest.changeSummary?.same !== undefined
        ? Math.max(0, digest.changeSummary.same - 1)
        : steps.filter((s) => s.op === "same" && (s.newState?.type ?? "") !== STACK_TYPE).length,
  };
}

type Removal = NonNullable<ReportExtras["removals"]>[number];

function removedUsers(changes: PersonChange[], offboarding: Removal[], expiredOn: ExpiredOn): Report["removals"] {
  const removalAction = new Map(offboarding.map((r) => [`${r.platform}|${r.person}|${r.businessGroup ?? ""}`, r.action]));
  const where = new Map<string, string[]>();
  const add = (person: string, place: string) => where.set(person, [...(where.get(person) ?? []), place]);
  // Expired access is its own kind of removal: "(disable; expired 2027-03-31)".
  const place = (text: string, action: string, expires: string | undefined) => {
    const notes = [action !== "delete" && action, expires && `expired ${expires}`].filter(Boolean);
    return notes.length ? `${text} (${notes.join("; ")})` : text;
  };
  for (const c of changes.filter((c) => c.op === "removed" && !c.businessGroup)) {
    const action = removalAction.get(`${c.platform}|${c.person}|`) ?? "delete";
    add(c.person, place(`${c.platform} user \`${c.username}\``, action, expiredOn(c.person, c.platform)));
  }
  // A soft offboarding is an update to the engine (the user stays, disabled), yet the person loses access.
  for (const r of offboarding) {
    if (r.action !== "disable" || changes.some((c) => c.op === "removed" && c.person === r.person && c.platform === r.platform)) continue;
    add(r.person, place(`${r.platform} user${r.username ? ` \`${r.username}\`` : ""}`, "disable", expiredOn(r.person, r.platform)));
  }
  // users.yaml disabling a user (not an offboarding) takes away all of its access too.
  for (const c of changes.filter((c) => c.op === "changed" && !c.businessGroup)) {
    const off = c.fields.some((f) => (f.field === "disabled" && f.after === "true") || (f.field === "enabled" && f.after === "false"));
    if (off && !(where.get(c.person) ?? []).some((p) => p.startsWith(`${c.platform} user`)))
      add(c.person, `${c.platform} user \`${c.username}\` (disable)`);
  }
  return [...where].map(([person, places]) => ({ person, where: places })).sort((a, b) => a.person.localeCompare(b.person));
}

/** What each person who keeps a user loses, as set changes: "Control Room −AAE_Bot Developer", "Anypoint Sales: A → B". */
function reducedAccess(changes: PersonChange[], expiredGrants: ExpiredGrant[]): Report["reductions"] {
  const goneUsers = new Set(changes.filter((c) => c.op === "removed" && !c.businessGroup).map((c) => `${c.platform}|${c.person}`));
  const where = new Map<string, string[]>();
  for (const c of changes) {
    if (goneUsers.has(`${c.platform}|${c.person}`)) continue;
    const lost = lostAccess(c);
    if (!lost) continue;
    where.set(c.person, [...(where.get(c.person) ?? []), lost]);
  }
  // Why a role, license or business group went: it expired ("Control Room −Bot Runner (expired 2027-03-31)").
  for (const e of expiredGrants) {
    const lines = where.get(e.person) ?? [];
    const i = lines.findIndex((l) => l.startsWith(`${e.platform} `) && l.includes(e.mark));
    if (i >= 0)
      lines[i] = lines[i]!.replace(
        e.mark,
        e.mark.endsWith(":") ? `${e.mark.slice(0, -1)} (expired ${e.expires}):` : `${e.mark} (expired ${e.expires})`,
      );
    else lines.push(`${e.platform} ${e.what} (expired ${e.expires})`);
    where.set(e.person, lines);
  }
  return [...where].map(([person, places]) => ({ person, where: places })).sort((a, b) => a.person.localeCompare(b.person));
}

type ExpiredOn = (person: string, platform: Platform) => string | undefined;
/** A grant that ended inside a kept user: `mark` is how lostAccess names it ("−Bot Runner", "Sales:"). */
interface ExpiredGrant {
  person: string;
  platform: Platform;
  mark: string;
  what: string;
  expires: string;
}

/** Expired access from the program: the date a whole user ended, and the grants that ended inside a user. */
function expiredAccess(expired: NonNullable<ReportExtras["expired"]>): { on: ExpiredOn; grants: ExpiredGrant[] } {
  const on: ExpiredOn = (person, platform) =>
    expired.find((e) => e.person === person && (e.grant === "person" || (e.grant === "user" && e.platform === platform)))?.expires;
  const grants = expired
    .filter((e) => e.grant === "role" || e.grant === "license" || e.grant === "businessGroup")
    .map((e) => ({
      person: e.person,
      platform: e.platform!,
      mark: e.grant === "businessGroup" ? `${e.name}:` : `−${e.name}`,
      what: `${e.grant === "businessGroup" ? "business group" : e.grant} ${e.name}`,
      expires: e.expires,
    }));
  return { on, grants };
}

/** The part of one change that takes access away, or undefined when it takes none. */
export function lostAccess(c: PersonChange): string | undefined {
  if (c.op !== "changed" && !(c.op === "removed" && c.businessGroup)) return undefined;
  const parts: string[] = [];
  for (const f of c.fields) {
    if (!f.lost?.length) continue;
    // A role swapped for another in the same place is a downgrade (or a move) a reviewer reads as A → B.
    if (f.field === "roles" && f.gained?.length) parts.push(`${f.lost.join(", ")} → ${f.gained.join(", ")}`);
    else parts.push(...f.lost.map((x) => `−${f.field === "teams" ? "team " : ""}${x}`));
  }
  if (c.op === "removed")
    return `${c.platform} ${c.businessGroup}: ${parts.length ? `${parts.join(", ")} ` : ""}(leaves the business group)`;
  if (!parts.length) return undefined;
  return c.businessGroup ? `${c.platform} ${c.businessGroup}: ${parts.join(", ")}` : `${c.platform} ${parts.join(", ")}`;
}

/** The `report` stack output of the preview, when the program exports one. */
function stackExtras(digest: PreviewDigest): ReportExtras {
  // This run's extras come from the program's data file (src/features/report/program-data.ts, passed as
  // opts.extras): engine v3.259.0 leaves a new Stack step out of `pulumi preview --json`, and the
  // Stack step it does show on later runs carries the outputs of the LAST deployment, not this preview's.
  const stack = (digest.steps ?? []).find((s) => (s.newState?.type ?? s.oldState?.type) === STACK_TYPE);
  const value = stack?.newState?.outputs?.[REPORT_OUTPUT];
  return value && typeof value === "object" ? (value as ReportExtras) : {};
}

/**
 * With --refresh, what someone changed on the platform outside rollcall. The refresh steps of
 * engine v3.259.0 carry no refreshed values; src/features/drift/outside-changes.ts reads them off the plan.
 */
function toDrift(change: OutsideChange): Drift {
  const fields =
    change.kind === "deleted"
      ? ["deleted outside rollcall"]
      : change.fields.map((f) => (f.field === "licenseFeatures" ? "licenses" : f.field));
  return { platform: change.platform as Platform, person: change.name, fields };
}

/** Diagnostics without the engine's prefixes or credentials-bearing URLs' query strings. */
function clean(message: string): string {
  return message
    .trim()
    .replace(/^(warning|error): /, "")
    .replace(/(https?:\/\/[^\s?]+)\?\S*/g, "$1");
}
