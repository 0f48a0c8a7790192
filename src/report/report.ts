// The report's data: the preview's access changes plus what other parts of rollcall know and the
// program exports (adopted people, undeclared platform users, how each removal is carried out,
// guard status). Every extra is optional: a section appears only when its data is there.
import type { PreviewDigest, PreviewStep } from "../engine/pulumi-cli";
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
  /** Access whose `expires:` date has come, that this run takes away (src/expiry). grant "person" is all of it; "user", a platform user. */
  expired?: { person: string; grant: "person" | "user" | "role" | "license" | "businessGroup"; platform?: Platform; name?: string; expires: string }[];
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
  removals: { person: string; where: string[] }[];
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
/** Prefix of the info diagnostic that carries the same ReportExtras in `pulumi preview --json`. */
export const REPORT_LINE = "rollcall:report ";
const STACK_TYPE = "pulumi:pulumi:Stack";
/** A guard this close to its limit (fraction used) is worth a warning before it fails. */
const NEAR_LIMIT = 0.8;

export function buildReport(digest: PreviewDigest, opts: { stack?: string; extras?: ReportExtras } = {}): Report {
  const extras = { ...stackExtras(digest), ...opts.extras };
  const changes = personChanges(digest, { adopted: new Set(extras.adopted ?? []) });
  const removalAction = new Map((extras.removals ?? []).map((r) => [`${r.platform}|${r.person}|${r.businessGroup ?? ""}`, r.action]));
  const where = new Map<string, string[]>();
  // Expired access is its own kind of removal: "(disable; expired 2027-03-31)".
  const expiredOn = (person: string, platform: Platform, group?: string) =>
    (extras.expired ?? []).find((e) => e.person === person && (e.grant === "person" || (e.platform === platform && (group === undefined ? e.grant === "user" : e.grant === "businessGroup" && e.name === group))))?.expires;
  const place = (text: string, action: string, expires: string | undefined) => {
    const notes = [action !== "delete" && action, expires && `expired ${expires}`].filter(Boolean);
    return notes.length ? `${text} (${notes.join("; ")})` : text;
  };
  for (const c of changes.filter((c) => c.op === "removed")) {
    const action = removalAction.get(`${c.platform}|${c.person}|${c.businessGroup ?? ""}`) ?? "delete";
    const text = c.businessGroup ? `${c.platform} business group ${c.businessGroup}` : `${c.platform} user \`${c.username}\``;
    where.set(c.person, [...(where.get(c.person) ?? []), place(text, action, expiredOn(c.person, c.platform, c.businessGroup))]);
  }
  // A soft offboarding is an update to the engine (the user stays, disabled), yet the person loses access.
  for (const r of extras.removals ?? []) {
    if (r.action !== "disable" || changes.some((c) => c.op === "removed" && c.person === r.person && c.platform === r.platform)) continue;
    where.set(r.person, [...(where.get(r.person) ?? []), place(`${r.platform} user${r.username ? ` \`${r.username}\`` : ""}`, "disable", expiredOn(r.person, r.platform))]);
  }
  // A role or license that ended is an update to the engine (the user stays), yet access is taken away.
  for (const e of extras.expired ?? []) {
    if (e.grant !== "role" && e.grant !== "license") continue;
    where.set(e.person, [...(where.get(e.person) ?? []), `${e.platform} ${e.grant} ${e.name} (expired ${e.expires})`]);
  }
  const warnings: string[] = [];
  for (const g of extras.guards ?? []) {
    if (g.used > g.limit) warnings.push(`guard ${g.name}: ${g.used} of at most ${g.limit} — over the limit, the run stops`);
    else if (g.limit > 0 && g.used / g.limit >= NEAR_LIMIT) warnings.push(`guard ${g.name}: ${g.used} of at most ${g.limit} — near the limit`);
  }
  for (const p of extras.protected ?? []) warnings.push(`protected identity ${p.person}: ${p.message}`);
  for (const d of extras.emptyDuties ?? []) warnings.push(`${d} would be left with nobody`);
  for (const d of digest.diagnostics ?? []) if (d.severity === "warning") warnings.push(clean(d.message));
  const steps = digest.steps ?? [];
  return {
    ...(opts.stack ? { stack: opts.stack } : {}),
    changes,
    removals: [...where].map(([person, places]) => ({ person, where: places })).sort((a, b) => a.person.localeCompare(b.person)),
    warnings: [...new Set(warnings)],
    errors: [...new Set((digest.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => clean(d.message)))],
    drift: outsideChanges(digest).map(toDrift),
    undeclared: [...(extras.undeclared ?? [])].sort((a, b) => a.platform.localeCompare(b.platform) || a.username.localeCompare(b.username)),
    expiring: [...(extras.expiring ?? [])].sort((a, b) => a.expires.localeCompare(b.expires) || a.person.localeCompare(b.person) || a.grant.localeCompare(b.grant)),
    ...(extras.expiringWithinDays !== undefined ? { expiringWithinDays: extras.expiringWithinDays } : {}),
    // The JSON lists only some unchanged resources; its changeSummary counts them all (with the stack itself).
    unchanged: digest.changeSummary?.same !== undefined ? Math.max(0, digest.changeSummary.same - 1) : steps.filter((s) => s.op === "same" && (s.newState?.type ?? "") !== STACK_TYPE).length,
  };
}

/** The `report` stack output of the preview, when the program exports one. */
function stackExtras(digest: PreviewDigest): ReportExtras {
  // This run's extras: the program logs them as one info diagnostic (REPORT_LINE), because engine
  // v3.259.0 leaves a new Stack step out of `pulumi preview --json`, and the Stack step it does show
  // on later runs carries the outputs of the LAST deployment, not of this preview.
  const line = (digest.diagnostics ?? []).map((d) => d.message.trim()).find((m) => m.startsWith(REPORT_LINE));
  if (line) {
    try {
      return JSON.parse(line.slice(REPORT_LINE.length)) as ReportExtras;
    } catch {
      // fall through to the stack output
    }
  }
  const stack = (digest.steps ?? []).find((s) => (s.newState?.type ?? s.oldState?.type) === STACK_TYPE);
  const value = stack?.newState?.outputs?.[REPORT_OUTPUT];
  return value && typeof value === "object" ? (value as ReportExtras) : {};
}

/**
 * With --refresh, what someone changed on the platform outside rollcall. The refresh steps of
 * engine v3.259.0 carry no refreshed values; src/drift/outside-changes.ts reads them off the plan.
 */
function toDrift(change: OutsideChange): Drift {
  const fields = change.kind === "deleted" ? ["deleted outside rollcall"] : change.fields.map((f) => (f.field === "licenseFeatures" ? "licenses" : f.field));
  return { platform: change.platform as Platform, person: change.name, fields };
}

/** Diagnostics without the engine's prefixes or credentials-bearing URLs' query strings. */
function clean(message: string): string {
  return message.trim().replace(/^(warning|error): /, "").replace(/(https?:\/\/[^\s?]+)\?\S*/g, "$1");
}
