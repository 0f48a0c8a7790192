// Organization, user, member and invite routes of the Anypoint simulator. The rules (https://docs.mulesoft.com/access-management/users,
// Salesforce KB 001114957): users belong to the master organization; only the master organization
// creates or deletes users, and deleting removes the membership, not the account; a username is
// never reusable, even after deletion; a business group's users are the ones holding a permission
// there, and removing every permission there removes them from it.
import { msg, page, stringIds, matches, EMAIL, type ApiContext, type ApiRouter } from "./simulator-http";
import type { SimResponse } from "../harness";
import type { SimAnypointUser, SimInvite, SimOrg } from "./simulator-state";

export function registerOrganizationRoutes(r: ApiRouter): void {
  const { state, json } = r;
  r.api("GET", "/organizations/:org", {}, ({ org }) => ({ status: 200, body: json.org(org) }));
  r.api(
    "GET",
    "/organizations/:org/hierarchy",
    { unknownOrg: { status: 400, message: "Bad request; unknown organization." } },
    ({ org }) => ({ status: 200, body: json.tree(org) }),
  );

  r.api("GET", "/organizations/:org/users", {}, (ctx) => listUsers(r, ctx));
  r.api("POST", "/organizations/:org/users", { admin: true }, (ctx) => createUser(r, ctx));
  r.api("DELETE", "/organizations/:org/users", { admin: true }, ({ req, org }) => {
    const refused = refuseBusinessGroup(org);
    if (refused) return refused;
    const ids = stringIds(req.body);
    if (!ids?.length) return msg(400, "The body must be a non-empty JSON array of user ids");
    // The whole batch is refused when one id is unknown (partial-failure semantics are undocumented in the vendored description).
    const unknown = ids.filter((id) => !state.activeUser(id));
    if (unknown.length) return msg(404, `User does not exist: ${unknown.join(", ")}`);
    for (const id of ids) state.deleteUser(id);
    return { status: 204 };
  });
  // Bulk update (PUT /organizations/{org}/users in the vendored description): [{id, firstName, lastName, email, phoneNumber, enabled}],
  // 204;
  // the whole batch is refused with 400 when one entry is invalid or not a user of the organization.
  r.api("PUT", "/organizations/:org/users", { admin: true }, ({ req, org }) => {
    const list = req.body;
    const invalid = "Invalid data in body or not all users are part of the specified org";
    if (org.parentId || !Array.isArray(list) || !list.length) return msg(400, invalid);
    const entries = list as Record<string, unknown>[];
    for (const e of entries) {
      if (!e || typeof e !== "object" || typeof e.id !== "string" || !state.activeUser(e.id)) return msg(400, invalid);
      for (const [key, type] of Object.entries(UPDATABLE)) if (e[key] !== undefined && typeof e[key] !== type) return msg(400, invalid);
      if (typeof e.email === "string" && !EMAIL.test(e.email)) return msg(400, invalid);
    }
    for (const e of entries) {
      const target = state.activeUser(e.id as string)! as unknown as Record<string, unknown>;
      for (const key of ["firstName", "lastName", "email", "phoneNumber", "enabled"] as const)
        if (e[key] !== undefined) target[key] = e[key];
      (target as unknown as SimAnypointUser).updatedAt = new Date().toISOString();
    }
    return { status: 204 };
  });
  r.api("GET", "/organizations/:org/users/:user", {}, ({ user }) => ({ status: 200, body: json.user(user) }));
  r.api("PUT", "/organizations/:org/users/:user", { admin: true }, (ctx) => updateUser(r, ctx));
  r.api("DELETE", "/organizations/:org/users/:user", { admin: true }, ({ org, user }) => {
    const refused = refuseBusinessGroup(org);
    if (refused) return refused;
    state.deleteUser(user.id);
    // 200 as the description says (the Go client says 204); no body is documented.
    return { status: 200 };
  });

  // Removing users from a business group = removing every permission they hold there (inferred for
  // business groups, https://help.salesforce.com/s/articleView?id=001114957); on the master organization the users endpoint deletes
  // instead.
  r.api("DELETE", "/organizations/:org/members", { admin: true }, ({ req, org }) => {
    const ids = stringIds(req.body);
    if (!ids?.length)
      return msg(400, "Invalid IDs or some users could not be removed from the org: the body must be a JSON array of user ids");
    if (!org.parentId)
      return msg(
        400,
        "Invalid IDs or some users could not be removed from the org: delete users from the master organization with DELETE …/users",
      );
    if (ids.some((id) => !state.activeUser(id))) return msg(400, "Invalid IDs or some users could not be removed from the org");
    for (const id of ids) state.removeAllPermissions(id, org.id);
    return { status: 204 };
  });
  r.api("DELETE", "/organizations/:org/members/:user", { admin: true }, ({ org, user }) => {
    if (!org.parentId)
      return msg(
        400,
        "Invalid ID or this user could not be removed from the org: delete users from the master organization with DELETE …/users/{userId}",
      );
    state.removeAllPermissions(user.id, org.id);
    return { status: 204 };
  });

  r.api("POST", "/organizations/:org/invites", { admin: true }, (ctx) => invite(r, ctx));
  r.api("GET", "/organizations/:org/invites", {}, ({ req }) => {
    const open = [...state.invites.values()].filter(
      (i) => (i.status === "INVITED" || i.status === "EXPIRED") && matches(req.query.get("search"), [i.email]),
    );
    return page(
      req,
      open.map((i) => json.invite(i)),
    );
  });
  r.api("DELETE", "/organizations/:org/invites", { admin: true }, ({ req }) => {
    const ids = req.body;
    if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id)))
      return msg(400, "Bad request; the body is a JSON array of invite ids (integers)");
    const pending = ids.map((id) => state.invites.get(id as number)).filter((i): i is SimInvite => i?.status === "INVITED");
    if (!pending.length) return msg(400, "Bad request; unknown organization, bad parameter or no invite was deleted");
    for (const i of pending) i.status = "CANCELED";
    return { status: 204 };
  });
}

