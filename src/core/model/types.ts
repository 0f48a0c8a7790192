// The validated model of users.yaml: what the rest of rollcall consumes. Produced only by
// loadUsersFile(); nothing downstream ever sees raw YAML.

/** Where a value came from in users.yaml, for error messages ("users.yaml:12:7"). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface ControlRoomMembership {
  /** Control Room username (unique per Control Room, compared case-insensitively). */
  username: string;
  /** Role names, as shown in Control Room (resolved to ids by the provider). Sorted, de-duplicated. */
  roles: string[];
  /** Device license features, e.g. DEVELOPMENT, RUNTIME, ATTENDEDRUNTIME. Sorted, de-duplicated. */
  licenses: string[];
  disabled: boolean;
  description?: string;
  /**
   * Adopting a Control Room user whose email differs: the email that user has on the platform
   * today (lower-cased). Without it, a username that exists for another email is an error.
   */
  previousEmail?: string;
}

export interface BusinessGroupAccess {
  /** Role names in this business group. Sorted, de-duplicated. */
  roles: string[];
  /** Team names in this business group. Sorted, de-duplicated. */
  teams: string[];
}

export interface AnypointMembership {
  /** Anypoint username; usernames are global on Anypoint and never reusable after deletion. */
  username: string;
  /** Disabled users keep their membership and access but cannot sign in. */
  disabled: boolean;
  /** Business group name → access in it. The master organization is addressed by its own name. */
  businessGroups: Record<string, BusinessGroupAccess>;
  /** Adopting an Anypoint user whose email differs: the email it has on the platform today (lower-cased). */
  previousEmail?: string;
}

export interface Person {
  /** Stable key: the Pulumi resource name. Renaming it means remove + add. */
  key: string;
  /** Lower-cased, trimmed: case never causes a permanent diff. */
  email: string;
  firstName: string;
  lastName: string;
  /** Protected people cannot be removed, disabled or stripped by rollcall (src/features/safety/protected.ts, and Pulumi `protect`). */
  protected: boolean;
  /** Set when the entry says this person is leaving, and how (src/features/safety/offboarding.ts). */
  offboard?: OffboardMode;
  controlRoom?: ControlRoomMembership;
  anypoint?: AnypointMembership;
  /** Where the entry starts in the file. */
  source: SourceLocation;
  /** The dates from which this person's access, or some of it, ends (src/features/expiry); only when the entry sets one. */
  expiry?: Expiry;
}

/** One `expires:` of users.yaml: a calendar date (YYYY-MM-DD) and where it is written. */
export interface ExpiryDate {
  date: string;
  source: SourceLocation;
}

/**
 * Which of a person's grants end on which date. Kept beside the memberships, never inside them, so resource inputs and the roster do not
 * change.
 */
export interface Expiry {
  /** The whole person. */
  person?: ExpiryDate;
  /** Control Room role name → date. */
  controlRoomRoles?: Record<string, ExpiryDate>;
  /** Control Room license feature → date. */
  controlRoomLicenses?: Record<string, ExpiryDate>;
  /** Anypoint business group name → date. */
  businessGroups?: Record<string, ExpiryDate>;
}

/** What happens to a person's platform users when they leave: see docs/safety.md. */
export type OffboardMode = "delete" | "disable" | "unmanage";

export interface UsersModel {
  /** Absolute path of the file that was read. */
  file: string;
  people: Person[];
  /** Where each person's usernames are (person key → platform → position), for identity messages. */
  usernameSources?: Record<string, { controlRoom?: SourceLocation; anypoint?: SourceLocation }>;
}
