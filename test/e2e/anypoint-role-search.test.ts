// Role assignments read by search through the real engine: adoption (`pulumi up`), `pulumi
// refresh` and the drift check (`pulumi preview --refresh`) ask POST /accounts/api/roles/users/search
// once per business group and read only a sample of people one by one; a person with roles in three
// business groups, one scoped to an environment, ends up in the state the same with the search and
// with rollcall:anypointRoleSearch=off; a search that drops an assignment, or that is refused, makes
// the run read every person one by one and print one warning — the state stays right either way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const USER = "pulumi-nodejs:dynamic/rollcall:AnypointUser";
const SEARCH = "/accounts/api/roles/users/search";
const ENV = "5f1c8a2e-3b4d-4c6e-9f0a-1b2c3d4e5f60";
const ENV_ROLE = "API Manager Environment Administrator";
// p1 and q0…q9 hold Exchange Viewer in Sales already, p2…p4 do not: 15 people in Sales, whose sample is 5.
const others = ["p1", "p2", "p3", "p4", ...Array.from({ length: 10 }, (_, i) => `q${i}`)];
const people: TestPerson[] = [
  {
    key: "multi",
    anypoint: {
      businessGroups: {
        Sales: { roles: ["API Creator"] },
        Engineering: { roles: ["Exchange Contributor"] },
        Support: { roles: ["Business Group Viewer"] },
      },
    },
  },
  ...others.map((key) => ({ key, anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } })),
];
/** People × business groups: what one read per person costs. */
const PAIRS = 3 + others.length;
const WARNING = /warning: Anypoint: the role-assignment search/g;

