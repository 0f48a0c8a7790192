// Role assignments by search (POST /accounts/api/roles/users/search) against the simulator over
// real HTTP: pages of 500, the simulator's request checks and its 429, and the reader's "trust, but
// verify" — the sample agrees (no warning), the search drops an assignment or is refused (one
// warning, then one read per person), and one person with roles in three business groups, one of
// them scoped to an environment, read the same way with the search and without it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AnypointClient, type RoleAssignment } from "../../src/providers/anypoint/client";
import { RoleAssignmentReader } from "../../src/providers/anypoint/role-reader";
import { searchRoleAssignments } from "../../src/providers/anypoint/role-search";
import { createAnypointSimulator } from "../../src/sim/anypoint/simulator";
import { appConnection, wire } from "./support";

const SEARCH = "/accounts/api/roles/users/search";
const ENV = "5f1c8a2e-3b4d-4c6e-9f0a-1b2c3d4e5f60";
const GROUPS = ["Sales", "Engineering", "Support"];

describe("Anypoint role assignments by search", () => {
  const sim = createAnypointSimulator({ idleTimeoutSeconds: 120 });
  let client: AnypointClient;
  const s = () => sim.state;
  const org = (name: string) => s().orgByName(name)!.id;
  const role = (name: string) => s().roleByName(name)!.id;
  const id = (username: string) => s().findUser(username)!.id;
  const searches = () => sim.requests.filter((r) => r.method === "POST" && r.path === SEARCH);
  const perPerson = () => sim.requests.filter((r) => r.method === "GET" && /\/users\/[^/]+\/roles$/.test(r.path));
  const names = (roles: RoleAssignment[]) => roles.map((r) => `${r.name}${r.envId ? `@${r.envId}` : ""}`).sort();
  const reader = (search: boolean, warnings: string[]) =>
    new RoleAssignmentReader(client, {
      search,
      warn: (m) => warnings.push(m),
      people: async () => new Map([...s().users.values()].filter((u) => !u.deleted).map((u) => [u.id, u.username] as const)),
    });

  beforeAll(async () => {
    // 1,100 people with a role in Sales; 'multi' also holds roles in Engineering and Support, one of
    // them scoped to an environment; Support has only 3 people, so every one of them is in its sample.
    sim.seedOrganization({ businessGroups: GROUPS, users: 1100 });
    for (let i = 0; i < 1100; i++) s().assign(id(`user${String(i).padStart(4, "0")}`), role("Exchange Viewer"), org("Sales"));
    s().seed({
      users: [
        {
          username: "multi",
          roles: [
            { org: "Sales", role: "API Creator" },
            { org: "Engineering", role: "Exchange Contributor" },
            { org: "Support", role: "Business Group Viewer" },
            { org: "Support", role: "API Manager Environment Administrator", envId: ENV },
          ],
        },
        { username: "helper1", roles: [{ org: "Support", role: "Exchange Viewer" }] },
        { username: "helper2", roles: [{ org: "Support", role: "Exchange Viewer" }] },
      ],
    });
    await sim.start();
    client = new AnypointClient(appConnection(sim));
  });
  beforeEach(() => {
    sim.server.clearLog();
    sim.server.clearFaults();
    s().searchOmits.clear();
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  it("reads a business group in pages of 500, sorted by id, as the description's request schema has it", async () => {
    const found = await searchRoleAssignments(client, org("Sales"));
    if (!(found instanceof Map)) throw new Error(`refused ${found.refused}`);
    expect(found.size).toBe(1101);
    expect(searches().map((r) => r.body)).toEqual(
      [0, 500, 1000].map((offset) => [
        {
          name: "expression",
          operator: "OR",
          operands: [{ org_id: org("Sales"), context_params: { org: org("Sales") }, match_type: "partial" }],
        },
        { name: "pagination", limit: 500, offset },
        { name: "sort", order: "ASC", field: "id" },
      ]),
    );
    expect(names(found.get(id("multi"))!)).toEqual(["API Creator"]);
  });

  it("the simulator refuses a body outside the schema and matches operands as its comment says", async () => {
    const w = wire(sim);
    const token = await w.token();
    const send = (body: unknown) =>
      w.send<{ data: { username: string; assignments: { role_id: string; context_params: Record<string, string> }[] }[]; total: number }>(
        "POST",
        SEARCH,
        { token, body },
      );
    expect((await send([{ name: "pagination", limit: 501, offset: 0 }])).status).toBe(400);
    expect((await send([])).status).toBe(400);
    expect(
      (
        await send([
          {
            name: "expression",
            operator: "OR",
            operands: [{ org_id: org("Support"), role_id: role("Exchange Viewer"), context_params: {}, match_type: "partial" }],
          },
        ])
      ).status,
    ).toBe(400);
    const support = { org: org("Support") };
    const exact = await send([
      { name: "expression", operator: "OR", operands: [{ org_id: org("Support"), context_params: support, match_type: "exact" }] },
      { name: "sort", order: "ASC", field: "username" },
    ]);
    // exact: the environment-scoped assignment's context has an envId too, so it does not match.
    expect(exact.body.data.map((u) => [u.username, u.assignments.length])).toEqual([
      ["helper1", 1],
      ["helper2", 1],
      ["multi", 1],
    ]);
    const both = await send([
      {
        name: "expression",
        operator: "AND",
        operands: [
          { role_id: role("API Creator"), context_params: { org: org("Sales") }, match_type: "partial" },
          { org_id: org("Support"), context_params: support, match_type: "partial" },
        ],
      },
    ]);
    expect(both.body.data.map((u) => u.username)).toEqual(["multi"]);
    expect(
      both.body.data[0]!.assignments.map((a) => a.context_params).sort(
        (a, b) => a.org!.localeCompare(b.org!) || (a.envId ?? "").localeCompare(b.envId ?? ""),
      ),
    ).toEqual(
      [
        { org: org("Sales"), user: id("multi") },
        { org: org("Support"), user: id("multi") },
        { org: org("Support"), envId: ENV, user: id("multi") },
      ].sort((a, b) => a.org.localeCompare(b.org) || (a.envId ?? "").localeCompare(b.envId ?? "")),
    );
  });

  it("answers 429 with the X-RateLimit headers when the caller's budget is spent", async () => {
    const limited = createAnypointSimulator({ idleTimeoutSeconds: 60, rateLimit: { limit: 2, windowMs: 60_000 } });
    await limited.start();
    try {
      const w = wire(limited);
      const token = await w.token();
      const body = [{ name: "pagination", limit: 10, offset: 0 }];
      const answers = [
        await w.send("POST", SEARCH, { token, body }),
        await w.send("POST", SEARCH, { token, body }),
        await w.send("POST", SEARCH, { token, body }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
      expect(answers[2]!.headers).toMatchObject({
        "x-ratelimit-limit": "2",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": expect.stringMatching(/^\d{10}$/),
      });
    } finally {
      await limited.stop();
    }
  });

  it("a person with roles in 3 business groups, one scoped to an environment, is read the same with the search and without it", async () => {
    const expected: Record<string, string[]> = {
      Sales: ["API Creator"],
      Engineering: ["Exchange Contributor"],
      Support: ["API Manager Environment Administrator@" + ENV, "Business Group Viewer"],
    };
    for (const search of [true, false]) {
      sim.server.clearLog();
      const warnings: string[] = [];
      const r = reader(search, warnings);
      for (const g of GROUPS) expect(names(await r.rolesIn(org(g), id("multi"))), `${g}, search ${search}`).toEqual(expected[g]);
      expect(warnings).toEqual([]);
      expect(searches().length).toBe(search ? 3 + 2 : 0); // Sales: 3 pages of 500
    }
  });

  it("sample agrees: the search answers, with 1 % of each business group (at least 5) read one by one, and no warning", async () => {
    const warnings: string[] = [];
    const r = reader(true, warnings);
    expect(names(await r.rolesIn(org("Sales"), id("user0007")))).toEqual(["Exchange Viewer"]);
    expect(names(await r.rolesIn(org("Sales"), id("user0008")))).toEqual(["Exchange Viewer"]);
    expect(r.usesSearch).toBe(true);
    expect(warnings).toEqual([]);
    expect(perPerson()).toHaveLength(Math.ceil(1101 * 0.01)); // 12 of Sales' 1,101 people
    expect(new Set(perPerson().map((p) => p.path)).size).toBe(12); // distinct people
  });

  it("sample disagrees (the search drops an assignment): one warning naming the person, the difference and the setting; then one read per person", async () => {
    s().searchOmits.add(`${id("multi")}|${role("API Manager Environment Administrator")}|${org("Support")}|${ENV}`);
    const warnings: string[] = [];
    const r = reader(true, warnings);
    expect(names(await r.rolesIn(org("Support"), id("multi")))).toEqual([
      "API Manager Environment Administrator@" + ENV,
      "Business Group Viewer",
    ]);
    expect(names(await r.rolesIn(org("Sales"), id("user0001")))).toEqual(["Exchange Viewer"]);
    expect(r.usesSearch).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /disagree for 'multi' in business group 'Support': the search misses 'API Manager Environment Administrator' in environment 5f1c8a2e-/,
    );
    expect(warnings[0]).toContain("rollcall:anypointRoleSearch=off");
    expect(searches()).toHaveLength(1); // Support only: Sales is read per person once the run fell back
    expect(perPerson().filter((p) => p.path.includes(org("Sales")))).toHaveLength(1);
  });

  for (const status of [403, 404, 405]) {
    it(`search refused (${status}): one warning, then one read per person`, async () => {
      sim.server.injectFault({ method: "POST", path: "/roles/users/search$", status, body: { status, message: "refused" }, times: 10 });
      const warnings: string[] = [];
      const r = reader(true, warnings);
      expect(names(await r.rolesIn(org("Engineering"), id("multi")))).toEqual(["Exchange Contributor"]);
      expect(names(await r.rolesIn(org("Support"), id("multi")))).toEqual([
        "API Manager Environment Administrator@" + ENV,
        "Business Group Viewer",
      ]);
      expect(warnings).toEqual([
        expect.stringMatching(new RegExp(`answered ${status} for business group 'Engineering'.*rollcall:anypointRoleSearch=off`)),
      ]);
      expect(searches()).toHaveLength(1);
      expect(perPerson()).toHaveLength(2);
    });
  }
});
