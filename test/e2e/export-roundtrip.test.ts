// Onboarding an existing organization through the real engine: `rollcall export` (the CLI) reads
// both simulators, the file validates, `pulumi up` adopts everyone without a single write to
// either platform, and `pulumi preview --expect-no-changes` passes.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, engineEnv } from "../../src/pulumi/engine/pulumi-cli";
import { parseUsersYaml } from "../../src/core/model/load";
import { mutatingRequests } from "../../src/sim/harness";
import { generateOrg } from "../support/org-fixture";
import { expectOk, platformsStack, type AnypointStackFixture } from "../support/stack";

// Sized so the file stays within about two minutes on the shared 2-core machine (~2.2 resources per person).
const PEOPLE = 200;
const org = generateOrg(PEOPLE);

export async function runExportCli(f: AnypointStackFixture, out: string, extra: string[] = []): Promise<{ stderr: string }> {
  const { stderr } = await promisify(execFile)(
    "node",
    [path.join(PROJECT_ROOT, "dist/cli/rollcall.js"), "export", "--out", out, ...extra],
    { env: engineEnv(f.stack.opts), maxBuffer: 64 << 20 },
  );
  return { stderr };
}

describe(`export → up → no-op, ${PEOPLE} people on both platforms`, () => {
  let f: AnypointStackFixture;
  let file: string;
  let text: string;
  let exportRequests: { anypoint: { method: string; path: string }[]; controlRoom: { method: string; path: string }[] };
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    // Skipped checkpoints as the README recommends for large organizations (adoption is idempotent).
    f = await platformsStack("onboard", { seed: org.anypoint }, { PULUMI_SKIP_CHECKPOINTS: "true" });
    f.sim.seed(org.controlRoom);
    file = path.join(f.dir, "users.yaml");
    let t = Date.now();
    const { stderr } = await runExportCli(f, file);
    timings.export = Date.now() - t;
    expect(stderr).toMatch(/export: Anypoint: role assignments \d+\/\d+/); // progress on stderr
    text = readFileSync(file, "utf8");
    exportRequests = { anypoint: [...f.anypoint.requests], controlRoom: [...f.sim.requests] };
  });
  afterAll(async () => {
    console.log(`export-roundtrip timings (ms): ${JSON.stringify(timings)}`);
    await f?.dispose();
  });

  it("writes a file that validates, with the schema header, one entry per person, and says what it left out", () => {
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./schema/users.schema.json");
    const model = parseUsersYaml(text, file);
    const expected = org.counts.both + org.counts.controlRoomOnly + org.counts.anypointOnly - org.leftOut.length;
    expect(model.people).toHaveLength(expected);
    expect(model.people.filter((p) => p.controlRoom && p.anypoint)).toHaveLength(org.counts.both);
    for (const username of org.leftOut)
      expect(text).toContain(
        `#   Anypoint user '${username}': it holds no role or team rollcall can declare (only teams from identity-provider groups: Okta Engineers)`,
      );
    // The account rollcall signs in as is never exported.
    expect(model.people.some((p) => p.controlRoom?.username === "rollcall-bot")).toBe(false);
    expect(text).toContain(
      "Anypoint teams from identity-provider groups, not declared (only the identity provider can change them): Okta Engineers.",
    );
    expect(text).toContain("firstName: José");
    const nested = model.people.find((p) => p.anypoint?.businessGroups.Platform);
    expect(nested?.anypoint?.businessGroups.Platform?.roles).toEqual(["API Creator"]);
  });

  it("reads in pages: one list call per platform user list, role assignments by search, per-user reads only for the sample", () => {
    const cr = exportRequests.controlRoom.filter((r) => !r.path.endsWith("/authentication"));
    expect(cr.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v2/usermanagement/users/list"]);
    const ap = exportRequests.anypoint;
    const masterUsers = `/accounts/api/organizations/${f.anypoint.state.master.id}/users`;
    expect(ap.filter((r) => r.path === masterUsers)).toHaveLength(1);
    expect(ap.filter((r) => r.method === "GET" && /\/users\/[^/]+$/.test(r.path))).toEqual([]); // no GET of one user
    expect(ap.filter((r) => /\/users\/[^/]+\/teams$/.test(r.path))).toEqual([]); // teams read per team, not per user
    const roleReads = ap.filter((r) => /\/users\/[^/]+\/roles$/.test(r.path)).length;
    const searches = ap.filter((r) => r.method === "POST" && r.path === "/accounts/api/roles/users/search").length;
    const apUsers = org.counts.both + org.counts.anypointOnly;
    const orgs = f.anypoint.state.orgs.size;
    // Role assignments by one search per organization (pages of 500); one by one only each organization's sample (1 %, at least 5).
    expect(searches).toBeGreaterThanOrEqual(orgs);
    expect(searches).toBeLessThanOrEqual(orgs * Math.ceil(apUsers / 500));
    expect(roleReads).toBeGreaterThan(0);
    expect(roleReads).toBeLessThanOrEqual(orgs * Math.max(5, Math.ceil(apUsers / 100)));
    expect(mutatingRequests(ap)).toEqual([]);
  });

  it("re-exporting an unchanged organization gives the same bytes", async () => {
    const again = path.join(f.dir, "users-again.yaml");
    await runExportCli(f, again);
    expect(readFileSync(again, "utf8")).toBe(text);
  });

  it("the first preview only adds resources (each one adopts a user already there) and writes nothing", async () => {
    f.anypoint.server.clearLog();
    f.sim.server.clearLog();
    const { result, digest } = await f.stack.previewJson();
    expectOk(result, "pulumi preview --json");
    const ops = new Set((digest.steps ?? []).filter((s) => /dynamic\/rollcall:/.test(s.urn)).map((s) => s.op));
    expect([...ops]).toEqual(["create"]);
    expect(mutatingRequests(f.anypoint.requests)).toEqual([]);
    expect(mutatingRequests(f.sim.requests)).toEqual([]);
  }, 300_000);

  it("pulumi up adopts everyone and sends no write to either platform; the next preview expects no changes", async () => {
    f.anypoint.server.clearLog();
    f.sim.server.clearLog();
    let t = Date.now();
    expectOk(await f.stack.up(["--parallel", "32"]), "pulumi up");
    timings.up = Date.now() - t;
    expect(mutatingRequests(f.anypoint.requests).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(mutatingRequests(f.sim.requests).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const users = [...(await f.resources()), ...(await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser"))];
    expect(users.length).toBe(org.counts.both * 2 + org.counts.controlRoomOnly + org.counts.anypointOnly - org.leftOut.length);
    expect(users.filter((r) => r.outputs?.adopted !== true).map((r) => r.urn)).toEqual([]);
    t = Date.now();
    expectOk(await f.stack.preview(["--expect-no-changes"]), "pulumi preview --expect-no-changes");
    timings.preview = Date.now() - t;
  }, 300_000);
});
