// The scale benchmark (src/tools/bench/scale.ts, `make bench-scale`) at a CI-sized N, through the real engine:
// it must keep running and keep measuring what issue #13 asks (each operation beside the engine
// floor, requests by endpoint, state per resource). Behaviour only — the API calls each operation
// makes, not how long it took: the figures worth quoting come from a run at 1,000 and 5,000 people.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/pulumi/engine/pulumi-cli";
import { mutatingRequests, type RecordedRequest } from "../../src/sim/harness";

const N = 20;

interface BenchRow {
  people: number;
  operation: string;
  rollcall: {
    check?: { figures: Record<string, number>; failure?: string };
    exitCode: number;
    requests: Record<string, number>;
    stateBytes: number;
    resources: number;
    seconds: number;
    apiFloorSeconds: number;
    peakRss: { total: number; engine: number; program: number };
  };
  floor: { exitCode: number; resources: number; seconds: number; peakRss: { total: number } };
}

const sum = (requests: Record<string, number>, match: RegExp) =>
  Object.entries(requests)
    .filter(([k]) => match.test(k))
    .reduce((n, [, v]) => n + v, 0);
/** The endpoints ("METHOD /path") that change something on a platform, by the simulators' own rule. */
const writes = (requests: Record<string, number>) =>
  mutatingRequests(Object.keys(requests).map((k) => ({ method: k.split(" ")[0], path: k.split(" ")[1] }) as RecordedRequest)).map(
    (r) => `${r.method} ${r.path}`,
  );

describe(`make bench-scale at ${N} people`, () => {
  const out = mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-test-"));
  let rows: BenchRow[] = [];
  let stdout = "";
  let stderr = "";
  let status: number | null = null;
  const row = (operation: string) => rows.find((r) => r.operation === operation)!;

  beforeAll(() => {
    // Three stacks per operation (rollcall, the floor, the tuned floor): 15 minutes at most on a loaded machine.
    const r = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, "dist/tools/bench/scale.js"), "--people", String(N), "--out", out, "--no-record"],
      { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 900_000 },
    );
    stdout = r.stdout;
    status = r.status;
    stderr = r.stderr;
    const json = readdirSync(out).find((f) => f.endsWith(".json"))!;
    rows = (JSON.parse(readFileSync(path.join(out, json), "utf8")) as { rows: BenchRow[] }).rows;
  }, 960_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("measures every operation on rollcall and on the engine floor, and records nothing in the checkout", () => {
    // The benchmark exits non-zero when a command fails or a check does not hold (the guard below).
    expect(status, stderr.slice(-3000)).toBe(0);
    expect(rows.map((r) => r.operation)).toEqual([
      "adopt: first up",
      "no-op preview",
      "no-op up",
      "refresh",
      "guard: remove 20% refused",
      "report: remove 10% preview",
      "remove 10%",
    ]);
    for (const r of rows) {
      // The guard's refusal is the one command that must fail.
      expect([r.operation, r.rollcall.exitCode !== 0, r.floor.exitCode]).toEqual([r.operation, r.operation.startsWith("guard"), 0]);
      expect(r.rollcall.seconds).toBeGreaterThan(0);
      expect(r.floor.seconds).toBeGreaterThan(0);
      expect(r.rollcall.peakRss.engine).toBeGreaterThan(0);
      // `pulumi refresh` runs no program (engine v3.259.0): only the providers read.
      if (r.operation !== "refresh") expect(r.rollcall.peakRss.program).toBeGreaterThan(0);
    }
    // Everyone is a Control Room and an Anypoint user: two resources per person, as on the floor.
    expect(row("no-op up").rollcall.resources).toBeGreaterThanOrEqual(2 * N);
    expect(row("no-op up").floor.resources).toBeGreaterThanOrEqual(2 * N);
    expect(stdout).toContain("(not recorded: --no-record)");
    expect(stdout).toMatch(/\| 20 \| no-op preview \|/);
  });

  it("adopts the existing organization: no user POSTs and no role grants", () => {
    const adopt = row("adopt: first up").rollcall.requests;
    expect(sum(adopt, /^POST \/v2\/usermanagement\/users$/)).toBe(0);
    expect(sum(adopt, /^POST \/accounts\/api\/organizations\/\{id\}\/users(\/\{id\}\/roles.*)?$/)).toBe(0);
    expect(writes(adopt)).toEqual([]);
  });

  it("no-op preview and up write nothing; refresh reads Control Room and Anypoint users by the page", () => {
    for (const op of ["no-op preview", "no-op up", "refresh"]) expect([op, writes(row(op).rollcall.requests)]).toEqual([op, []]);
    const refresh = row("refresh").rollcall.requests;
    expect(sum(refresh, /^GET \/v2\/usermanagement\/users\/\{id\}$/)).toBe(0);
    expect(sum(refresh, /^GET \/accounts\/api\/organizations\/\{id\}\/users\/\{id\}$/)).toBe(0);
    // Role assignments by one search per business group (Sales, Engineering); one by one only the
    // sample that checks it (5 of the 20 in Sales, all 4 in Engineering), drawn from each group's listing.
    expect(sum(refresh, /^POST \/accounts\/api\/roles\/users\/search$/)).toBe(2);
    expect(sum(refresh, /^GET \/accounts\/api\/organizations\/\{id\}\/users\/\{id\}\/roles/)).toBe(5 + 4);
    expect(sum(refresh, /^POST \/v2\/usermanagement\/users\/list$/)).toBe(1);
    expect(sum(refresh, /^GET \/accounts\/api\/organizations\/\{id\}\/users$/)).toBe(1 + 2);
  });

  it("the removal guard holds with the default limits, and the report names everyone leaving within one comment", () => {
    const guard = row("guard: remove 20% refused").rollcall;
    expect(guard.check).toEqual({ figures: { refused: 1, guardMessages: expect.any(Number), writes: 0 } });
    expect(writes(guard.requests)).toEqual([]);
    const report = row("report: remove 10% preview").rollcall;
    expect(report.exitCode).toBe(0);
    expect(report.check).toEqual({
      figures: { reportChars: expect.any(Number), limitChars: 65_536, peopleRemovedInReport: N / 10, peopleListed: N / 10 },
    });
    expect(writes(report.requests)).toEqual([]);
  });

  it("removes 10 % in bulk on Anypoint, within the state budget", () => {
    const remove = row("remove 10%").rollcall;
    expect(sum(remove.requests, /^PUT \/accounts\/api\/organizations\/\{id\}\/users$/)).toBe(1);
    expect(sum(remove.requests, /^PUT \/v2\/usermanagement\/users\/\{id\}$/)).toBe(N / 10);
    expect(writes(remove.requests).sort()).toEqual(["PUT /accounts/api/organizations/{id}/users", "PUT /v2/usermanagement/users/{id}"]);
    expect(remove.stateBytes / remove.resources).toBeLessThanOrEqual(1536);
  });
});
