// The inputs and outputs of the Anypoint resources, shared by the resources and their providers.

/** A person's roles and teams in one business group (teams live in the master organization). */
export interface BusinessGroupGrant {
  roles: string[];
  teams: string[];
}

export interface AnypointUserInputs {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  enabled: boolean;
  /** Adopt a user with this username whose email is this one (users.yaml's previousEmail): its email then changes to `email`. */
  previousEmail?: string;
  /** Declared access by business-group name. Absent only in state written by the old two-kind model. */
  businessGroups: Record<string, BusinessGroupGrant>;
}

export interface AnypointUserOutputs extends AnypointUserInputs {
  /** The platform's user id; "" while an invitation is pending. */
  userId: string;
  adopted: boolean;
  /** Set while the person has been invited and has not signed in yet. */
  inviteId?: string;
}

/** Resource ids of people invited but not yet signed in: `invite:<invite id>`. */
export const INVITE_PREFIX = "invite:";

/**
 * State of the retired AnypointBusinessGroupAccess kind (one per person × business group). Only
 * its provider remains, so that stacks deployed with the old model migrate without a call.
 */
export interface BusinessGroupAccessInputs {
  username: string;
  userId: string;
  businessGroup: string;
  roles: string[];
  teams: string[];
}

export interface BusinessGroupAccessOutputs extends BusinessGroupAccessInputs {
  businessGroupId: string;
}
