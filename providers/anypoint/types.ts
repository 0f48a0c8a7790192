// The inputs and outputs of the Anypoint resources, shared by the resources and their providers.
export interface AnypointUserInputs {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  enabled: boolean;
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

export interface BusinessGroupAccessInputs {
  /** The person's username, for messages. */
  username: string;
  /** Id of the person's Anypoint user (an output of their AnypointUser). */
  userId: string;
  businessGroup: string;
  roles: string[];
  teams: string[];
}

export interface BusinessGroupAccessOutputs extends BusinessGroupAccessInputs {
  businessGroupId: string;
}

