// An organization split across two stacks (rollcall:shard 0/2 and 1/2) on one backend, both
// reading the one users.yaml: each stack manages only its share, and re-sharding a stack that
// managed everyone moves people by adoption — no user is deleted or created on either platform.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectStack } from "../../src/pulumi/engine/pulumi-cli";
import { mutatingRequests } from "../../src/sim/harness";
import { inShare, readShare } from "../../src/features/split/share";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const keys = ["ada", "bob", "cyd", "dan", "eve", "fay", "gus", "hal"];
const people: TestPerson[] = keys.map((key) => ({
  key,
  controlRoom: {},
  anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } },
}));
const shard = (i: number) => readShare(() => undefined, { ROLLCALL_SHARD: `${i}/2` });
const share1 = keys.filter((k) => inShare(shard(1), k, "controlRoom"));
const share0 = keys.filter((k) => !share1.includes(k));

const names = async (stack: ProjectStack) =>
  (await stack.exportState()).deployment
    .resources!.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/rollcall:"))
    .map((r) => r.urn.split("::").pop()!.split("@")[0]!);

describe("two stacks, one users.yaml", () => {
  let f: AnypointStackFixture;
  let a: ProjectStack;
  let b: ProjectStack;
  const userPosts = () =>
    [...f.sim.requests, ...f.anypoint.requests].filter(
      (r) => r.method === "POST" && /\/(usermanagement\/users|organizations\/[^/]+\/users)$/.test(r.path),
    );
  const clear = () => {
    f.sim.server.clearLog();
    f.anypoint.server.clearLog();
  };

  beforeAll(async () => {
    expect(share0.length).toBeGreaterThan(0);
    expect(share1.length).toBeGreaterThan(0);
    f = await platformsStack("whole", { seed: { businessGroups: [{ name: "Sales" }] } });
    f.writeUsers(usersYaml(people));
    expectOk(await f.stack.up(), "pulumi up (one stack, everyone)");
    a = f.stack;
    b = new ProjectStack({ ...a.opts, stack: "second", env: { ...a.opts.env, ROLLCALL_SHARD: "1/2" } });
    a.opts.env!.ROLLCALL_SHARD = "0/2";
    await b.init();
  });
  afterAll(async () => f?.dispose());

  it("re-sharding: the stack that gives people up forgets them without a single call, under the default offboarding (disable)", async () => {
    clear();
    // The default mode: in delete mode the removal guard happened to refuse first, so a hand-over read as removals went unseen (#19).
    a.opts.env!.ROLLCALL_OFFBOARDING = "";
    const r = await a.up().finally(() => (a.opts.env!.ROLLCALL_OFFBOARDING = "delete"));
    expectOk(r, "pulumi up (stack 0/2)");
    expect(mutatingRequests([...f.sim.requests, ...f.anypoint.requests])).toEqual([]);
    expect(new Set(await names(a))).toEqual(new Set(share0));
    expect(f.sim.findUser(share1[0]!)).toBeDefined();
    expect(f.anypoint.state.findUser(`${share1[0]}.acme`)).toBeDefined();
  });

  it("the stack that takes them over adopts them: no user is created", async () => {
    clear();
    expectOk(await b.up(), "pulumi up (stack 1/2)");
    expect(userPosts()).toEqual([]);
    expect(f.sim.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(new Set(await names(b))).toEqual(new Set(share1));
  });

  it("each stack manages only its share: a removal in share 1 is a no-op for stack 0 and one DELETE per platform for stack 1", async () => {
    const gone = share1[0]!;
    f.writeUsers(usersYaml(people.filter((p) => p.key !== gone)));
    clear();
    expectOk(await a.up(["--expect-no-changes"]), "pulumi up (stack 0/2)");
    expect(mutatingRequests([...f.sim.requests, ...f.anypoint.requests])).toEqual([]);
    clear();
    expectOk(await b.up(), "pulumi up (stack 1/2)");
    expect(f.sim.requests.filter((r) => r.method === "DELETE")).toHaveLength(1);
    expect(f.anypoint.requests.filter((r) => r.method === "DELETE" && r.path.endsWith("/users"))).toHaveLength(1);
    expect(f.sim.findUser(gone)).toBeUndefined();
    expect(await names(b)).not.toContain(gone);
  });
});
