// Role, role group and team routes of the Anypoint simulator: the permissions that make someone a
// member of a business group. Roles are assigned to a user with a context (`org`: the business
// group); legacy role groups belong to one organization; teams are root-level objects whose roles
// carry the business group in their context (the vendored description; https://docs.mulesoft.com/access-management/roles).
import { randomUUID } from "node:crypto";
import type { SimResponse } from "../harness";
import { matches, msg, page, type ApiContext, type ApiRouter } from "./simulator-http";
import type { SimTeam } from "./simulator-state";

const MEMBERSHIP_TYPES = ["member", "maintainer"];

export function registerAccessRoutes(r: ApiRouter): void {
  const { state, json } = r;

  // --- roles --------------------------------------------------------------------------------------
  r.api("GET", "/roles", {}, ({ req }) => {
    const name = req.query.get("name");
    const descending = req.query.get("ascending") === "false";
    const roles = [...state.roles.values()]
      .filter((x) => (!name || x.name === name) && matches(req.query.get("search"), [x.name]))
      .sort((a, b) => (descending ? -1 : 1) * a.name.localeCompare(b.name));
    return page(
      req,
      roles.map((x) => json.catalogRole(x.id)),
    );
  });
  // Direct assignments in this organization; role_groups=true / teams=true add the inherited ones.
  // Not paged: the description gives this list no offset/limit.
  r.api("GET", "/organizations/:org/users/:user/roles", {}, ({ req, org, user }) => {
    const out = state.roleAssignmentsOf(user.id, org.id).map((x) => json.role(x.role.id, org.id, x.envId));
    if (req.query.get("role_groups") === "true")
      for (const g of state.roleGroupsOf(user.id, org.id)) out.push(...g.roleIds.map((id) => json.role(id, org.id)));
    if (req.query.get("teams") === "true") {
      for (const t of state.teamsOf(user.id))
        for (const grant of t.roles) if (grant.endsWith(`|${org.id}`)) out.push(json.role(grant.split("|")[0]!, org.id));
    }
    const wanted = req.query.getAll("role_id");
    const data = wanted.length ? out.filter((x) => wanted.includes(x.role_id)) : out;
    return { status: 200, body: { data, total: data.length } };
  });
  // Bulk assign: {"<roleId>": {"org": "<orgId>"}, …}.
  r.api("POST", "/organizations/:org/users/:user/roles", { admin: true }, ({ req, org, user }) => {
    const body = req.body;
    if (!body || typeof body !== "object" || Array.isArray(body) || !Object.keys(body).length)
      return msg(400, "Invalid role_id or context_parameters: the body maps role ids to {org}");
    const grants = Object.entries(body as Record<string, { org?: unknown }>).map(([roleId, ctx]) => ({
      roleId,
      orgId: typeof ctx?.org === "string" ? ctx.org : org.id,
    }));
    const bad = grants.find((g) => !state.roles.has(g.roleId) || !state.orgs.has(g.orgId));
    if (bad) return msg(400, `Invalid role_id or context_parameters: ${bad.roleId} in ${bad.orgId}`);
    for (const g of grants) state.assign(user.id, g.roleId, g.orgId);
    return { status: 200 };
  });
  r.api("POST", "/organizations/:org/users/:user/roles/:role", { admin: true }, (ctx) => oneRole(r, ctx, true));
  // DELETE with a body {"org": …[, "envId": …]}; removing an assignment that is not there is a no-op.
  r.api("DELETE", "/organizations/:org/users/:user/roles/:role", { admin: true }, (ctx) => oneRole(r, ctx, false));

  // --- legacy role groups -----------------------------------------------------------------------------
  r.api("GET", "/organizations/:org/rolegroups", {}, ({ req, org }) =>
    page(
      req,
      [...state.roleGroups.values()].filter((g) => g.orgId === org.id).map((g) => json.roleGroup(g)),
    ),
  );
  r.api("GET", "/organizations/:org/users/:user/rolegroups", {}, ({ req, org, user }) =>
    page(
      req,
      state.roleGroupsOf(user.id, org.id).map((g) => json.roleGroup(g, state.userRoleGroups.get(`${user.id}|${g.id}`))),
    ),
  );
  r.api("POST", "/organizations/:org/users/:user/rolegroups/:group", { admin: true }, ({ req, org, user }) => {
    const group = state.roleGroups.get(req.params.group!);
    if (!group || group.orgId !== org.id) return msg(404, "Role group does not exist in this organization");
    if (!state.userRoleGroups.has(`${user.id}|${group.id}`)) state.userRoleGroups.set(`${user.id}|${group.id}`, randomUUID());
    return { status: 200 };
  });
  r.api("DELETE", "/organizations/:org/users/:user/rolegroups/:group", { admin: true }, ({ req, org, user }) => {
    const group = state.roleGroups.get(req.params.group!);
    if (!group || group.orgId !== org.id) return msg(404, "Role group does not exist in this organization");
    state.userRoleGroups.delete(`${user.id}|${group.id}`);
    return { status: 200 };
  });

  // --- teams (root-level; any organization of the tree answers with the root's teams, inferred) ---------
  r.api("GET", "/organizations/:org/teams", {}, ({ req }) => {
    const teams = [...state.teams.values()].filter((t) => matches(req.query.get("search"), [t.name])).sort(byName(req));
    return page(
      req,
      teams.map((t) => json.team(t)),
    );
  });
  r.api("GET", "/organizations/:org/users/:user/teams", {}, ({ req, user }) =>
    page(
      req,
      state
        .teamsOf(user.id)
        .sort(byName(req))
        .map((t) => json.userTeam(t, user.id)),
    ),
  );
  r.api("GET", "/organizations/:org/teams/:team/roles", {}, (ctx) =>
    withTeam(r, ctx, (team) =>
      page(
        ctx.req,
        [...team.roles].map((g) => json.teamRole(g)),
      ),
    ),
  );
  r.api("GET", "/organizations/:org/teams/:team/members", {}, (ctx) =>
    withTeam(r, ctx, (team) => {
      const types = ctx.req.query.getAll("membership_type").flatMap((t) => t.split(","));
      const members = [...team.members]
        .map((id) => json.teamMember(team, id))
        .filter((m) => (!types.length || types.includes(m.membership_type)) && matches(ctx.req.query.get("search"), [m.name]));
      return page(ctx.req, members);
    }),
  );
  r.api("PUT", "/organizations/:org/teams/:team/members/:member", { admin: true }, (ctx) =>
    withTeamMember(r, ctx, (team, userId) => {
      const type = (ctx.req.body as { membership_type?: unknown } | undefined)?.membership_type;
      // Team endpoints validate like ajv/RAML: {errors:[…]} (github.com/mulesoft-anypoint/anypoint-client-go, team/api/openapi.yaml).
      if (typeof type !== "string" || !MEMBERSHIP_TYPES.includes(type)) {
        return {
          status: 400,
          body: {
            errors: [
              {
                type: "body",
                dataPath: ".membership_type",
                keyword: "enum",
                schema: MEMBERSHIP_TYPES,
                data: type ?? null,
                message: "should be equal to one of the allowed values: member, maintainer",
              },
            ],
          },
        };
      }
      state.joinTeam(team.id, userId, type as "member" | "maintainer");
      return { status: 204 };
    }),
  );
  r.api("DELETE", "/organizations/:org/teams/:team/members/:member", { admin: true }, (ctx) =>
    withTeamMember(r, ctx, (team, userId) => {
      if (team.viaExternalGroups.has(userId))
        return msg(400, "This membership comes from the identity provider's group mappings; remove the person from the group there");
      state.leaveTeam(team.id, userId);
      return { status: 204 };
    }),
  );
}

