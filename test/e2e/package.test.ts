// rollcall installed as a package, end to end through the real engine: `npm pack` this checkout,
// install the tarball into an empty folder, `npx rollcall init`, `validate`, `demo`, then
// `pulumi preview` and `pulumi up` of the scaffolded repository against the simulators. The team
// repository holds only its data and wiring; everything runs from node_modules/rollcall (a copy
// out of the tarball, not a link into this checkout). Then a stack deployed by main before the
// layout move, as a fork would hold it, moves to the package layout by `rollcall migrate-state`
// with no call to the platform, and reconciles afterwards.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, ProjectStack } from "../../src/pulumi/engine/pulumi-cli";
import { shimText } from "../../src/pulumi/shim";
import { ControlRoomSimulator, SIM_ADMIN } from "../../src/sim/controlroom/simulator";
import { AnypointSimulator, SIM_ANYPOINT_APP } from "../../src/sim/anypoint/simulator";
import { controlRoomUsersOf, MAIN_STATE_STACK, mainState, seedUsersOf } from "../support/main-state";
import { expectOk, usersYaml } from "../support/stack";

const work = mkdtempSync(path.join(os.tmpdir(), "rollcall-package-"));
const team = path.join(work, "team");
const stateDir = path.join(work, "state");
// The environment of a team's shell: no variable naming this checkout.
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "ROLLCALL_ROOT"));

function sh(cmd: string, args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, env: { ...env, ...extra }, encoding: "utf8", timeout: 300_000 });
  return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

function ok(r: { code: number; stdout: string; stderr: string }, what: string) {
  expectOk(r, what);
  return r.stdout;
}

/** Env for the engine and the CLI on the team repository's file backend. */
const backend = { PULUMI_BACKEND_URL: `file://${stateDir}`, PULUMI_CONFIG_PASSPHRASE: "" };

