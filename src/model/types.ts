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
  /** Protected people cannot be removed by rollcall (Pulumi `protect`). */
  protected: boolean;
  controlRoom?: ControlRoomMembership;
  anypoint?: AnypointMembership;
  /** Where the entry starts in the file. */
  source: SourceLocation;
}

export interface UsersModel {
  /** Absolute path of the file that was read. */
  file: string;
  people: Person[];
  /** Where each person's usernames are (person key → platform → position), for identity messages. */
  usernameSources?: Record<string, { controlRoom?: SourceLocation; anypoint?: SourceLocation }>;
}
