// The simulator's answers in the vendor's shapes (MuleSoft's OpenAPI description,
// and the responses recorded in kloudtek/anypoint-tools): ISO-8601 UTC timestamps with
// milliseconds, GUIDs, snake_case on the newer team/role endpoints and camelCase on users/orgs.
import type { AnypointState, SimAnypointUser, SimInvite, SimOrg, SimRoleGroup, SimTeam } from "./simulator-state";

const OWNER_ID = "00000000-0000-4000-8000-00000000000a";
const EPOCH = "2024-01-01T00:00:00.000Z";

export class AnypointJson {
  constructor(private readonly state: AnypointState) {}

  private get federated(): boolean {
    return this.state.idproviderId !== "mulesoft";
  }

  org(o: SimOrg) {
    const children = [...this.state.orgs.values()].filter((c) => c.parentId === o.id);
    // parentOrganizationIds: the whole ancestor chain, root first.
    const ancestors = this.state
      .lineage(o.id)
      .slice(1)
      .reverse()
      .map((a) => a.id);
    const master = this.state.master;
    const owner = {
      id: OWNER_ID,
      username: "organization_owner",
      firstName: "Organization",
      lastName: "Owner",
      email: "owner@example.com",
      organizationId: master.id,
      enabled: true,
      idprovider_id: "mulesoft",
    };
    return {
      id: o.id,
      name: o.name,
      createdAt: EPOCH,
      updatedAt: EPOCH,
      ownerId: owner.id,
      clientId: o.id.replace(/-/g, "").slice(0, 32),
      domain: o.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      idprovider_id: this.state.idproviderId,
      isFederated: this.federated,
      orgType: "default",
      parentOrganizationIds: ancestors,
      subOrganizationIds: children.map((c) => c.id),
      tenantOrganizationIds: [],
      isRoot: !o.parentId,
      isMaster: !o.parentId,
      sessionTimeout: 60,
      properties: {},
      entitlements: { createSubOrgs: !o.parentId, createEnvironments: true },
      environments: [],
      environmentsCount: 0,
      owner,
      subscription: { category: "Customer", type: "Platinum", expiration: "2030-01-01T00:00:00.000Z" },
      salesforce: {},
    };
  }

  /** GET …/hierarchy: the organization with its business groups nested in `subOrganizations`. */
  tree(o: SimOrg): Record<string, unknown> {
    return { ...this.org(o), subOrganizations: [...this.state.orgs.values()].filter((c) => c.parentId === o.id).map((c) => this.tree(c)) };
  }

  /** The flat form /me uses for memberOfOrganizations. */
  membership(o: SimOrg) {
    const parent = o.parentId ? this.state.orgs.get(o.parentId) : undefined;
    return { ...this.org(o), parentName: parent?.name ?? null, parentId: parent?.id ?? null };
  }

  user(u: SimAnypointUser) {
    return {
      id: u.id,
      username: u.username,
      firstName: u.firstName,
      lastName: u.lastName,
      email: u.email,
      email_verified_at: u.createdAt,
      phoneNumber: u.phoneNumber,
      organizationId: this.state.master.id,
      // The user's organization as a summary: no child ids (the description types them as objects).
      organization: { ...this.org(this.state.master), subOrganizationIds: [] },
      enabled: u.enabled,
      deleted: u.deleted,
      idprovider_id: u.idproviderId,
      type: "host",
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
      // MuleSoft's description requires both and types them as strings, but does not say what they
      // hold before the first sign-in; the simulator answers null there, which readers take as
      // "never signed in" (an absent field, as "unknown").
      lastLogin: u.lastLogin,
      previousLastLogin: u.previousLastLogin,
      ipAllowlistExcluded: false,
      isApiConsumer: false,
      // A string, as the generated Go client and recorded mocks have it (github.com/mulesoft-anypoint/anypoint-client-go).
      mfaVerifiersConfigured: "false",
      mfaVerificationExcluded: false,
      isFederated: u.idproviderId !== "mulesoft",
      organizationPreferences: {},
      properties: {},
    };
  }

