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
  unchanged: number;
}

export const REPORT_OUTPUT = "report";
const STACK_TYPE = "pulumi:pulumi:Stack";
/** A guard this close to its limit (fraction used) is worth a warning before it fails. */
const NEAR_LIMIT = 0.8;

export function buildReport(digest: PreviewDigest, opts: { stack?: string; extras?: ReportExtras } = {}): Report {
  const extras = { ...stackExtras(digest), ...opts.extras };
  const changes = personChanges(digest, { adopted: new Set(extras.adopted ?? []) });
  const removals = removedUsers(changes, extras.removals ?? []);
  const reductions = reducedAccess(changes);
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
    removals,
    reductions,
    warnings: [...new Set(warnings)],
    errors: [...new Set((digest.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => clean(d.message)))],
    drift: outsideChanges(digest).map(toDrift),
    undeclared: [...(extras.undeclared ?? [])].sort((a, b) => a.platform.localeCompare(b.platform) || a.username.localeCompare(b.username)),
    // The JSON lists only some unchanged resources; its changeSummary counts them all (with the stack itself).
    unchanged: digest.changeSummary?.same !== undefined ? Math.max(0, digest.changeSummary.same - 1) : steps.filter((s) => s.op === "same" && (s.newState?.type ?? "") !== STACK_TYPE).length,
  };
}

type Removal = NonNullable<ReportExtras["removals"]>[number];

function removedUsers(changes: PersonChange[], offboarding: Removal[]): Report["removals"] {
  const removalAction = new Map(offboarding.map((r) => [`${r.platform}|${r.person}|${r.businessGroup ?? ""}`, r.action]));
  const where = new Map<string, string[]>();
  const add = (person: string, place: string) => where.set(person, [...(where.get(person) ?? []), place]);
  for (const c of changes.filter((c) => c.op === "removed" && !c.businessGroup)) {
    const action = removalAction.get(`${c.platform}|${c.person}|`) ?? "delete";
    add(c.person, `${c.platform} user \`${c.username}\`${action === "delete" ? "" : ` (${action})`}`);
  }
  // A soft offboarding is an update to the engine (the user stays, disabled), yet the person loses access.
  for (const r of offboarding) {
    if (r.action !== "disable" || changes.some((c) => c.op === "removed" && c.person === r.person && c.platform === r.platform)) continue;
    add(r.person, `${r.platform} user${r.username ? ` \`${r.username}\`` : ""} (disable)`);
  }
  // users.yaml disabling a user (not an offboarding) takes away all of its access too.
  for (const c of changes.filter((c) => c.op === "changed" && !c.businessGroup)) {
    const off = c.fields.some((f) => (f.field === "disabled" && f.after === "true") || (f.field === "enabled" && f.after === "false"));
    if (off && !(where.get(c.person) ?? []).some((p) => p.startsWith(`${c.platform} user`))) add(c.person, `${c.platform} user \`${c.username}\` (disable)`);
  }
  return [...where].map(([person, places]) => ({ person, where: places })).sort((a, b) => a.person.localeCompare(b.person));
}

/** What each person who keeps a user loses, as set changes: "Control Room −AAE_Bot Developer", "Anypoint Sales: A → B". */
function reducedAccess(changes: PersonChange[]): Report["reductions"] {
  const goneUsers = new Set(changes.filter((c) => c.op === "removed" && !c.businessGroup).map((c) => `${c.platform}|${c.person}`));
  const where = new Map<string, string[]>();
  for (const c of changes) {
    if (goneUsers.has(`${c.platform}|${c.person}`)) continue;
    const lost = lostAccess(c);
    if (!lost) continue;
    where.set(c.person, [...(where.get(c.person) ?? []), lost]);
  }
  return [...where].map(([person, places]) => ({ person, where: places })).sort((a, b) => a.person.localeCompare(b.person));
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
  if (c.op === "removed") return `${c.platform} ${c.businessGroup}: ${parts.length ? `${parts.join(", ")} ` : ""}(leaves the business group)`;
  if (!parts.length) return undefined;
  return c.businessGroup ? `${c.platform} ${c.businessGroup}: ${parts.join(", ")}` : `${c.platform} ${parts.join(", ")}`;
}

/** The `report` stack output of the preview, when the program exports one. */
function stackExtras(digest: PreviewDigest): ReportExtras {
  // This run's extras come from the program's data file (src/report/program-data.ts, passed as
  // opts.extras): engine v3.259.0 leaves a new Stack step out of `pulumi preview --json`, and the
  // Stack step it does show on later runs carries the outputs of the LAST deployment, not this preview's.
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