describe("rollcall installed from its tarball into an empty repository", () => {
  const cr = new ControlRoomSimulator({ idleTimeoutSeconds: 900 });
  const anypoint = new AnypointSimulator({
    idleTimeoutSeconds: 900,
    seed: { businessGroups: [{ name: "Sales" }, { name: "Engineering" }], teams: ["Approvers"] },
  });
  let platformEnv: Record<string, string>;

  beforeAll(async () => {
    mkdirSync(team, { recursive: true });
    mkdirSync(stateDir, { recursive: true });
    platformEnv = {
      ROLLCALL_CONTROLROOM_URL: await cr.start(),
      ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
      ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey,
      ROLLCALL_ANYPOINT_URL: await anypoint.start(),
      ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId,
      ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret,
    };
    anypoint.state.master.name = "Acme Corp";
    // The compiled tree is what the set-up built; packing it is what a publisher does.
    ok(sh("npm", ["pack", "--ignore-scripts", "--pack-destination", work], PROJECT_ROOT), "npm pack");
  });
  afterAll(async () => {
    await cr.stop();
    await anypoint.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("installs offline from the tarball: a copy, with only what runs", () => {
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"))!;
    expect(tarball).toMatch(/^rollcall-\d+\.\d+\.\d+\.tgz$/);
    // npm ci of this checkout filled the cache with every dependency the tarball has.
    ok(sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-save", path.join(work, tarball)], team), "npm install");
    const installed = path.join(team, "node_modules/rollcall");
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(existsSync(path.join(installed, "dist/providers/controlroom/provider.js"))).toBe(true);
    expect(existsSync(path.join(installed, "dist/sim/controlroom/simulator.js"))).toBe(true);
    expect(readdirSync(path.join(installed, "dist/providers/controlroom")).filter((f) => f.startsWith("simulator"))).toEqual([]);
    expect(existsSync(path.join(installed, "dist/tools"))).toBe(false);
    expect(existsSync(path.join(installed, "test"))).toBe(false);
  });

  it("npx rollcall init scaffolds the repository, and a second run overwrites nothing", () => {
    const first = ok(sh("npx", ["rollcall", "init"], team), "rollcall init");
    for (const f of [
      "users.yaml",
      "Pulumi.yaml",
      "package.json",
      ".gitignore",
      ".github/workflows/preview.yml",
      "stacks/Pulumi.production.example.yaml",
    ])
      expect(first).toContain(`wrote ${f}`);
    const pkg = JSON.parse(readFileSync(path.join(team, "package.json"), "utf8"));
    const version = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version;
    expect(pkg.dependencies).toEqual({ rollcall: version });
    expect(readFileSync(path.join(team, "users.yaml"), "utf8").split("\n")[0]).toBe(
      "# yaml-language-server: $schema=./node_modules/rollcall/schema/users.schema.json",
    );
    expect(existsSync(path.join(team, "node_modules/rollcall/schema/users.schema.json"))).toBe(true);
    expect(readFileSync(path.join(team, ".github/workflows/apply.yml"), "utf8")).not.toContain("make setup");
    writeFileSync(path.join(team, ".gitignore"), "/node_modules/\n# the team's own\n");
    const again = ok(sh("npx", ["rollcall", "init"], team), "rollcall init (again)");
    expect(again).not.toContain("wrote ");
    expect(again).toContain("skipped users.yaml (exists; left as it is)");
    expect(readFileSync(path.join(team, ".gitignore"), "utf8")).toBe("/node_modules/\n# the team's own\n");
  });

  it("npx rollcall validate checks the team's users.yaml", () => {
    expect(ok(sh("npx", ["rollcall", "validate"], team), "rollcall validate")).toMatch(/people/);
  });

  it("npx rollcall demo runs from the package", () => {
    const out = ok(sh("npx", ["rollcall", "demo"], team), "rollcall demo");
    expect(out).toMatch(/DELETE/);
    // The one report renderer: the demo shows the pull-request comment reviewers get.
    expect(out).toContain("## rollcall on demo: access changes for 1 person");
    expect(out).toContain("> **Access will be REMOVED** for 1 person:");
  });

  it("pulumi preview and pulumi up of the scaffolded repository reconcile the simulators", async () => {
    const stack = new ProjectStack({ stack: "team", projectDir: team, stateDir, env: { ...platformEnv, ROLLCALL_OFFBOARDING: "delete" } });
    await stack.init();
    const preview = await stack.preview();
    ok(preview, "pulumi preview");
    expect(preview.stdout).toMatch(/\+ +\d+ to create/);
    cr.server.clearLog();
    ok(await stack.up(), "pulumi up");
    const declared = (readFileSync(path.join(team, "users.yaml"), "utf8").match(/^\s+username: /gm) ?? []).length;
    expect(declared).toBeGreaterThan(0);
    expect(cr.requests.filter((r) => r.method === "POST" && /\/usermanagement\/users$/.test(r.path)).length).toBeGreaterThan(0);
    const state = await stack.exportState();
    const stored = (state.deployment.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/rollcall:"));
    expect(stored.length).toBeGreaterThan(0);
    for (const r of stored)
      expect(r.outputs!.__provider).toMatch(/^exports\.handler=\(\)=>require\("rollcall\/providers\/(controlroom|anypoint)"\)/);
  });

  it("a stack deployed by main as a fork moves to the package layout with no platform call, then reconciles", async () => {
    const state = mainState();
    const sim = new ControlRoomSimulator({ idleTimeoutSeconds: 900, seed: { users: seedUsersOf(state) } });
    const usersFile = path.join(work, "mainstate-users.yaml");
    const stack = new ProjectStack({
      stack: MAIN_STATE_STACK,
      projectDir: team,
      stateDir,
      env: {
        ROLLCALL_CONTROLROOM_URL: await sim.start(),
        ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
        ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey,
        ROLLCALL_USERS_FILE: usersFile,
        ROLLCALL_OFFBOARDING: "delete",
      },
    });
    try {
      await stack.init();
      const file = path.join(work, "main-state.json");
      writeFileSync(file, JSON.stringify(state));
      ok(await stack.run(["stack", "import", "--file", file]), "pulumi stack import");
      // The fork's text loads dist/providers/… from the project directory, which a team repository has not.
      expect((await stack.refresh()).code).not.toBe(0);

      sim.server.clearLog();
      const migrated = ok(sh("npx", ["rollcall", "migrate-state", "--stack", MAIN_STATE_STACK], team, backend), "rollcall migrate-state");
      expect(migrated).toContain("2 of 2 resources now load provider code the package way");
      expect(sim.requests).toEqual([]);
      for (const r of controlRoomUsersOf(await stack.exportState()))
        for (const props of [r.inputs!, r.outputs!])
          expect(props.__provider).toBe(shimText({ platform: "controlroom", kind: "ControlRoomUser" }, "package"));
      expect(ok(sh("npx", ["rollcall", "migrate-state", "--stack", MAIN_STATE_STACK], team, backend), "again")).toContain("nothing to do");

      const [ada, bob] = seedUsersOf(state);
      writeFileSync(usersFile, usersYaml([{ key: "bob", controlRoom: {} }]));
      sim.server.clearLog();
      ok(await stack.up(), "pulumi up");
      expect(sim.requests.filter((r) => r.method === "DELETE").map((r) => r.path.replace(/^\/v\d+/, ""))).toEqual([
        `/usermanagement/users/${ada!.id}`,
      ]);
      expect(sim.findUser("bob")!.id).toBe(bob!.id);
    } finally {
      await sim.stop();
    }
  });
});