  /** GET /me for a user token: the user, the master org, and every organization they belong to. */
  meUser(u: SimAnypointUser, token: { access_token: string; expires_in: number }) {
    const orgs = [
      this.state.master,
      ...[...this.state.orgs.values()].filter((o) => o.parentId && this.state.permissionsOf(u.id, o.id).length),
    ];
    return {
      user: {
        ...this.user(u),
        organization: this.org(this.state.master),
        properties: { cs_auth: { activeOrganizationId: this.state.master.id } },
        memberOfOrganizations: orgs.map((o) => this.membership(o)),
        contributorOfOrganizations: orgs.map((o) => this.membership(o)),
      },
      access_token: token,
    };
  }

  role(roleId: string, orgId: string, envId?: string) {
    const role = this.state.roles.get(roleId)!;
    return { role_id: role.id, name: role.name, description: role.name, context_params: { org: orgId, ...(envId ? { envId } : {}) } };
  }

  catalogRole(roleId: string) {
    const role = this.state.roles.get(roleId)!;
    return {
      role_id: role.id,
      name: role.name,
      description: role.name,
      internal: false,
      org_id: null,
      namespaces: [],
      product: "platform",
    };
  }

  roleGroup(g: SimRoleGroup, userRoleGroupId?: string) {
    const assigned = [...this.state.userRoleGroups.keys()].filter((k) => k.endsWith(`|${g.id}`)).length;
    return {
      role_group_id: g.id,
      name: g.name,
      description: g.name,
      external_names: [],
      org_id: g.orgId,
      editable: true,
      created_at: g.createdAt,
      updated_at: g.createdAt,
      context_params: {},
      // The org-level list carries user_count; a user's list carries the assignment's own id.
      ...(userRoleGroupId ? { user_role_group_id: userRoleGroupId } : { user_count: assigned }),
    };
  }

  team(t: SimTeam) {
    const master = this.state.master;
    return {
      team_id: t.id,
      team_name: t.name,
      org_id: master.id,
      org_name: master.name,
      team_type: "internal",
      ancestor_team_ids: [],
      created_at: t.createdAt,
      updated_at: t.createdAt,
    };
  }

  userTeam(t: SimTeam, userId: string) {
    return {
      ...this.team(t),
      membership_type: t.maintainers.has(userId) ? "maintainer" : "member",
      is_assigned_via_external_groups: t.viaExternalGroups.has(userId),
    };
  }

  /**
   * A team member. The description names the person's name `team_name`; the Go client (and the Terraform provider) read `name`: both are
   * sent.
   */
  teamMember(t: SimTeam, userId: string) {
    const u = this.state.users.get(userId)!;
    const name = `${u.firstName} ${u.lastName}`;
    return {
      identity_type: "user",
      id: u.id,
      name,
      team_name: name,
      membership_type: t.maintainers.has(userId) ? "maintainer" : "member",
      is_assigned_via_external_groups: t.viaExternalGroups.has(userId),
      created_at: t.createdAt,
      updated_at: t.createdAt,
    };
  }

  teamRole(grant: string) {
    const [roleId, org] = grant.split("|");
    return { role_id: roleId!, name: this.state.roles.get(roleId!)!.name, context_params: { org: org! } };
  }

  invite(i: SimInvite) {
    const master = this.state.master;
    return {
      id: i.id,
      code: `${i.id}`.padStart(8, "0") + "-0000-4000-8000-000000000000",
      invited_at: i.invitedAt,
      invited_email: i.email,
      invited_by_user: { id: OWNER_ID, username: "organization_owner", first_name: "Organization", last_name: "Owner" },
      invited_to_org: { id: master.id, name: master.name },
      expires_at: new Date(Date.parse(i.invitedAt) + 7 * 86_400_000).toISOString(),
      status: i.status,
      completed_at: null,
      completed_by_user: null,
      teams: i.teams.map((t) => ({
        team_id: t.teamId,
        team_name: this.state.teams.get(t.teamId)?.name ?? "",
        membership_type: t.membershipType,
      })),
    };
  }
}
