// The guards and the report at organization scale, through the real engine against both simulators:
// N people on Control Room and on Anypoint (a resource per platform user: 2 each). At this N the default limit on user
// removals is its count (25; 10% of N is more), so removing 26 people is refused — preview and up,
// nothing sent — and removing 25 goes through. The pull-request report of a removal that big lists
// every removed person and stays under GitHub's comment limit. And the program's SLOW PATH warning
// (src/pulumi/slow-path.ts): shown when the engine would checkpoint after every step, absent on
// the fast path every rollcall command and this test's stacks run with (src/pulumi/engine/fast-path.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/features/safety/removal-limits";
import { buildReport } from "../../src/features/report/report";
import { fullReport } from "../../src/features/report/command";
import { BANNER_CAP, GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../src/features/report/render";
import { mutatingRequests } from "../../src/sim/harness";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

/** People on both platforms: enough that a preview is well over the slow-path threshold (200 resources). */
const N = 300;
const key = (i: number) => `person${String(i).padStart(4, "0")}`;
const person = (i: number): TestPerson => ({
  key: key(i),
  firstName: "First",
  lastName: "Last",
  controlRoom: { roles: ["AAE_Basic"] },
  anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } },
});
/** Everyone but the first `removed` people. */
const keeping = (removed: number) => Array.from({ length: N - removed }, (_, i) => person(removed + i));
const LIMIT = DEFAULT_LIMITS.controlRoomUsers.count;

describe(`guards and report at scale: ${N} people on both platforms`, { timeout: 600_000 }, () => {
  let f: AnypointStackFixture;
  const mutations = () => [...mutatingRequests(f.sim.requests), ...mutatingRequests(f.anypoint.requests)];
  const clearLogs = () => {
    f.sim.server.clearLog();
    f.anypoint.server.clearLog();
  };
  const managed = async () => (await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser")).length;

  beforeAll(async () => {
    // The default limits apply (the support's delete mode stays: a removal here is a DELETE).
    f = await platformsStack("scaleguards", { seed: { businessGroups: [{ name: "Sales" }] } });
    expect(LIMIT).toBeLessThan((N * DEFAULT_LIMITS.controlRoomUsers.percent) / 100); // the count is what binds at this N
    f.writeUsers(usersYaml(keeping(0)));
    expectOk(await f.stack.up(), `pulumi up of ${N} people`);
    expect(await managed()).toBe(N);
  }, 600_000);
  afterAll(async () => f?.dispose());

  it(`removing ${LIMIT + 1} of ${N} people is refused by preview and up, with nothing sent to either platform`, async () => {
    f.writeUsers(usersYaml(keeping(LIMIT + 1)));
    clearLogs();
    for (const [what, result] of [
      ["preview", await f.stack.preview()],
      ["up", await f.stack.up()],
    ] as const) {
      expect(result.code, what).not.toBe(0);
      const out = `${result.stdout}${result.stderr}`;
      expect(out, what).toContain(`Control Room users: ${LIMIT + 1} of ${N} (9%) would lose it — limit ${LIMIT} or 10%`);
      expect(out, what).toContain(`Anypoint users: ${LIMIT + 1} of ${N} (9%) would lose it`);
    }
    expect(mutations().map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(await managed()).toBe(N);
  });

  it(`a preview removing ${N - 1} people (one-run override) reports every one of them within GitHub's comment limit`, async () => {
    const removed = N - 1;
    f.writeUsers(usersYaml(keeping(removed)));
    f.stack.opts.env!.ROLLCALL_MAX_REMOVALS = String(removed);
    let preview;
    try {
      preview = await f.stack.previewJson();
    } finally {
      f.stack.opts.env!.ROLLCALL_MAX_REMOVALS = "";
    }
    expectOk(preview.result, "preview --json");
    const report = buildReport(preview.digest, { stack: "scaleguards" });
    // The whole report would not fit in one comment: the limit is what this case exercises.
    expect(renderMarkdown(report, Number.POSITIVE_INFINITY).length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    const markdown = renderMarkdown(report);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain(`**Access will be REMOVED** for ${removed} people:`);
    // The comment's banner is capped; the job summary it links to names everyone.
    expect(markdown).toContain(`> - …and ${removed - BANNER_CAP} more, full list in`);
    const listed = [
      ...new Map(
        [markdown, fullReport(report, {})].flatMap((md) =>
          [...md.matchAll(/^> - \*\*(person\d+)\*\*: (.*)$/gm)].map((m) => [m[1]!, m] as const),
        ),
      ).values(),
    ];
    expect(listed.map((m) => m[1]).sort()).toEqual(Array.from({ length: removed }, (_, i) => key(i)));
    for (const [, who, where] of listed) {
      expect(where, who).toContain(`Control Room user \`${who}\``);
      expect(where, who).toContain(`Anypoint user \`${who}.acme\``);
    }
    // So many people's details do not fit: they are what is cut, and the comment says so.
    expect(markdown).toMatch(/more people's details \(of \d+\) cut to stay under GitHub's 65,536-character comment limit/);
  });

  it(`removing ${LIMIT} of ${N} people, at the limit, goes through`, async () => {
    f.writeUsers(usersYaml(keeping(LIMIT)));
    clearLogs();
    expectOk(await f.stack.up(), `pulumi up removing ${LIMIT}`);
    expect(await managed()).toBe(N - LIMIT);
    for (let i = 0; i < LIMIT; i++) {
      expect(f.sim.findUser(key(i)), key(i)).toBeUndefined();
      expect(
        f.anypoint.state.findUser(`${key(i)}.acme`) && f.anypoint.state.activeUser(f.anypoint.state.findUser(`${key(i)}.acme`)!.id),
        key(i),
      ).toBeFalsy();
    }
    expect(f.sim.findUser(key(LIMIT))).toBeDefined();
    expect(mutations().some((r) => r.method === "DELETE")).toBe(true);
  });

  it(`the SLOW PATH warning: shown on a preview of ${2 * (N - LIMIT)} resources when the engine would checkpoint every step, not on the fast path`, async () => {
    const fast = await f.stack.preview();
    expectOk(fast, "preview (fast path)");
    expect(`${fast.stdout}${fast.stderr}`).not.toContain("SLOW PATH");
    // PULUMI_SKIP_CHECKPOINTS empty: what a bare `pulumi preview` in a job that never set it sees.
    f.stack.opts.env!.PULUMI_SKIP_CHECKPOINTS = "";
    let slow;
    try {
      slow = await f.stack.preview();
    } finally {
      delete f.stack.opts.env!.PULUMI_SKIP_CHECKPOINTS;
    }
    expectOk(slow, "preview (slow path)");
    expect(`${slow.stdout}${slow.stderr}`).toMatch(/SLOW PATH: this stack has \d+ resources and PULUMI_SKIP_CHECKPOINTS is not set/);
  });
});