describe("Anypoint role assignments by search, through the real engine", () => {
  let f: AnypointStackFixture;
  const s = () => f.anypoint.state;
  const searches = () => f.anypoint.requests.filter((r) => r.method === "POST" && r.path === SEARCH);
  const perPerson = () => f.anypoint.requests.filter((r) => r.method === "GET" && /\/users\/[^/]+\/roles$/.test(r.path));
  const output = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;
  /** The run's diagnostics (each message once; the progress display shows it as it comes, too). */
  const diagnostics = (r: { stdout: string }) => r.stdout.slice(r.stdout.indexOf("\nDiagnostics:"));
  const stored = async () =>
    Object.fromEntries((await f.resources(USER)).map((r) => [r.outputs!.username as string, r.outputs!.businessGroups]));

  beforeAll(async () => {
    // Everyone exists already (adoption); 'multi' holds what users.yaml declares plus a role scoped
    // to an environment of Support that it does not declare; p1 already holds Exchange Viewer.
    f = await platformsStack("rolesearch", {
      seed: {
        businessGroups: ["Sales", "Engineering", "Support"],
        users: [
          {
            username: "multi.acme",
            email: "multi@example.com",
            roles: [
              { org: "Sales", role: "API Creator" },
              { org: "Engineering", role: "Exchange Contributor" },
              { org: "Support", role: "Business Group Viewer" },
              { org: "Support", role: ENV_ROLE, envId: ENV },
            ],
          },
          ...others.map((key) => ({
            username: `${key}.acme`,
            email: `${key}@example.com`,
            roles: ["p2", "p3", "p4"].includes(key) ? [] : [{ org: "Sales", role: "Exchange Viewer" }],
          })),
        ],
      },
    });
    f.writeUsers(usersYaml(people));
  });
  afterAll(async () => f?.dispose());

  it("adoption (pulumi up) reads held roles by search, per business group, and grants only what is missing", async () => {
    f.anypoint.server.clearLog();
    const r = await f.stack.up();
    expectOk(r, "pulumi up");
    expect(output(r)).not.toMatch(WARNING);
    // One page per business group the people hold or are declared in.
    expect(
      searches()
        .map((q) => (q.body as { operands?: { org_id: string }[] }[])[0]!.operands![0]!.org_id)
        .sort(),
    ).toEqual(["Sales", "Engineering", "Support"].map((g) => s().orgByName(g)!.id).sort());
    // The sample: 5 of the 12 people Sales lists, and multi alone in Engineering and Support.
    expect(perPerson().length).toBe(5 + 1 + 1);
    const rolePosts = f.anypoint.requests.filter((q) => q.method === "POST" && q.path.endsWith("/roles")).map((q) => q.path);
    expect(rolePosts.sort()).toEqual(
      ["p2", "p3", "p4"]
        .map((k) => `/accounts/api/organizations/${s().orgByName("Sales")!.id}/users/${s().findUser(`${k}.acme`)!.id}/roles`)
        .sort(),
    );
  });

  it("pulumi refresh stores the same access with the search and without it (3 business groups, a role scoped to an environment)", async () => {
    f.anypoint.server.clearLog();
    expectOk(await f.stack.refresh(), "pulumi refresh (search)");
    expect(searches().length).toBe(3);
    expect(perPerson().length).toBe(5 + 1 + 1);
    const bySearch = await stored();
    expect(bySearch["multi.acme"]).toEqual({
      Engineering: { roles: ["Exchange Contributor"], teams: [] },
      Sales: { roles: ["API Creator"], teams: [] },
      Support: { roles: [ENV_ROLE, "Business Group Viewer"].sort(), teams: [] },
    });

    // In the environment: `pulumi refresh` configures the provider from the state, not from the current config.
    f.stack.opts.env!.ROLLCALL_ANYPOINT_ROLE_SEARCH = "off";
    f.anypoint.server.clearLog();
    expectOk(await f.stack.refresh(), "pulumi refresh (per person)");
    expect(searches()).toEqual([]);
    expect(perPerson().length).toBe(PAIRS);
    expect(await stored()).toEqual(bySearch);
    delete f.stack.opts.env!.ROLLCALL_ANYPOINT_ROLE_SEARCH;
  });

  it("the drift check (preview --refresh) falls back to per-person reads with one warning when the search drops an assignment", async () => {
    s().searchOmits.add(`${s().findUser("multi.acme")!.id}|${s().roleByName(ENV_ROLE)!.id}|${s().orgByName("Support")!.id}|${ENV}`);
    f.anypoint.server.clearLog();
    const r = await f.stack.preview(["--refresh"]);
    s().searchOmits.clear();
    expectOk(r, "pulumi preview --refresh");
    expect(diagnostics(r).match(WARNING)).toHaveLength(1);
    expect(output(r)).toMatch(
      /disagree for 'multi\.acme' in business group 'Support': the search misses 'API Manager Environment Administrator' in environment 5f1c8a2e-3b4d-4c6e-9f0a-1b2c3d4e5f60/,
    );
    expect(output(r)).toContain("rollcall:anypointRoleSearch=off");
    // Everyone read one by one, besides the samples read before the difference was found.
    expect(perPerson().length).toBeGreaterThanOrEqual(PAIRS);
  });

  it("pulumi refresh falls back to per-person reads with one warning when the search is refused (405)", async () => {
    f.anypoint.server.injectFault({
      method: "POST",
      path: "/roles/users/search$",
      status: 405,
      body: { status: 405, message: "Method Not Allowed" },
      times: 10,
    });
    f.anypoint.server.clearLog();
    const r = await f.stack.refresh();
    f.anypoint.server.clearFaults();
    expectOk(r, "pulumi refresh");
    expect(diagnostics(r).match(WARNING)).toHaveLength(1);
    expect(output(r)).toMatch(/answered 405 for business group '\w+'.*rollcall:anypointRoleSearch=off/);
    // Reads run in parallel: another business group's search may have left before the first refusal came back.
    expect(searches().length).toBeGreaterThanOrEqual(1);
    expect(perPerson().length).toBe(PAIRS);
    expect((await stored())["multi.acme"]).toEqual({
      Engineering: { roles: ["Exchange Contributor"], teams: [] },
      Sales: { roles: ["API Creator"], teams: [] },
      Support: { roles: [ENV_ROLE, "Business Group Viewer"].sort(), teams: [] },
    });
  });
});
