// What the Anypoint providers need from the platform, in their own terms. The HTTP client
// (client.ts) provides it; keeping the seam explicit lets the provider logic read like the rules
// it implements (master-org deletion, business-group access removal, bulk deletes).
export interface AnypointUserRecord {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  enabled: boolean;
  /** As listed; sent back unchanged by bulk updates (which take the whole user). */
  phoneNumber?: string;
  /** Last sign-in as listed: null = never signed in; absent when the answer lacks the field (unknown, not never). */
  lastLogin?: string | null;
}

/** One entry of a bulk update: the whole user as it should be (PUT …/users takes every field). */
export type AnypointUserUpdate = Pick<AnypointUserRecord, "id" | "email" | "firstName" | "lastName" | "enabled" | "phoneNumber">;

export interface NewAnypointUser {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface Named {
  id: string;
  name: string;
}

/** One id of a bulk delete. */
export interface BulkDeleteOutcome {
  id: string;
  deleted: boolean;
}

export interface AnypointApi {
  readonly url: string;
  /** The master (root) organization of the credentials. */
  masterOrganization(): Promise<Named>;
  /** Business group id by name (the master organization by its own name); throws with the closest names. */
  businessGroupId(name: string): Promise<string>;
  /** Every user of the master organization (all pages). */
  listUsers(): Promise<AnypointUserRecord[]>;
  getUser(id: string): Promise<AnypointUserRecord | undefined>;
  /** Creates a user in the master organization; a username used before (even deleted) is refused with an explanation. */
  createUser(user: NewAnypointUser): Promise<AnypointUserRecord>;
  /** Invites a person by email (orgs whose users sign in through an external identity provider); returns the invite id. */
  inviteUser(email: string): Promise<string>;
  /** Cancels an invite; false when it no longer exists. */
  cancelInvite(inviteId: string): Promise<boolean>;
  updateUser(id: string, patch: Partial<Omit<AnypointUserRecord, "id" | "username">>): Promise<AnypointUserRecord>;
  /** One bulk PUT in the master organization; throws when the call fails as a whole (the caller then updates one by one). */
  updateUsers(users: AnypointUserUpdate[]): Promise<void>;
  /** Deletes from the master organization; false when it was already gone. */
  deleteUser(id: string): Promise<boolean>;
  /**
   * Bulk delete from the master organization, answered per id; throws when the call fails as a whole (the caller then deletes one by one).
   */
  deleteUsers(ids: string[]): Promise<BulkDeleteOutcome[]>;
  listRoles(orgId: string): Promise<Named[]>;
  /** The user's role assignments scoped to this organization or business group. */
  listUserRoles(orgId: string, userId: string): Promise<Named[]>;
  assignRoles(orgId: string, userId: string, roleIds: string[]): Promise<void>;
  unassignRoles(orgId: string, userId: string, roleIds: string[]): Promise<void>;
  /** Teams live in the master organization (the default). */
  listTeams(orgId?: string): Promise<Named[]>;
  listUserTeams(userId: string): Promise<Named[]>;
  /** Members of one team, every page (GET …/teams/{teamId}/members): one listing serves every person. */
  listTeamMembers(teamId: string): Promise<Named[]>;
  addTeamMember(teamId: string, userId: string): Promise<void>;
  /** False when there was nothing to remove. */
  removeTeamMember(teamId: string, userId: string): Promise<boolean>;
  /** Removes every permission the user has in a business group (roles, role groups, teams scoped to it): how a user is removed from one. */
  removeBusinessGroupAccess(orgId: string, userId: string): Promise<void>;
  /** The same for many users in one call (DELETE …/organizations/{bg}/members); throws when it fails as a whole. */
  removeBusinessGroupMembers(orgId: string, userIds: string[]): Promise<void>;
}
