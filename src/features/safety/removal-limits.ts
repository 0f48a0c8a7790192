// Removal limits at every level. A bad merge or a truncated-but-valid users.yaml must not quietly
// remove half an organization — nor strip 40 people of one business group while deleting nobody
// (the Peribolos lesson: a limit on users alone misses teams). Each level is counted against the
// last deployment's roster, in the program, so `pulumi preview` fails before any resource is
// registered:
//
// - controlRoomUsers / anypointUsers: users deleted or disabled (an unmanaged user keeps access and
//   is not counted), by username, so a username change (replace = delete + create) counts too;
// - businessGroupAccess: per business group, people who stay on Anypoint but lose the group;
// - roles: per role (Control Room roles; Anypoint roles per business group), people who stay but
//   lose it; teams: per team, the same.
//
// A level fails when its removals exceed `count`, or exceed `percent` of what the last deployment
// had there — a percentage never refuses fewer than PERCENT_FLOOR removals (one person leaving a
// team of three is not a mass removal).
import type { OffboardingAction } from "./offboarding";
import type { Roster } from "./roster";

export interface Limit {
  count: number;
  percent: number;
}

export const LEVELS = ["controlRoomUsers", "anypointUsers", "businessGroupAccess", "roles", "teams"] as const;
export type Level = (typeof LEVELS)[number];
/** `setBy`: the setting a level's count came from when it is not rollcall:removalLimits (for the message). */
export type RemovalLimits = Record<Level, Limit> & { setBy?: Partial<Record<Level, string>> };

export const DEFAULT_LIMITS: RemovalLimits = {
  controlRoomUsers: { count: 25, percent: 10 },
  anypointUsers: { count: 25, percent: 10 },
  businessGroupAccess: { count: 10, percent: 25 },
  roles: { count: 10, percent: 25 },
  teams: { count: 10, percent: 25 },
};
export const PERCENT_FLOOR = 3;

/** What one place (a platform's users, a business group, a role, a team) would lose. */
export interface LevelLoss {
  level: Level;
  /** "Control Room users", "Anypoint business group 'Sales'", … */
  where: string;
  /** Who, with what happens to them: "ada (deleted)". */
  who: string[];
  /** How many there were in the last deployment. */
  total: number;
}

const lower = (s: string) => s.toLowerCase();

export function levelLosses(previous: Roster, next: Roster, actions: OffboardingAction[]): LevelLoss[] {
  const losses = new Map<string, LevelLoss>();
  const lose = (level: Level, where: string, who: string) => {
    const loss = losses.get(where) ?? { level, where, who: [], total: 0 };
    loss.who.push(who);
    losses.set(where, loss);
  };
  const count = (level: Level, where: string) => {
    const loss = losses.get(where) ?? { level, where, who: [], total: 0 };
    loss.total++;
    losses.set(where, loss);
  };
  const unmanaged = new Set(actions.filter((a) => a.mode === "unmanage").map((a) => `${a.platform}:${lower(a.username)}`));

  for (const [platform, level, name] of [
    ["controlRoom", "controlRoomUsers", "Control Room"],
    ["anypoint", "anypointUsers", "Anypoint"],
  ] as const) {
    const now = new Map(Object.values(next).flatMap((e) => (e[platform] ? [[lower(e[platform]!.username), e[platform]!] as const] : [])));
    for (const [key, entry] of Object.entries(previous)) {
      const was = entry[platform];
      if (!was) continue;
      count(level, `${name} users`);
      const is = now.get(lower(was.username));
      if (!is) {
        if (!unmanaged.has(`${name}:${lower(was.username)}`)) lose(level, `${name} users`, `${key} '${was.username}' (deleted)`);
      } else if (is.disabled && !was.disabled) lose(level, `${name} users`, `${key} '${was.username}' (disabled)`);
    }
  }

  for (const [key, entry] of Object.entries(previous)) {
    const later = next[key];
    const cr = entry.controlRoom;
    const crNow = later?.controlRoom;
    for (const role of cr?.roles ?? []) {
      count("roles", `Control Room role '${role}'`);
      if (crNow && lower(crNow.username) === lower(cr!.username) && !crNow.roles.includes(role))
        lose("roles", `Control Room role '${role}'`, key);
    }
    const ap = entry.anypoint;
    const apNow = later?.anypoint && lower(later.anypoint.username) === lower(ap?.username ?? "") ? later.anypoint : undefined;
    const teamsNow = new Set(Object.values(apNow?.businessGroups ?? {}).flatMap((g) => g.teams));
    const teamsCounted = new Set<string>();
    for (const [group, access] of Object.entries(ap?.businessGroups ?? {})) {
      const where = `Anypoint business group '${group}'`;
      count("businessGroupAccess", where);
      const groupNow = apNow?.businessGroups[group];
      if (apNow && !groupNow) lose("businessGroupAccess", where, key);
      for (const role of access.roles) {
        count("roles", `Anypoint role '${role}' in business group '${group}'`);
        if (groupNow && !groupNow.roles.includes(role)) lose("roles", `Anypoint role '${role}' in business group '${group}'`, key);
      }
      for (const team of access.teams) {
        if (teamsCounted.has(team)) continue;
        teamsCounted.add(team);
        count("teams", `Anypoint team '${team}'`);
        if (groupNow && !teamsNow.has(team)) lose("teams", `Anypoint team '${team}'`, key);
      }
    }
  }
  return [...losses.values()].filter((l) => l.who.length > 0);
}

