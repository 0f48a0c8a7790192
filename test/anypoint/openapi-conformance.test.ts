// Conformance with MuleSoft's own OpenAPI description of Access Management (OAS 3.0, converted
// from RAML, 1.6 MB): every request AnypointClient sent (through every call rollcall makes, the
// happy paths and the refusals) must match a documented operation and validate against it, and
// every answer of the simulator must use a documented status and validate against the documented
// schema for that status. Validation by openapi-backend (ajv), which compiles this spec as is.
// Where the description is known to be wrong, or where the simulator knowingly departs from it,
// the exception is listed below with the reason; anything else fails the test.
import { OpenAPIBackend, type Operation } from "openapi-backend";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnypointClient } from "../../src/providers/anypoint/client";
import { searchRoleAssignments } from "../../src/providers/anypoint/role-search";
import { createAnypointSimulator, SIM_ANYPOINT_VIEWER_APP } from "../../src/sim/anypoint/simulator";
import type { RecordedRequest } from "../../src/sim/harness";
import { appConnection, wire } from "./support";

/** MuleSoft's description, vendored with its Apache-2.0 notice (test/vendor/anypoint/NOTICE.md): the test reads nothing outside the checkout. */
const SPEC_PATH = path.resolve(__dirname, "../vendor/anypoint/anypoint-access-management.openapi.yaml");

/** Where the description is wrong (test/vendor/anypoint/NOTICE.md): these validation errors are ignored. */
const KNOWN_SPEC_DEFECTS: { operation: string; error: RegExp; why: string }[] = [
  {
    operation: "listUsers",
    error: /must have required property '(type|deleted|mfaVerificationExcluded)'/,
    why: "query parameters marked required by the RAML conversion; real clients omit them",
  },
  ...["getUsers", "updateOrganizationUser", "createRolesUsersSearch"].map((operation) => ({
    operation,
    error: /^(data\/\d+\/)?lastLogin must be string$/,
    why: "a required string, but the description never says what it holds before a user's first sign-in; the simulator answers null there (read as never signed in)",
  })),
  {
    operation: "listUsers",
    error: /^email_verified_at must be null$/,
    why: "types come from examples: null in the list's example, a date string in the single user's; the simulator sends the date",
  },
  {
    operation: "listMe",
    error: /must have required property '(user|client)'/,
    why: "a token belongs to a user or to a connected app: the answer has `user` or `client`, never both",
  },
  {
    operation: "createUsersRoles",
    error: /must have required property '[0-9a-f-]{36}'/,
    why: "the example's role id became a required key of the body",
  },
  {
    operation: "deleteUsersRoles",
    error: /must have required property 'envId'/,
    why: "business-group roles have no environment; envId applies to environment-scoped roles only",
  },
  {
    operation: "listUsersRolegroups",
    error: /query must NOT have additional properties/,
    why: "offset/limit are missing from the description; the Go client and the Terraform provider page with them",
  },
  {
    operation: "listRolegroups",
    error: /query must NOT have additional properties/,
    why: "offset/limit are missing from the description; the UI sends them (recorded HAR)",
  },
  {
    operation: "listRolegroups",
    error: /must have required property 'user_role_group_id'/,
    why: "the org-level list was given the user-level item schema; a role group of an organization has no user assignment id",
  },
  {
    operation: "listTeamsMembers",
    error: /must NOT have additional properties/,
    why: "the person's name is `team_name` in the description and `name` in the Go client the Terraform provider uses; the simulator sends both",
  },
  {
    operation: "getOrganizations",
    error: /parentOrganizationIds\/\d+ must be object/,
    why: "ancestor ids are strings (recorded responses); the converter typed the empty example array's items as objects",
  },
];

/** Where the simulator answers with a status the description does not list for the operation, knowingly. */
const SIMULATOR_DEVIATIONS: { operation: string; status: number; why: string }[] = [
  {
    operation: "deleteOrganizationUser",
    status: 400,
    why: "delete refused on a business group: only the master organization deletes (https://help.salesforce.com/s/articleView?id=001114957); the live status is unverified",
  },
  { operation: "deleteUsers", status: 400, why: "bulk delete refused on a business group, as for deleteOrganizationUser" },
];

/** 401 and 403 come from the gateway and the security scheme; the operations do not list them. */
const GATEWAY_STATUSES = new Set([401, 403]);

/**
 * The conversion from RAML also marked every property of every example as required, down to the
 * organization's entitlements. The simulator provides every property the description requires at
 * the top level of an answer and of each list item; deeper `required` lists are dropped here.
 */