/** Only the master organization deletes users; a business group can only remove permissions (KB 001114957). */
function refuseBusinessGroup(org: SimOrg): SimResponse | undefined {
  if (!org.parentId) return undefined;
  return msg(
    400,
    `Users can only be deleted from the master organization. '${org.name}' is a business group: remove the user's permissions ` +
      `there instead.`,
    { organizationId: org.id },
  );
}

/**
 * The master organization lists every user; a business group only those holding a permission there (inferred from
 * https://docs.mulesoft.com/access-management/business-groups).
 */
function listUsers({ state, json }: ApiRouter, { req, org }: ApiContext): SimResponse {
  const type = req.query.get("type") ?? "host";
  if (!["host", "proxy", "all"].includes(type)) return msg(400, `type must be host, proxy or all, not '${type}'`);
  const withDeleted = req.query.get("deleted") === "true";
  const members = org.parentId ? state.membersOf(org.id) : undefined;
  const users = [...state.users.values()]
    .filter((u) => (withDeleted || !u.deleted) && (!members || members.has(u.id)) && type !== "proxy")
    .filter((u) => matches(req.query.get("search"), [u.username, u.firstName, u.lastName, u.email]))
    // Oldest first, in creation order (a stable order keeps pages from overlapping).
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return page(
    req,
    users.map((u) => json.user(u)),
  );
}

function createUser(r: ApiRouter, { req, org }: ApiContext): SimResponse {
  const { state, json } = r;
  if (org.parentId) return msg(400, `Users are created in the master organization, not in the business group '${org.name}'`);
  if (r.identityProvider === "external") {
    return msg(
      400,
      "This organization signs its users in through an external identity provider: users cannot be created with a password; " +
        "invite them (POST …/invites) or let them sign in through the identity provider",
    );
  }
  const b = (req.body ?? {}) as Record<string, unknown>;
  for (const f of ["username", "firstName", "lastName", "email", "password"])
    if (typeof b[f] !== "string" || !(b[f] as string).trim()) return msg(400, `${f} is required`);
  if (b.phoneNumber !== undefined && typeof b.phoneNumber !== "string") return msg(400, "phoneNumber must be a string");
  const username = b.username as string;
  if (/\s/.test(username)) return msg(400, "username must not contain spaces");
  if (!EMAIL.test(b.email as string)) return msg(400, "email is invalid");
  if (!/^(?=.*[A-Za-z])(?=.*\d).{8,}$/.test(b.password as string))
    return msg(400, "password must have at least 8 characters, with letters and numbers");
  if (state.usedUsernames.has(username.toLowerCase())) {
    // The platform answers "Username already exists" either way; the simulator says which case it is.
    return state.findUser(username)
      ? msg(409, "Username already exists", { reason: "exists" })
      : msg(409, "Username already exists: it belonged to a user who was deleted, and usernames are never reusable", { reason: "deleted" });
  }
  const user = state.addUser({
    username,
    email: b.email as string,
    firstName: b.firstName as string,
    lastName: b.lastName as string,
    phoneNumber: (b.phoneNumber as string) ?? "",
    password: b.password as string,
    idproviderId: "mulesoft",
  });
  return { status: 201, body: json.user(user) };
}

