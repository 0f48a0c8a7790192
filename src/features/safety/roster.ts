// The roster: what one run declared, person by person — exported as the stack output `roster` so
// the next run can compare every level (users, business groups, roles, teams) against what was
// last applied, and re-declare people who are being disabled or unmanaged without their entry.
//
// Shape (stack output `roster`, also read by the PR report):
//   { "<person key>": { email, firstName, lastName, protected,
//       offboarded?: "disable" | "unmanage",          // declared only because they are leaving
//       retained?: { controlRoom?: true, anypoint?: true },   // declared with retainOnDelete
//       controlRoom?: { username, roles[], licenses[], disabled, description? },
//       anypoint?: { username, disabled, businessGroups: { "<group>": { roles[], teams[] } } } } }
import type { AnypointMembership, ControlRoomMembership, OffboardMode, Person } from "../../core/model/types";

export type Platform = "controlRoom" | "anypoint";
export const PLATFORMS: Platform[] = ["controlRoom", "anypoint"];
export const PLATFORM_NAME: Record<Platform, "Control Room" | "Anypoint"> = { controlRoom: "Control Room", anypoint: "Anypoint" };

export interface RosterEntry {
  email: string;
  firstName: string;
  lastName: string;
  protected: boolean;
  offboarded?: OffboardMode;
  retained?: Partial<Record<Platform, true>>;
  controlRoom?: ControlRoomMembership;
  anypoint?: AnypointMembership;
}

export type Roster = Record<string, RosterEntry>;

/** The roster entry of a person as declared now. */
export function rosterEntry(person: Person, retained: Partial<Record<Platform, true>> = {}): RosterEntry {
  return {
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    protected: person.protected,
    ...(person.offboard && person.offboard !== "delete" ? { offboarded: person.offboard } : {}),
    ...(Object.keys(retained).length ? { retained } : {}),
    ...(person.controlRoom ? { controlRoom: person.controlRoom } : {}),
    ...(person.anypoint ? { anypoint: person.anypoint } : {}),
  };
}

/**
 * A roster from a deployment made before the roster was exported (only the username lists):
 * enough for the user-level limits; the other levels have nothing to compare and pass.
 */
export function legacyRoster(outputs: { controlRoom?: string[]; anypoint?: string[] }): Roster {
  const roster: Roster = {};
  const add = (platform: Platform, username: string) => {
    const entry = (roster[`${platform}:${username}`] ??= { email: "", firstName: "", lastName: "", protected: false });
    if (platform === "controlRoom") entry.controlRoom = { username, roles: [], licenses: [], disabled: false };
    else entry.anypoint = { username, disabled: false, businessGroups: {} };
  };
  for (const u of outputs.controlRoom ?? []) add("controlRoom", u);
  for (const u of outputs.anypoint ?? []) add("anypoint", u);
  return roster;
}

/** Back from a roster entry to a person the plan can declare (for people no longer in users.yaml). */
export function personFromRoster(key: string, entry: RosterEntry, file: string): Person {
  return {
    key,
    email: entry.email,
    firstName: entry.firstName,
    lastName: entry.lastName,
    protected: entry.protected,
    source: { file, line: 1, column: 1 },
    ...(entry.controlRoom ? { controlRoom: entry.controlRoom } : {}),
    ...(entry.anypoint ? { anypoint: entry.anypoint } : {}),
  };
}
