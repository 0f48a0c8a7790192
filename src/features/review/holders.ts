// The review's rows: one per holder and grant, from what the platforms hold (live), what users.yaml
// declares and what its history says. Pure: the clock is an argument, the order is code-point order.
import type { AnypointAccount, ControlRoomAccount } from "../export/inventory";
import { cmp } from "../export/people";
import { grantId, type DeclaredPerson, type Grant, type GrantKind, type Platform } from "./declared";
import { originKey, type GrantOrigin } from "./history";

export type Flag =
  "never-logged-in" | "inactive" | "expired" | "expiring-soon" | "undeclared" | "disabled" | "not-on-platform" | "rollcall-login";

/** A sign-in time; "never" when the platform says so; "unknown" when the platform's records lack the field. */
export type LastLogin = string | "never" | "unknown";

export interface Holding extends Grant {
  username: string;
  /** users.yaml key; absent for undeclared holders. */
  person?: string;
  email?: string;
  since?: string;
  commit?: string;
  pr?: number;
  expires?: string;
  lastLogin: LastLogin;
  flags: Flag[];
}

export interface ReviewSettings {
  /** The instant flags are computed at (ISO 8601). */
  now: string;
  /** A sign-in older than this many days is "inactive". */
  inactiveDays: number;
  /** An expiry within this many days is "expiring soon". */
  expiringDays: number;
}

export interface ReviewInput {
  controlRoom?: ControlRoomAccount[];
  anypoint?: AnypointAccount[];
  declared: DeclaredPerson[];
  origins: Map<string, GrantOrigin>;
  /** Usernames rollcall signs in as, per platform (never declared, on purpose). */
  callers?: { controlRoom?: string; anypoint?: string };
}

interface LiveUser {
  username: string;
  email: string;
  disabled: boolean;
  lastLogin: LastLogin;
  grants: Grant[];
}

export const DAY_MS = 86_400_000;
const lower = (s: string) => s.toLowerCase();

function lastLoginOf(v: string | null | undefined): LastLogin {
  return v === undefined ? "unknown" : v === null ? "never" : v;
}

function liveUsers(input: ReviewInput): Map<Platform, LiveUser[]> {
  const out = new Map<Platform, LiveUser[]>();
  if (input.controlRoom) {
    out.set(
      "Control Room",
      input.controlRoom.map((u) => ({
        username: u.username,
        email: u.email,
        disabled: u.disabled,
        lastLogin: lastLoginOf(u.lastLogin),
        grants: [
          ...u.roles.map((name) => ({ platform: "Control Room" as const, businessGroup: "", kind: "role" as GrantKind, name })),
          ...u.licenses.map((name) => ({ platform: "Control Room" as const, businessGroup: "", kind: "license" as GrantKind, name })),
        ],
      })),
    );
  }
  if (input.anypoint) {
    out.set(
      "Anypoint",
      input.anypoint.map((u) => {
        const grants: Grant[] = [];
        for (const [group, access] of Object.entries(u.businessGroups)) {
          for (const name of access.roles) grants.push({ platform: "Anypoint", businessGroup: group, kind: "role", name });
          for (const name of access.teams) grants.push({ platform: "Anypoint", businessGroup: "", kind: "team", name });
        }
        for (const name of u.externalTeams) grants.push({ platform: "Anypoint", businessGroup: "", kind: "team", name });
        return { username: u.username, email: u.email, disabled: u.disabled, lastLogin: lastLoginOf(u.lastLogin), grants };
      }),
    );
  }
  return out;
}

/** Every holder of every grant, live and declared, with its origin and flags. */
export function reviewHoldings(input: ReviewInput, settings: ReviewSettings): Holding[] {
  const now = Date.parse(settings.now);
  if (Number.isNaN(now)) throw new Error(`review: '${settings.now}' is not an ISO 8601 date and time`);
  const live = liveUsers(input);
  const rows = new Map<string, Holding>();
  const rowKey = (g: Grant, username: string) => `${grantId(g)}|${lower(username)}`;
  const declaredRows = new Set<Holding>();

  for (const [platform, users] of live) {
    const caller = platform === "Control Room" ? input.callers?.controlRoom : input.callers?.anypoint;
    for (const u of users) {
      for (const g of u.grants) {
        const flags: Flag[] = [];
        if (caller && lower(caller) === lower(u.username)) flags.push("rollcall-login");
        rows.set(rowKey(g, u.username), { ...g, username: u.username, email: u.email.toLowerCase(), lastLogin: u.lastLogin, flags });
      }
    }
  }

  for (const person of input.declared) {
    for (const g of person.grants) {
      const block = g.platform === "Control Room" ? person.controlRoom : person.anypoint;
      if (!block) continue;
      const users = live.get(g.platform);
      if (!users) continue; // the platform was not read: nothing to compare with
      const user = users.find((u) => lower(u.username) === lower(block.username));
      const key = rowKey(g, block.username);
      const row: Holding = rows.get(key) ?? {
        ...g,
        username: user?.username ?? block.username,
        lastLogin: user?.lastLogin ?? "unknown",
        flags: ["not-on-platform"],
      };
      const origin = input.origins.get(originKey(person.key, grantId(g)));
      Object.assign(row, {
        person: person.key,
        email: person.email,
        ...(origin ? { since: origin.since, commit: origin.commit, ...(origin.pr !== undefined ? { pr: origin.pr } : {}) } : {}),
        ...(g.expires ? { expires: g.expires } : {}),
      });
      if (user?.disabled) row.flags.push("disabled");
      rows.set(key, row);
      declaredRows.add(row);
    }
  }

  // Held but not declared: by someone users.yaml does not have, or by a person it has, beyond their entry.
  const people = new Map<string, DeclaredPerson>();
  for (const p of input.declared) {
    if (p.controlRoom) people.set(`Control Room|${lower(p.controlRoom.username)}`, p);
    if (p.anypoint) people.set(`Anypoint|${lower(p.anypoint.username)}`, p);
  }
  for (const row of rows.values()) {
    if (declaredRows.has(row) || row.flags.includes("rollcall-login")) continue;
    row.flags.push("undeclared");
    const p = people.get(`${row.platform}|${lower(row.username)}`);
    if (p) Object.assign(row, { person: p.key, email: p.email });
  }

  for (const row of rows.values()) {
    if (row.lastLogin === "never") row.flags.push("never-logged-in");
    else if (row.lastLogin !== "unknown" && now - Date.parse(row.lastLogin) > settings.inactiveDays * DAY_MS) row.flags.push("inactive");
    if (row.expires) {
      const end = Date.parse(`${row.expires.slice(0, 10)}T00:00:00Z`);
      if (end <= now) row.flags.push("expired");
      else if (end - now <= settings.expiringDays * DAY_MS) row.flags.push("expiring-soon");
    }
    row.flags.sort();
  }
  return [...rows.values()].sort(
    (a, b) =>
      cmp(a.platform, b.platform) ||
      cmp(a.businessGroup, b.businessGroup) ||
      cmp(a.kind, b.kind) ||
      cmp(a.name, b.name) ||
      cmp(lower(a.username), lower(b.username)),
  );
}

/** The grant a row belongs to, as a heading: "Sales: role Exchange Viewer", "team Approvers". */
export const grantLabel = (h: Grant): string => `${h.businessGroup ? `${h.businessGroup}: ` : ""}${h.kind} ${h.name}`;