const UPDATABLE: Record<string, "string" | "boolean" | "object"> = {
  firstName: "string",
  lastName: "string",
  email: "string",
  phoneNumber: "string",
  enabled: "boolean",
  ipAllowlistExcluded: "boolean",
  properties: "object",
};

function updateUser({ json }: ApiRouter, { req, principal, user }: ApiContext): SimResponse {
  const b = req.body;
  if (!b || typeof b !== "object" || Array.isArray(b)) return msg(400, "Invalid data in body: a JSON object is expected");
  const body = b as Record<string, unknown>;
  for (const [key, type] of Object.entries(UPDATABLE))
    if (body[key] !== undefined && typeof body[key] !== type) return msg(400, `Invalid data in body: ${key} must be a ${type}`);
  if (typeof body.username === "string" && body.username.toLowerCase() !== user.username.toLowerCase())
    return msg(400, "Invalid data in body: the username cannot be changed");
  if (typeof body.email === "string" && !EMAIL.test(body.email)) return msg(400, "Invalid data in body: email is invalid");
  // A user changing their own email must sign in again (documented 403 body).
  if (principal.kind === "user" && principal.userId === user.id && typeof body.email === "string" && body.email !== user.email) {
    return { status: 403, body: { error: "You must reauthenticate", location: "/login/?reauthenticate=true" } };
  }
  const target = user as unknown as Record<string, unknown>;
  for (const key of ["firstName", "lastName", "email", "phoneNumber", "enabled"] as const)
    if (body[key] !== undefined) target[key] = body[key];
  (user as SimAnypointUser).updatedAt = new Date().toISOString();
  return { status: 200, body: json.user(user) };
}

/** POST …/invites: a list of {email, teams?, roles?}; answers the invites (200, a list, as the description has it). */
function invite({ state, json }: ApiRouter, { req, org }: ApiContext): SimResponse {
  if (org.parentId) return msg(400, "Bad request; invitations are sent from the master organization");
  const list = req.body;
  if (!Array.isArray(list) || !list.length) return msg(400, "Bad request; the body is a JSON array of invitations");
  const parsed: { email: string; grants: Pick<SimInvite, "teams" | "roles"> }[] = [];
  for (const item of list as Record<string, unknown>[]) {
    if (typeof item?.email !== "string" || !EMAIL.test(item.email)) return msg(400, "Bad request; each invitation needs a valid email");
    const teams = (Array.isArray(item.teams) ? item.teams : []) as { team_id?: string; membership_type?: string }[];
    const roles = (Array.isArray(item.roles) ? item.roles : []) as { role_id?: string; context_params?: { org?: string } }[];
    if (teams.some((t) => !state.teams.has(String(t.team_id)))) return msg(400, "Bad request; unknown team_id");
    if (roles.some((x) => !state.roles.has(String(x.role_id)) || !state.orgs.has(String(x.context_params?.org ?? org.id))))
      return msg(400, "Bad request; unknown role_id or context_params.org");
    parsed.push({
      email: item.email,
      grants: {
        teams: teams.map((t) => ({ teamId: t.team_id!, membershipType: t.membership_type === "maintainer" ? "maintainer" : "member" })),
        roles: roles.map((x) => ({ roleId: x.role_id!, orgId: x.context_params?.org ?? org.id })),
      },
    });
  }
  return { status: 200, body: parsed.map((p) => json.invite(state.invite(p.email, p.grants))) };
}
