// The Anypoint resource model through the real engine: one resource per platform user, adoption
// only on username + email, no grant of a role a person already holds, reads that grow with pages
// rather than people, and the move of a stack deployed with the old two-kind model (one
// AnypointBusinessGroupAccess per person × business group) without a single mutating call.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedRequest } from "../../src/sim/harness";
import { mutatingRequests } from "../../src/sim/harness";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const USER = "pulumi-nodejs:dynamic/rollcall:AnypointUser";
const LEGACY = "pulumi-nodejs:dynamic/rollcall:AnypointBusinessGroupAccess";
const PARALLEL = ["--parallel", "64"];
const name = (i: number) => `user${String(i).padStart(4, "0")}`;
const declared = (i: number): TestPerson => ({
  key: name(i),
  firstName: "First",
  lastName: "Last",
  anypoint: {
    username: name(i),
    businessGroups: { Sales: { roles: ["Exchange Viewer"], teams: ["Approvers"] }, Engineering: { roles: ["API Creator"] } },
  },
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** Requests by "METHOD path-with-ids-as-:id", for the figures a run prints. */
function byEndpoint(requests: RecordedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    const key = `${r.method} ${r.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/g, ":id").replace(/\?.*/, "")}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe("Anypoint adoption and reads through the real engine", () => {
  let f: AnypointStackFixture;
  const s = () => f.anypoint.state;
  beforeAll(async () => {
    // 80 existing users; the first 40 already hold part of what users.yaml will declare.
    f = await platformsStack(
      "apmodel",
      { seed: { businessGroups: [{ name: "Sales" }, { name: "Engineering" }], teams: ["Approvers"], users: 80 } },
      { PULUMI_SKIP_CHECKPOINTS: "true" },
    );
    for (const i of range(0, 80)) {
      const id = s().findUser(name(i))!.id;
      s().assign(id, s().roleByName("Exchange Viewer")!.id, s().orgByName("Sales")!.id);
      if (i % 2 === 0) s().assign(id, s().roleByName("API Creator")!.id, s().orgByName("Engineering")!.id);
      if (i % 4 === 0) s().joinTeam(s().teamByName("Approvers")!.id, id);
    }
  });
  afterAll(async () => f?.dispose());

  it("adopts 40 people without creating a user and grants only what each is missing", async () => {
    f.writeUsers(usersYaml(range(0, 40).map(declared)));
    f.anypoint.server.clearLog();
    expectOk(await f.stack.up(PARALLEL), "pulumi up");
    const mutating = mutatingRequests(f.anypoint.requests);
    console.log(`adopting 40 people: ${f.anypoint.requests.length} requests, ${mutating.length} mutating`, byEndpoint(mutating));
    const anypointState = (await f.stack.exportState()).deployment.resources!.filter((r) => r.type === USER || r.type === LEGACY);
    console.log(
      `state: ${anypointState.length} Anypoint resources for 40 people, ${Math.round(JSON.stringify(anypointState).length / 40)} bytes per person`,
    );
    expect(f.anypoint.requests.filter((r) => r.method === "POST" && r.path.endsWith("/users"))).toEqual([]);
    const rolePosts = mutating.filter((r) => r.method === "POST" && r.path.endsWith("/roles"));
    // Only the odd-numbered people lack API Creator in Engineering; nobody lacks Exchange Viewer in Sales.
    const engineering = `/accounts/api/organizations/${s().orgByName("Engineering")!.id}/users/`;
    expect(rolePosts.map((r) => r.path).sort()).toEqual(
      range(0, 40)
        .filter((i) => i % 2 === 1)
        .map((i) => `${engineering}${s().findUser(name(i))!.id}/roles`)
        .sort(),
    );
    const teamPuts = mutating.filter((r) => r.method === "PUT" && r.path.includes("/teams/"));
    expect(teamPuts).toHaveLength(30); // every fourth person was already an Approver
    expect(mutating.filter((r) => r.method === "DELETE")).toEqual([]);
    for (const i of range(0, 40)) {
      const id = s().findUser(name(i))!.id;
      expect(
        s()
          .rolesOf(id, s().orgByName("Engineering")!.id)
          .map((r) => r.name),
      ).toEqual(["API Creator"]);
      expect(s().teamByName("Approvers")!.members.has(id)).toBe(true);
    }
    const users = await f.resources(USER);
    expect(users).toHaveLength(40);
    expect(users.every((u) => u.outputs!.adopted === true)).toBe(true);
    expect(await f.resources(LEGACY)).toEqual([]);
  });

  it("refresh reads users, team members and role assignments as listings: doubling the people adds no call", async () => {
    f.anypoint.server.clearLog();
    expectOk(await f.stack.refresh(), "pulumi refresh");
    const reads40 = f.anypoint.requests.filter((r) => r.method === "GET");
    expect(mutatingRequests(f.anypoint.requests)).toEqual([]);

    f.writeUsers(usersYaml(range(0, 80).map(declared)));
    expectOk(await f.stack.up(PARALLEL), "pulumi up");
    f.anypoint.server.clearLog();
    expectOk(await f.stack.refresh(), "pulumi refresh");
    const reads80 = f.anypoint.requests.filter((r) => r.method === "GET");
    console.log(`refresh GETs: 40 people ${reads40.length}, 80 people ${reads80.length}`, byEndpoint(reads80));
    // No GET of one user, of one user's teams, or of a team per person: those come from listings.
    const perPerson = (r: RecordedRequest) => /\/users\/[^/]+$/.test(r.path.replace(/\?.*/, "")) || /\/users\/[^/]+\/teams/.test(r.path);
    expect(reads80.filter(perPerson)).toEqual([]);
    // Role assignments come from one search per business group; one by one only the sample (at least 5 per group, 1 % beyond 500).
    const roleReads = reads80.filter((r) => /\/users\/[^/]+\/roles$/.test(r.path.replace(/\?.*/, "")));
    expect(roleReads).toHaveLength(5 * 2);
    expect(reads80.length).toBe(reads40.length);
    expect(mutatingRequests(f.anypoint.requests)).toEqual([]);
  });

  it("an existing username with another email is refused naming both, and that account is left alone", async () => {
    const stranger = s().addUser({ username: "zed.acme", email: "zed.stranger@example.org" });
    f.writeUsers(
      usersYaml([
        ...range(0, 80).map(declared),
        {
          key: "zed",
          email: "zed@example.com",
          anypoint: { username: "zed.acme", businessGroups: { Sales: { roles: ["Exchange Viewer"] } } },
        },
      ]),
    );
    f.anypoint.server.clearLog();
    const up = await f.stack.up();
    expect(up.code).not.toBe(0);
    const out = `${up.stdout}${up.stderr}`;
    // The program's identity check refuses it in preview; the provider refuses it too (defence in depth).
    expect(out).toMatch(/'zed\.acme' already belongs to (a user with email 'zed\.stranger@example\.org'|zed\.stranger@example\.org)/);
    expect(out).toContain("zed@example.com");
    expect(f.anypoint.requests.filter((r) => r.path.includes(stranger.id) && r.method !== "GET")).toEqual([]);
    expect(s().activeUser(stranger.id)!.email).toBe("zed.stranger@example.org");
    expect(s().rolesOf(stranger.id, s().orgByName("Sales")!.id)).toEqual([]);
  });
});

describe("Migrating a stack deployed with the old AnypointBusinessGroupAccess model", () => {
  let f: AnypointStackFixture;
  const s = () => f.anypoint.state;
  const people: TestPerson[] = [
    {
      key: "ada",
      anypoint: {
        businessGroups: { Sales: { roles: ["Exchange Viewer"], teams: ["Approvers"] }, Engineering: { roles: ["API Creator"] } },
      },
    },
    { key: "bob", anypoint: { businessGroups: { Sales: { roles: ["Exchange Contributor"] } } } },
  ];
  beforeAll(async () => {
    f = await platformsStack("apmigrate", { seed: { businessGroups: [{ name: "Sales" }, { name: "Engineering" }], teams: ["Approvers"] } });
    f.writeUsers(usersYaml(people));
    expectOk(await f.stack.up(), "pulumi up");
  });
  afterAll(async () => f?.dispose());

  /** Rewrites the state into the old model's shape: users without businessGroups, one access resource per person × group. */
  async function writeOldModelState(): Promise<void> {
    const exported = (await f.stack.exportState()) as unknown as { deployment: { resources: Record<string, unknown>[] } };
    const resources: Record<string, unknown>[] = [];
    for (const r of exported.deployment.resources) {
      resources.push(r);
      if (r.type !== USER) continue;
      const inputs = r.inputs as Record<string, unknown>;
      const outputs = r.outputs as Record<string, unknown>;
      const groups = inputs.businessGroups as Record<string, { roles: string[]; teams: string[] }>;
      delete inputs.businessGroups;
      delete outputs.businessGroups;
      const shim = String(inputs.__provider).replace(/"AnypointUser"/g, '"AnypointBusinessGroupAccess"');
      expect(shim).toContain('"AnypointBusinessGroupAccess"');
      for (const [group, grant] of Object.entries(groups)) {
        const orgId = s().orgByName(group)!.id;
        const access = {
          __provider: shim,
          username: inputs.username,
          userId: outputs.userId,
          businessGroup: group,
          roles: grant.roles,
          teams: grant.teams,
        };
        const key = String(r.urn).split("::").pop();
        resources.push({
          ...r,
          urn: String(r.urn).replace(/AnypointUser::[^:]+$/, `AnypointBusinessGroupAccess::${key}@${group}`),
          type: LEGACY,
          id: `${String(outputs.userId)}@${orgId}`,
          inputs: access,
          outputs: { ...access, businessGroupId: orgId },
          dependencies: [r.urn],
          propertyDependencies: { userId: [r.urn] },
          deletedWith: r.urn,
        });
      }
    }
    const anypointBytes = (rs: Record<string, unknown>[]) => JSON.stringify(rs.filter((r) => r.type === USER || r.type === LEGACY)).length;
    console.log(
      `state per person: new model ${Math.round(anypointBytes(exported.deployment.resources) / people.length)} bytes, old model ${Math.round(anypointBytes(resources) / people.length)} bytes`,
    );
    exported.deployment.resources = resources;
    const file = path.join(f.dir, "old-model.json");
    writeFileSync(file, JSON.stringify(exported));
    expectOk(await f.stack.run(["stack", "import", "--file", file]), "pulumi stack import");
  }

  it("an up after the upgrade sends no mutating call, keeps everyone's access, and leaves one resource per person", async () => {
    await writeOldModelState();
    expect((await f.resources(LEGACY)).map((r) => r.urn.split("::").pop()).sort()).toEqual(["ada@Engineering", "ada@Sales", "bob@Sales"]);
    const before = s().memberships();
    f.anypoint.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    expect(mutatingRequests(f.anypoint.requests)).toEqual([]);
    expect(s().memberships()).toEqual(before);
    expect(await f.resources(LEGACY)).toEqual([]);
    const users = await f.resources(USER);
    expect(Object.fromEntries(users.map((u) => [u.urn.split("::").pop(), u.outputs!.businessGroups]))).toEqual({
      ada: { Engineering: { roles: ["API Creator"], teams: [] }, Sales: { roles: ["Exchange Viewer"], teams: ["Approvers"] } },
      bob: { Sales: { roles: ["Exchange Contributor"], teams: [] } },
    });
    f.anypoint.server.clearLog();
    expectOk(await f.stack.up(["--expect-no-changes"]), "pulumi up --expect-no-changes");
    expect(mutatingRequests(f.anypoint.requests)).toEqual([]);
  });

  it("a business group dropped in the same change as the upgrade is still removed", async () => {
    await writeOldModelState();
    const bob = s().findUser("bob.acme")!;
    const ada = s().findUser("ada.acme")!;
    f.writeUsers(usersYaml([people[0]!, { key: "bob", anypoint: { businessGroups: { Engineering: { roles: ["API Creator"] } } } }]));
    f.anypoint.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    const sales = `/accounts/api/organizations/${s().orgByName("Sales")!.id}`;
    expect(
      mutatingRequests(f.anypoint.requests)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual([`DELETE ${sales}/members`, `POST /accounts/api/organizations/${s().orgByName("Engineering")!.id}/users/${bob.id}/roles`]);
    expect(s().rolesOf(bob.id, s().orgByName("Sales")!.id)).toEqual([]);
    expect(
      s()
        .rolesOf(ada.id, s().orgByName("Sales")!.id)
        .map((r) => r.name),
    ).toEqual(["Exchange Viewer"]);
  });
});
