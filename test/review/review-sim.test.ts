// `rollcall review` end to end against both simulators (src/sim/harness.ts servers on 127.0.0.1):
// last sign-ins as each platform lists them, "unknown" on a Control Room version without the
// field, since/change from a three-commit history, a CSV of one row per holder and grant, and
// nothing but reads sent to either platform. The CLI run goes through dist/ (build first).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnypointSimulator, SIM_ANYPOINT_APP } from "../../src/sim/anypoint/simulator";
import { ControlRoomSimulator, SIM_ADMIN } from "../../src/sim/controlroom/simulator";
import { PROJECT_ROOT } from "../../src/pulumi/engine/pulumi-cli";
import { review, type ReviewOptions } from "../../src/features/review/command";
import { CSV_HEADER } from "../../src/features/review/render-csv";
import { mutatingRequests } from "../../src/sim/harness";
import { person, removeTempRepos, tempRepo, usersYaml } from "../support/git-repo";

const NOW = "2026-12-01T00:00:00Z";
const seedCr = {
  users: [
    { username: "ada", email: "ada@example.com", roles: ["AAE_Admin"], lastLoginTime: "2026-11-30T09:00:00Z" },
    {
      username: "grace",
      email: "grace@example.com",
      roles: ["Bot Runner"],
      licenseFeatures: ["DEVELOPMENT"],
      lastLoginTime: "2026-03-01T09:00:00Z",
    },
    { username: "mallory", email: "mallory@example.com", roles: ["AAE_Admin"] },
  ],
};

