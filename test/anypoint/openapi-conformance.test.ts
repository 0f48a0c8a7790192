// Conformance with MuleSoft's own OpenAPI description of Access Management: every request the
// client sent (through every API call rollcall makes) must match a documented operation and
// validate against it, and every answer of the simulator must use a documented status and
// validate against the documented response schema. Validation by openapi-backend (ajv).
import { OpenAPIBackend, type Operation } from "openapi-backend";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnypointClient } from "../../providers/anypoint/client";
import { AnypointSimulator, SIM_ANYPOINT_APP, SIM_ANYPOINT_VIEWER_APP } from "../../providers/anypoint/simulator";
import { readAnypointSettings } from "../../src/config";

/** MuleSoft's description lives in the shared folder beside the checkout (as CI lays it out), or where ROLLCALL_ANYPOINT_SPEC says. */
function findSpec(): string {
  if (process.env.ROLLCALL_ANYPOINT_SPEC) return process.env.ROLLCALL_ANYPOINT_SPEC;
  for (let dir = path.resolve(__dirname, "../.."); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared", "specs", "anypoint-access-management.openapi.yaml");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("anypoint-access-management.openapi.yaml not found in a shared/specs folder above the checkout; set ROLLCALL_ANYPOINT_SPEC to its path");
}
const SPEC = findSpec();

/**
 * Where the description is known to be wrong (see shared/reference/anypoint-api.md §8): these
 * parts of a validation result are ignored, every other one fails the test.
 */
const KNOWN_SPEC_DEFECTS: { operation: string; error: RegExp; why: string }[] = [
  { operation: "listUsers", error: /must have required property '(type|deleted|mfaVerificationExcluded)'/, why: "query parameters marked required by the RAML conversion; real clients omit them" },
  { operation: "listMe", error: /must have required property '(user|client)'/, why: "a token belongs to a user or to a connected app: the answer has `user` or `client`, never both" },
  { operation: "createUsersRoles", error: /must have required property '[0-9a-f-]{36}'/, why: "the example's role id became a required key of the body" },
  { operation: "listUsers", error: /^email_verified_at must be null$/, why: "types come from examples: null in the list's example, a date string in the single user's; the simulator sends the date" },
  { operation: "deleteUsersRoles", error: /must have required property 'envId'/, why: "business-group roles have no environment; envId applies to environment-scoped roles only" },
];

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
    else if (inSchema && (key === "allOf" || key === "oneOf" || key === "anyOf")) for (const p of value as unknown[]) relaxNestedRequired(p, depth, true, listItem);
    else if (!inSchema) relaxNestedRequired(value, depth, false);
  }
}

/** 401 and 403 come from the gateway and the security scheme; no operation lists them. */
const GATEWAY_STATUSES = new Set([401, 403]);

describe("Anypoint client and simulator against MuleSoft's OpenAPI description", () => {
  const sim = new AnypointSimulator({ seed: { businessGroups: [{ name: "Sales" }], teams: ["Approvers"], users: 3 } });
  const definition = parse(readFileSync(SPEC, "utf8"), { maxAliasCount: -1 });
  relaxNestedRequired(definition);
  const api = new OpenAPIBackend({ definition, quick: true, strict: false, validate: true });
  beforeAll(async () => {
    await Promise.all([sim.start(), api.init()]);
    const env = { ROLLCALL_ANYPOINT_URL: sim.url, ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId, ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret };
    const client = new AnypointClient(readAnypointSettings(() => undefined, env));
    // Every call rollcall makes, the happy paths and the refusals.
    const master = await client.masterOrganization();
    const sales = await client.businessGroupId("Sales");
    const roles = await client.listRoles(master.id);
    const viewer = roles.find((r) => r.name === "Exchange Viewer")!;
    const team = (await client.listTeams()).find((t) => t.name === "Approvers")!;
    await client.listUsers();
    const user = await client.createUser({ username: "conformance", email: "c@example.com", firstName: "Con", lastName: "Formance" });
    await client.updateUser(user.id, { enabled: false, firstName: "Conny" });
    await client.getUser(user.id);
    await client.assignRoles(sales, user.id, [viewer.id]);
    await client.listUserRoles(sales, user.id);
    await client.addTeamMember(team.id, user.id);
    await client.listUserTeams(user.id);
    await client.removeTeamMember(team.id, user.id);
    await client.removeBusinessGroupAccess(sales, user.id);
    await client.assignRoles(sales, user.id, [viewer.id]);
    await client.removeBusinessGroupMembers(sales, [user.id]);
    await client.deleteUser(user.id);
    await client.getUser(user.id); // 404
    await expect(client.createUser({ username: "conformance", email: "c@example.com", firstName: "C", lastName: "F" })).rejects.toThrow(/never reusable/); // 409
    const inviteId = await client.inviteUser("newcomer@example.com");
    await client.cancelInvite(inviteId);
    await client.cancelInvite(inviteId); // 400: no invite was deleted
    const others = (await client.listUsers()).map((u) => u.id);
    await client.deleteUsers(others.slice(0, 2));
    const readOnly = new AnypointClient(readAnypointSettings(() => undefined, { ...env, ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_VIEWER_APP.clientId, ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_VIEWER_APP.clientSecret }));
    await expect(readOnly.deleteUser(others[2]!)).rejects.toThrow(/Organization Administrator/); // 403
    await client.close();
    await readOnly.close();
  });
  afterAll(() => sim.stop());

  it("uses only documented operations, with valid requests, documented statuses and valid responses", () => {
    const violations: string[] = [];
    const seenOperations = new Set<string>();
    for (const r of sim.requests) {
      if (!r.path.startsWith("/accounts/api/")) {
        violations.push(`${r.method} ${r.path}: outside /accounts/api`);
        continue;
      }
      const request = { method: r.method.toLowerCase(), path: r.path.slice("/accounts/api".length), query: Object.fromEntries(new URLSearchParams(r.query)), headers: { authorization: "Bearer x", "content-type": "application/json" }, body: r.body };
      const op = api.matchOperation(request) as Operation | undefined;
      if (!op) {
        violations.push(`${r.method} ${r.path}: no such operation in the description`);
        continue;
      }
      seenOperations.add(op.operationId!);
      const known = (msg: string) => KNOWN_SPEC_DEFECTS.some((d) => d.operation === op.operationId && d.error.test(msg));
      for (const e of api.validateRequest(request, op).errors ?? []) if (!known(`${e.message}`)) violations.push(`${op.operationId} request: ${e.instancePath} ${e.message}`);
      const documented = Object.keys(op.responses ?? {});
      if (!documented.includes(String(r.status)) && !documented.includes("default") && !GATEWAY_STATUSES.has(r.status)) violations.push(`${op.operationId}: status ${r.status} not documented (${documented.join(", ")})`);
      if (r.status < 300 && r.response !== undefined) {
        for (const e of api.validateResponse(r.response, op, r.status).errors ?? []) if (!known(`${e.instancePath.split("/").pop()} ${e.message}`) && !known(`${e.message}`)) violations.push(`${op.operationId} response ${r.status}: ${e.instancePath} ${e.message}`);
      }
    }
    expect(violations).toEqual([]);
    // The calls above really exercised the surface rollcall depends on.
    expect([...seenOperations].length).toBeGreaterThanOrEqual(15);
  });
});