function relaxNestedRequired(node: unknown, depth = 0, inSchema = false, listItem = false): void {
  if (!node || typeof node !== "object") return;
  const obj = node as Record<string, unknown>;
  const keep = depth === 0 || (depth === 1 && listItem);
  if (inSchema && !keep && Array.isArray(obj.required)) delete obj.required;
  for (const [key, value] of Object.entries(obj)) {
    if (key === "schema" && !inSchema) relaxNestedRequired(value, 0, true);
    else if (inSchema && key === "properties") for (const p of Object.values(value as object)) relaxNestedRequired(p, depth + 1, true);
    else if (inSchema && key === "items") relaxNestedRequired(value, depth, true, true);
    else if (inSchema && (key === "allOf" || key === "oneOf" || key === "anyOf"))
      for (const p of value as unknown[]) relaxNestedRequired(p, depth, true, listItem);
    else if (!inSchema) relaxNestedRequired(value, depth, false);
  }
}

describe("Anypoint client and simulator against MuleSoft's OpenAPI description", () => {
  const sim = createAnypointSimulator({
    seed: {
      businessGroups: ["Sales"],
      roleGroups: [{ name: "Sales Auditors", org: "Sales", roles: ["Exchange Viewer"] }],
      teams: ["Approvers", { name: "Sales Reviewers", roles: [{ org: "Sales", role: "Exchange Viewer" }] }],
      users: [
        { username: "admin.user", password: "Secret-123", roles: [{ role: "Organization Administrator" }] },
        { username: "u1" },
        { username: "u2" },
        { username: "u3" },
      ],
    },
  });
  const definition = parse(readFileSync(SPEC_PATH, "utf8"), { maxAliasCount: -1 });
  relaxNestedRequired(definition);
  const api = new OpenAPIBackend({ definition, quick: true, strict: false, validate: true });

  /** Every problem with one recorded exchange, known defects and deviations excepted. */
  function violationsOf(r: RecordedRequest): { operationId?: string; problems: string[] } {
    // Login is served at /accounts/login; the description lists it under the /accounts/api base.
    const apiPath =
      r.path === "/accounts/login" ? "/login" : r.path.startsWith("/accounts/api/") ? r.path.slice("/accounts/api".length) : undefined;
    if (!apiPath) return { problems: [`${r.method} ${r.path}: outside /accounts/api`] };
    const request = {
      method: r.method.toLowerCase(),
      path: apiPath,
      query: Object.fromEntries(new URLSearchParams(r.query)),
      headers: { authorization: "Bearer x", "content-type": "application/json" },
      body: r.body,
    };
    const op = api.matchOperation(request) as Operation | undefined;
    if (!op) return { problems: [`${r.method} ${r.path}: no such operation in the description`] };
    const id = op.operationId!;
    const known = (text: string) => KNOWN_SPEC_DEFECTS.some((d) => d.operation === id && d.error.test(text));
    const problems: string[] = [];
    for (const e of api.validateRequest(request, op).errors ?? [])
      if (!known(`${e.instancePath} ${e.message}`) && !known(`${e.message}`))
        problems.push(`${id} request: ${e.instancePath} ${e.message}`);
    const documented = Object.keys(op.responses ?? {});
    const deviation = SIMULATOR_DEVIATIONS.some((d) => d.operation === id && d.status === r.status);
    if (!documented.includes(String(r.status)) && !GATEWAY_STATUSES.has(r.status) && !deviation)
      problems.push(`${id}: status ${r.status} not documented (${documented.join(", ")})`);
    if (r.response !== undefined && documented.includes(String(r.status))) {
      for (const e of api.validateResponse(r.response, op, r.status).errors ?? []) {
        const field = `${e.instancePath.split("/").pop()} ${e.message}`;
        if (!known(field) && !known(`${e.instancePath} ${e.message}`) && !known(`${e.message}`))
          problems.push(`${id} response ${r.status}: ${e.instancePath} ${e.message}`);
      }
    }
    return { operationId: id, problems };
  }

  beforeAll(async () => {
    await Promise.all([sim.start(), api.init()]);
    const client = new AnypointClient(appConnection(sim));
    const person = new AnypointClient({ url: sim.url, username: "admin.user", password: "Secret-123" });
    const readOnly = new AnypointClient(appConnection(sim, SIM_ANYPOINT_VIEWER_APP));
    // Every call rollcall makes, the happy paths and the refusals.
    await person.me();
    await client.me();
    const master = await client.masterOrganization();
    const sales = await client.businessGroupId("Sales");
    const viewer = (await client.listRoles(master.id)).find((r) => r.name === "Exchange Viewer")!;
    const approvers = (await client.listTeams()).find((t) => t.name === "Approvers")!;
    const reviewers = (await client.listTeams()).find((t) => t.name === "Sales Reviewers")!;
    await client.listUsers();
    await client.findUserByUsername("u1");
    const user = await client.createUser({ username: "conformance", email: "c@example.com", firstName: "Con", lastName: "Formance" });
    await client.updateUser(user.id, { enabled: false, firstName: "Conny" });
    await client.getUser(user.id);
    await client.assignRoles(sales, user.id, [viewer.id]);
    await client.listUserRoles(sales, user.id);
    // An environment-scoped assignment too, so the search's answer carries context_params.envId.
    sim.state.assign(
      user.id,
      sim.state.roleByName("API Manager Environment Administrator")!.id,
      sales,
      "9a1c3f0e-2b4d-4e6f-8a0b-1c2d3e4f5a6b",
    );
    expect(await searchRoleAssignments(client, sales)).toBeInstanceOf(Map);
    const [auditors] = await client.listRoleGroups(sales);
    await client.assignRoleGroup(sales, user.id, auditors!.id);
    await client.listUserRoleGroups(sales, user.id);
    await client.addTeamMember(approvers.id, user.id);
    await client.addTeamMember(reviewers.id, user.id);
    await client.listTeamMembers(approvers.id);
    await client.listUserTeams(user.id);
    await client.removeTeamMember(approvers.id, user.id);
    await client.removeAllBusinessGroupPermissions(sales, user.id);
    await client.assignRoles(sales, user.id, [viewer.id]);
    await client.removeBusinessGroupMembers(sales, [user.id]);
    await client.deleteUser(user.id);
    await client.getUser(user.id); // 404
    await client.deleteUser(user.id); // 404
    await expect(client.createUser({ username: "conformance", email: "c@example.com", firstName: "C", lastName: "F" })).rejects.toThrow(
      /never reusable/,
    ); // 409
    const inviteId = await client.inviteUser("newcomer@example.com", { teams: [{ teamId: approvers.id }] });
    await client.cancelInvite(inviteId);
    await client.cancelInvite(inviteId); // 400: no invite was deleted
    const others = ["u1", "u2"].map((u) => sim.state.findUser(u)!.id);
    await client.deleteUsers(others);
    await expect(readOnly.deleteUser(sim.state.findUser("u3")!.id)).rejects.toThrow(/Organization Administrator/); // 403
    // Refusals a client of rollcall's never provokes, answered by the simulator all the same.
    const w = wire(sim);
    const token = await w.token();
    await w.send("DELETE", `${w.org("Sales")}/users/${sim.state.findUser("u3")!.id}`, { token }); // 400: business group
    await w.send("DELETE", `${w.org("Sales")}/users`, { token, body: [sim.state.findUser("u3")!.id] }); // 400: business group
    await w.send("GET", "/accounts/api/organizations/nope/hierarchy", { token }); // 400: unknown organization
    await w.send("GET", w.org("Sales"), { token }); // a business group: ancestors in parentOrganizationIds
    await w.send("GET", `${w.org()}/users?limit=10&offset=0`, { token });
    const reauth = {
      firstName: "A",
      lastName: "U",
      email: "new@example.com",
      phoneNumber: "",
      enabled: true,
      ipAllowlistExcluded: false,
      properties: {},
    };
    await w.send("PUT", `${w.org()}/users/${sim.state.findUser("admin.user")!.id}`, {
      token: await w.login("admin.user", "Secret-123"),
      body: reauth,
    }); // 403 reauthenticate
    await Promise.all([client.close(), person.close(), readOnly.close()]);
  });
  afterAll(() => sim.stop());

  it("uses only documented operations, with valid requests, documented statuses and valid responses", () => {
    const violations = sim.requests.flatMap((r) => violationsOf(r).problems);
    expect(violations).toEqual([]);
    // The calls above really exercised the surface rollcall depends on.
    const seen = new Set(sim.requests.map((r) => violationsOf(r).operationId));
    for (const op of [
      "createV2Oauth2Token",
      "createLogin",
      "listMe",
      "listHierarchy",
      "getOrganizations",
      "listUsers",
      "createUsers",
      "getUsers",
      "updateOrganizationUser",
      "deleteOrganizationUser",
      "deleteUsers",
      "listRoles",
      "listUsersRoles",
      "createUsersRoles",
      "deleteUsersRoles",
      "listRolegroups",
      "listUsersRolegroups",
      "createUsersRolegroups",
      "deleteUsersRolegroups",
      "listTeams",
      "listUsersTeams",
      "listTeamsMembers",
      "listTeamsRoles",
      "updateOrganizationTeamMember",
      "removeOrganizationTeamMember",
      "deleteMembers",
      "createOrganizationInvite",
      "deleteOrganizationInvites",
      "createRolesUsersSearch",
    ]) {
      expect(seen, op).toContain(op);
    }
  });

  it("is not vacuous: a wrong request or a wrong answer is reported", () => {
    const base = sim.requests.find((r) => r.method === "POST" && r.path.endsWith("/users") && r.status === 201)!;
    const badRequest = { ...base, body: { ...(base.body as object), email: 42 } };
    expect(violationsOf(badRequest).problems.join("\n")).toMatch(/createUsers request: \/requestBody\/email must be string/);
    const list = sim.requests.find((r) => r.method === "GET" && /\/users$/.test(r.path) && r.status === 200)!;
    const badAnswer = { ...list, response: { data: [{ id: 1 }], total: "many" } };
    expect(violationsOf(badAnswer).problems).toEqual([expect.stringMatching(/^listUsers response 200: /)]);
    expect(violationsOf({ ...list, status: 418 }).problems).toEqual([expect.stringMatching(/listUsers: status 418 not documented/)]);
  });
});
