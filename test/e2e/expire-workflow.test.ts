// expire.yml, run as the runners would (test/support/workflow.ts) against the simulators: it applies
// the expiries through apply.yml (the merge's guarded apply, with its audit artifact) with nobody
// touching users.yaml, then opens ONE pull request deleting the expired entries (the
// create-pull-request stand-in records it). The clock is set with ROLLCALL_TEST_NOW.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, cpSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnypointSimulator, SIM_ANYPOINT_APP } from "../../src/sim/anypoint/simulator";
import { ControlRoomSimulator, SIM_ADMIN } from "../../src/sim/controlroom/simulator";
import { PROJECT_ROOT } from "../../src/pulumi/engine/pulumi-cli";
import { pruneExpired } from "../../src/features/expiry/prune";
import { runWorkflow, type WorkflowContext, type WorkflowRun } from "../support/workflow";

const WORKFLOWS = path.join(PROJECT_ROOT, ".github/workflows");

function expectSteps(run: WorkflowRun): void {
  for (const r of run.steps)
    if (r.outcome === "failure" || r.outcome === "cancelled") throw new Error(`step "${r.job}: ${r.name}" ${r.outcome}:\n${r.log}`);
}

describe("expire.yml", () => {
  let dir: string;
  let ctx: WorkflowContext;
  let cr: ControlRoomSimulator;
  let ap: AnypointSimulator;
  let usersText: string;

  beforeAll(async () => {
    cr = new ControlRoomSimulator({ idleTimeoutSeconds: 900 });
    ap = new AnypointSimulator({
      idleTimeoutSeconds: 900,
      seed: { businessGroups: [{ name: "Sales" }, { name: "Engineering" }], teams: ["Approvers"] },
    });
    const [crUrl, apUrl] = await Promise.all([cr.start(), ap.start()]);
    dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-expire-workflow-"));
    const repo = path.join(dir, "repo");
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" })
      .split("\n")
      .filter((f) => f && f !== "node_modules" && existsSync(path.join(PROJECT_ROOT, f)));
    for (const f of files) cpSync(path.join(PROJECT_ROOT, f), path.join(repo, f), { recursive: true });
    symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(repo, "node_modules"));
    ctx = {
      cwd: repo,
      secrets: { PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`, PULUMI_CONFIG_PASSPHRASE: "workflow-test" },
      // The apply identity is the `production` environment's (apply.yml's job), as in a repository set up per the README.
      environments: {
        production: {
          secrets: { ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey, ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret },
          vars: { ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username, ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId },
        },
      },
      vars: {},
      // The schedule runs on the default branch: apply.yml applies only from main.
      github: { token: "local", ref: "refs/heads/main" },
      env: {
        PULUMI_HOME: path.join(dir, "pulumi-home"),
        ROLLCALL_CONTROLROOM_URL: crUrl,
        ROLLCALL_ANYPOINT_URL: apUrl,
        ROLLCALL_TEST_NOW: "2027-03-30T12:00:00Z",
      },
      commentsDir: path.join(dir, "comments"),
      timeoutMs: 400_000,
    };
    mkdirSync(path.join(dir, "state"));
    const init = spawnSync(
      "pulumi",
      ["stack", "init", "production", "--secrets-provider", "passphrase", "--non-interactive", "--cwd", repo],
      {
        env: {
          ...process.env,
          ...ctx.env,
          PULUMI_BACKEND_URL: ctx.secrets.PULUMI_BACKEND_URL,
          PULUMI_CONFIG_PASSPHRASE: ctx.secrets.PULUMI_CONFIG_PASSPHRASE,
        },
        encoding: "utf8",
      },
    );
    if (init.status !== 0) throw new Error(`pulumi stack init production: ${init.stderr}`);
    // alan until 2027-03-31; katherine's Engineering access until then too.
    const users = parse(readFileSync(path.join(repo, "users.yaml"), "utf8")) as {
      users: { key: string; expires?: string; anypoint?: { businessGroups: Record<string, { expires?: string }> } }[];
    };
    for (const u of users.users) {
      if (u.key === "alan") u.expires = "2027-03-31";
      if (u.key === "katherine") u.anypoint!.businessGroups.Engineering!.expires = "2027-03-31";
    }
    usersText = `# yaml-language-server: $schema=./schema/users.schema.json\n${stringify(users)}`;
    writeFileSync(path.join(repo, "users.yaml"), usersText);
    expectSteps(await runWorkflow(path.join(WORKFLOWS, "apply.yml"), ctx));
    expect(cr.findUser("alan.turing")?.disabled).toBe(false);
  }, 600_000);
  afterAll(async () => {
    await Promise.all([cr?.stop(), ap?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("by hand on another branch: neither the apply nor the pull request runs (that branch's code never gets the apply identity or the write token)", async () => {
    const run = await runWorkflow(path.join(WORKFLOWS, "expire.yml"), { ...ctx, github: { ...ctx.github, ref: "refs/heads/topic" } });
    expectSteps(run);
    expect(run.jobs.map((j) => [j.job, j.result])).toEqual([
      ["apply / stacks / stacks", "success"],
      ["apply / apply", "skipped"],
      ["prune", "skipped"],
    ]);
    expect(existsSync(path.join(dir, "pull-requests"))).toBe(false);
  }, 300_000);

  it("on the date: applies the expiries through apply.yml with its audit artifact, then opens one pull request deleting them", async () => {
    ctx.env.ROLLCALL_TEST_NOW = "2027-03-31T12:00:00Z";
    const run = await runWorkflow(path.join(WORKFLOWS, "expire.yml"), ctx);
    expectSteps(run);
    expect(run.jobs.map((j) => [j.job, j.result])).toEqual([
      ["apply / stacks / stacks", "success"],
      ["apply / apply (production)", "success"],
      ["prune", "success"],
    ]);
    // alan left through the default offboarding (disabled on both platforms); katherine lost Engineering only.
    expect(cr.findUser("alan.turing")?.disabled).toBe(true);
    expect(ap.state.findUser("alan.turing.acme")?.enabled).toBe(false);
    const groups = (username: string) =>
      [
        ...new Set(
          ap.state
            .memberships()
            .filter((m) => m.username === username)
            .map((m) => m.orgName),
        ),
      ].sort();
    expect(groups("katherine.johnson.acme")).not.toContain("Engineering");
    expect(groups("katherine.johnson.acme")).toContain("Sales");
    const audit = readFileSync(path.join(run.artifacts["audit-production"]!, "production.jsonl"), "utf8");
    expect(audit).toContain("alan");
    // The pull request: users.yaml without the expired entries, and what was deleted.
    const pr = path.join(dir, "pull-requests", "rollcall-expire");
    expect(readFileSync(path.join(pr, "files", "users.yaml"), "utf8")).toBe(pruneExpired(usersText, "2027-03-31").text);
    const body = readFileSync(path.join(pr, "pull-request.md"), "utf8");
    expect(body).toContain("rollcall: delete expired access from users.yaml");
    expect(body).toMatch(/rollcall removed it on its date \(the apply of \[this run\]\([^)]*\): success\)/);
    expect(body).toContain(
      "- alan: all access (expired 2027-03-31)\n- katherine: Anypoint business group 'Engineering' (expired 2027-03-31)\n",
    );
  }, 900_000);
});