/** The losses over their level's limit (with the one-run override `allowed`, only its count applies). */
export function overLimit(losses: LevelLoss[], limits: RemovalLimits, allowed?: number): LevelLoss[] {
  return losses.filter((l) => {
    const n = l.who.length;
    if (allowed !== undefined) return n > allowed;
    const { count, percent } = limits[l.level];
    return n > count || (n >= PERCENT_FLOOR && (n * 100) / Math.max(l.total, 1) > percent);
  });
}

/**
 * The share lost, whole when that is exact or cannot mislead; with one decimal when rounding would hide why it was refused (10.3% shown as
 * 10% against a 10% limit).
 */
export function percentOf(l: Pick<LevelLoss, "who" | "total">, limit: number): string {
  const exact = (l.who.length * 100) / Math.max(l.total, 1);
  const whole = Math.round(exact);
  const misleads = whole !== exact && (whole === limit || whole > limit !== exact > limit);
  return `${misleads ? exact.toFixed(1) : whole}%`;
}

/**
 * The refusal: every level over its limit, who would lose what, and the one-run override. `inCi`: the run is a GitHub Actions workflow (a
 * pull request's preview or the merge's
 * apply), where nobody can type a command: the way through is the approved run of the apply
 * workflow (.github/workflows/apply.yml, docs/safety.md "Approved removals"), which a second person approves.
 */
export function removalLimitError(
  over: LevelLoss[],
  limits: RemovalLimits,
  allowed: number | undefined,
  overrideVar: string,
  inCi = false,
): string {
  const largest = Math.max(...over.map((l) => l.who.length));
  const lines = over.map((l) => {
    const limit =
      allowed !== undefined
        ? `${overrideVar}=${allowed} for this run`
        : `limit ${limits[l.level].count} or ${limits[l.level].percent}% (` +
          `${limits.setBy?.[l.level] ?? `rollcall:removalLimits.${l.level}`})`;
    const names = l.who.length > 10 ? `${l.who.slice(0, 10).join(", ")}, … and ${l.who.length - 10} more` : l.who.join(", ");
    return `  ${l.where}: ${l.who.length} of ${l.total} (${percentOf(l, limits[l.level].percent)}) would lose it — ${limit}: ${names}`;
  });
  return [
    `This change removes more than the stack allows at ${over.length === 1 ? "one level" : `${over.length} levels`}; nothing ` +
      `was sent to any platform.`,
    ...lines,
    inCi
      ? `If it is intended: merge (the merge-time apply refuses it too and changes nothing), then a maintainer runs the workflow ` +
        `"rollcall apply" by hand on main (Actions > rollcall apply > Run workflow) with max_removals ${largest}; that run waits ` +
        `until a second person approves it in the production environment. To change the limits for good, change ` +
        `rollcall:removalLimits in the stack settings in a pull request of its own.`
      : `If it is intended, allow it for this run only: ${overrideVar}=${largest} pulumi up (and the same for pulumi preview). To ` +
        `change the limits for good: pulumi config set --path 'rollcall:removalLimits.<level>.count' <n> (levels: ` +
        `${LEVELS.join(", ")}).`,
  ].join("\n");
}

/**
 * Limits from stack config: `rollcall:removalLimits` (an object, set with --path), and `rollcall:maxRemovals`, the older single count for
 * user removals.
 */
export function readRemovalLimits(raw: string | undefined, maxRemovals: string | undefined): RemovalLimits | string {
  const limits: RemovalLimits = JSON.parse(JSON.stringify(DEFAULT_LIMITS));
  if (maxRemovals !== undefined && maxRemovals !== "") {
    const n = Number(maxRemovals);
    if (!Number.isInteger(n) || n < 0) return `rollcall:maxRemovals must be a whole number, not '${maxRemovals}'.`;
    limits.controlRoomUsers.count = n;
    limits.anypointUsers.count = n;
    limits.setBy = { controlRoomUsers: "rollcall:maxRemovals", anypointUsers: "rollcall:maxRemovals" };
  }
  if (raw === undefined || raw === "") return limits;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return (
      `rollcall:removalLimits must be an object such as {"businessGroupAccess": {"count": 10, "percent": 25}}; set it with pulumi ` +
      `config set --path 'rollcall:removalLimits.<level>.count' <n>.`
    );
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return "rollcall:removalLimits must be an object keyed by level.";
  for (const [level, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(LEVELS as readonly string[]).includes(level))
      return `rollcall:removalLimits has no level '${level}'; the levels are ${LEVELS.join(", ")}.`;
    for (const [field, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
      const n = Number(v);
      if ((field !== "count" && field !== "percent") || !Number.isFinite(n) || n < 0 || (field === "count" && !Number.isInteger(n))) {
        return `rollcall:removalLimits.${level}.${field}: expected count (a whole number) or percent (0–100), not '${String(v)}'.`;
      }
      limits[level as Level][field] = n;
      if (field === "count") delete limits.setBy?.[level as Level];
    }
  }
  return limits;
}