function oneRole({ state }: ApiRouter, { req, org, user }: ApiContext, assign: boolean): SimResponse {
  const roleId = req.params.role!;
  if (!state.roles.has(roleId)) return msg(404, "Role does not exist");
  const ctx = (req.body ?? {}) as { org?: unknown; envId?: unknown };
  const orgId = typeof ctx.org === "string" ? ctx.org : org.id;
  const envId = typeof ctx.envId === "string" ? ctx.envId : undefined;
  if (!state.orgs.has(orgId)) return msg(400, `Invalid role_id or context_parameters: no organization ${orgId}`);
  if (assign) state.assign(user.id, roleId, orgId, envId);
  else state.unassign(user.id, roleId, orgId, envId);
  return { status: 200 };
}

function withTeam({ state }: ApiRouter, { req }: ApiContext, handler: (team: SimTeam) => SimResponse): SimResponse {
  const team = state.teams.get(req.params.team!);
  return team ? handler(team) : msg(404, "Team does not exist");
}

/** The member must be a user: a team id gets the documented 405, an unknown id 404. */
function withTeamMember(r: ApiRouter, ctx: ApiContext, handler: (team: SimTeam, userId: string) => SimResponse): SimResponse {
  return withTeam(r, ctx, (team) => {
    const id = ctx.req.params.member!;
    if (r.state.teams.has(id))
      return msg(405, "The member id is for a team. Use the endpoints directly on the team to move it or delete it");
    if (!r.state.activeUser(id)) return msg(404, "User does not exist");
    return handler(team, id);
  });
}

function byName(req: ApiContext["req"]) {
  const descending = req.query.get("ascending") === "false";
  return (a: SimTeam, b: SimTeam) => (descending ? -1 : 1) * a.name.localeCompare(b.name);
}