describe("rollcall review against the simulators", () => {
  const current = new ControlRoomSimulator({ seed: seedCr });
  const older = new ControlRoomSimulator({ seed: seedCr, lastLoginTime: false });
  const anypoint = createAnypointSimulator();
  const repo = tempRepo();
  const commits: Record<string, string> = {};

  beforeAll(async () => {
    anypoint.seedOrganization({
      businessGroups: ["Sales"],
      teams: ["Approvers"],
      users: [
        {
          username: "grace.acme",
          email: "grace@example.com",
          lastLogin: "2026-11-02T10:00:00.000Z",
          roles: [{ org: "Sales", role: "Exchange Viewer" }],
          teams: ["Approvers"],
        },
        { username: "zed.acme", email: "zed@example.com", roles: [{ org: "Sales", role: "Exchange Viewer" }] },
      ],
    });
    await Promise.all([current.start(), older.start(), anypoint.start()]);
    const grace = (cr: string) =>
      person(
        "grace",
        `    controlRoom:\n      username: grace\n${cr}    anypoint:\n      username: grace.acme\n      businessGroups:\n        Sales:\n          roles: [Exchange Viewer]\n          teams: [Approvers]\n`,
      );
    const ada = (more: string) => person("ada", `    controlRoom:\n      username: ada\n      roles: [AAE_Admin]\n${more}`);
    commits.grant = repo.commit(
      usersYaml(ada("      licenses: [DEVELOPMENT]\n"), grace("      roles: [AAE_Basic]\n")),
      "Grant ada and grace (#31)",
    );
    commits.change = repo.commit(
      usersYaml(ada("      licenses: [DEVELOPMENT]\n"), grace("      roles: [Bot Runner]\n      licenses: [DEVELOPMENT]\n")),
      "grace runs bots (#32)",
    );
    commits.remove = repo.commit(
      usersYaml(ada(""), grace("      roles: [Bot Runner]\n      licenses: [DEVELOPMENT]\n")),
      "ada gives up her license",
    );
  });
  afterAll(async () => {
    await Promise.all([current.stop(), older.stop(), anypoint.stop()]);
    removeTempRepos();
  });

  const settings = (cr: ControlRoomSimulator): Record<string, string> => ({
    "rollcall:controlRoomUrl": cr.url,
    "rollcall:controlRoomUsername": SIM_ADMIN.username,
    "rollcall:controlRoomApiKey": SIM_ADMIN.apiKey,
    "rollcall:anypointUrl": anypoint.url,
    "rollcall:anypointClientId": SIM_ANYPOINT_APP.clientId,
    "rollcall:anypointClientSecret": SIM_ANYPOINT_APP.clientSecret,
  });
  const run = (cr: ControlRoomSimulator, more: Partial<ReviewOptions> = {}) => {
    const config = settings(cr);
    return review({
      usersFile: repo.file,
      config: (k) => config[k],
      format: "csv",
      inactiveDays: 90,
      expiringDays: 14,
      now: NOW,
      propose: false,
      progress: () => {},
      ...more,
    });
  };

  it("gives each holder's last sign-in from both platforms, and since/change from the history", async () => {
    const { rows } = await run(current);
    const row = (platform: string, name: string, username: string) =>
      rows.find((r) => r.platform === platform && r.name === name && r.username === username);
    expect(row("Control Room", "AAE_Admin", "ada")).toMatchObject({
      person: "ada",
      lastLogin: "2026-11-30T09:00:00Z",
      commit: commits.grant,
      pr: 31,
      since: "2026-01-02T00:00:00Z",
      flags: [],
    });
    expect(row("Control Room", "Bot Runner", "grace")).toMatchObject({
      person: "grace",
      lastLogin: "2026-03-01T09:00:00Z",
      commit: commits.change,
      pr: 32,
      flags: ["inactive"],
    });
    expect(row("Control Room", "AAE_Admin", "mallory")).toMatchObject({ lastLogin: "never", flags: ["never-logged-in", "undeclared"] });
    expect(row("Anypoint", "Exchange Viewer", "grace.acme")).toMatchObject({
      businessGroup: "Sales",
      person: "grace",
      lastLogin: "2026-11-02T10:00:00.000Z",
      commit: commits.grant,
      pr: 31,
    });
    expect(row("Anypoint", "Approvers", "grace.acme")).toMatchObject({ kind: "team", person: "grace", commit: commits.grant });
    expect(row("Anypoint", "Exchange Viewer", "zed.acme")).toMatchObject({ lastLogin: "never", flags: ["never-logged-in", "undeclared"] });
    // ada's license, removed by the third commit, is held nowhere: no row.
    expect(row("Control Room", "DEVELOPMENT", "ada")).toBeUndefined();
    // Reads only, on both platforms.
    expect(mutatingRequests(current.requests)).toEqual([]);
    expect(mutatingRequests(anypoint.requests)).toEqual([]);
  });

  it("reads 'unknown', never 'never', from a Control Room whose records lack lastLoginTime", async () => {
    const { rows } = await run(older);
    const cr = rows.filter((r) => r.platform === "Control Room");
    expect(cr.length).toBeGreaterThan(0);
    expect(new Set(cr.map((r) => r.lastLogin))).toEqual(new Set(["unknown"]));
    expect(cr.flatMap((r) => r.flags).filter((f) => f === "never-logged-in" || f === "inactive")).toEqual([]);
  });

  it("the CLI writes a CSV of one row per holder and grant under the fixed header, the same bytes for the same platform state", async () => {
    const config = settings(current);
    const env = {
      ...process.env,
      ROLLCALL_CONTROLROOM_URL: config["rollcall:controlRoomUrl"],
      ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
      ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey,
      ROLLCALL_ANYPOINT_URL: anypoint.url,
      ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId,
      ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret,
    };
    const cli = () =>
      promisify(execFile)(
        "node",
        [path.join(PROJECT_ROOT, "dist/cli/rollcall.js"), "review", "--users", repo.file, "--format", "csv", "--now", NOW],
        { env },
      );
    const { stdout } = await cli();
    const lines = stdout.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(CSV_HEADER.join(","));
    const { rows } = await run(current);
    expect(lines).toHaveLength(rows.length + 1);
    const pairs = lines.slice(1).map((l) => l.split(",").slice(0, 5).join(","));
    expect(new Set(pairs).size).toBe(pairs.length); // one row per holder and grant
    expect(pairs).toContain("Control Room,,license,DEVELOPMENT,grace");
    // Same inputs, same bytes: only rollcall's own login moved (each run signs in, and the platform records it).
    const own = (text: string) =>
      text
        .split("\r\n")
        .filter((l) => !l.endsWith(",rollcall-login"))
        .join("\r\n");
    expect(stdout).toContain(",rollcall-login\r\n");
    expect(own((await cli()).stdout)).toBe(own(stdout));
  });
});
