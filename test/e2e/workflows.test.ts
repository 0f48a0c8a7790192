// The GitHub Actions workflows, exercised: their `run:` steps run in order (test/support/workflow.ts)
// in a copy of the checkout, with the simulators standing in for the platforms, a local backend
// for the shared one, and a `gh` stand-in recording the label call. A step that no longer works
// fails here. Flow: apply (first up) → a pull request removing alan (preview + comment + label) →
// apply on merge (alan removed) → nightly drift check (nothing drifted).
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnypointSimulator, SIM_ANYPOINT_APP } from "../../providers/anypoint/simulator";
import { ControlRoomSimulator, SIM_ADMIN } from "../../providers/controlroom/simulator";
import { PROJECT_ROOT } from "../../src/engine/pulumi-cli";
import { runWorkflow, type StepResult, type WorkflowContext } from "../support/workflow";

const WORKFLOWS = path.join(PROJECT_ROOT, ".github/workflows");

function expectSteps(results: StepResult[], failing: string[] = []): void {
  for (const r of results) if (r.outcome === "failure" && !failing.includes(r.name)) throw new Error(`step "${r.name}" failed:\n${r.log}`);
}

describe("the workflows' run steps", () => {
  let dir: string;
  let ctx: WorkflowContext;
  let cr: ControlRoomSimulator;
  let ap: AnypointSimulator;
  beforeAll(async () => {
    cr = new ControlRoomSimulator({ idleTimeoutSeconds: 900 });
    ap = new AnypointSimulator({ idleTimeoutSeconds: 900, seed: { businessGroups: [{ name: "Sales" }, { name: "Engineering" }], teams: ["Approvers"] } });
    const [crUrl, apUrl] = await Promise.all([cr.start(), ap.start()]);
    dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-workflows-"));
    const repo = path.join(dir, "repo");
    // A copy of the checkout as actions/checkout leaves it (node_modules shared: npm ci is skipped when the lock matches).
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" }).split("\n").filter((f) => f && existsSync(path.join(PROJECT_ROOT, f)));
    for (const f of files) cpSync(path.join(PROJECT_ROOT, f), path.join(repo, f), { recursive: true });
    symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(repo, "node_modules"));
    const bin = path.join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "gh"), `#!/usr/bin/env bash\necho "$*" >> "${path.join(dir, "gh.log")}"\n`);
    chmodSync(path.join(bin, "gh"), 0o755);
    ctx = {
      cwd: repo,
      secrets: { PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`, PULUMI_CONFIG_PASSPHRASE: "workflow-test", ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey, ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret },
      vars: { ROLLCALL_STACK: "production" },
      github: { token: "local", event: { pull_request: { number: 7 } } },
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        PULUMI_HOME: path.join(dir, "pulumi-home"),
        // Stack settings that are not secrets (stacks/Pulumi.production.yaml in a real repository).
        ROLLCALL_CONTROLROOM_URL: crUrl,
        ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
        ROLLCALL_ANYPOINT_URL: apUrl,
        ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId,
      },
      commentsDir: path.join(dir, "comments"),
      timeoutMs: 400_000,
    };
    mkdirSync(path.join(dir, "state"));
    const init = spawnSync("pulumi", ["stack", "init", "production", "--secrets-provider", "passphrase", "--non-interactive"], { cwd: repo, env: { ...process.env, ...ctx.env, PULUMI_BACKEND_URL: ctx.secrets.PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE: "workflow-test" }, encoding: "utf8" });
    if (init.status !== 0) throw new Error(`pulumi stack init: ${init.stderr}`);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([cr?.stop(), ap?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("apply.yml: the first merge creates everyone in users.yaml", async () => {
    expectSteps(await runWorkflow(path.join(WORKFLOWS, "apply.yml"), ctx));
    expect(cr.findUser("alan.turing")).toBeDefined();
  }, 600_000);

  it("preview.yml: a pull request removing alan gets one comment with the removal, and the access-removal label", async () => {
    const file = path.join(ctx.cwd, "users.yaml");
    const users = parse(readFileSync(file, "utf8")) as { users: { key: string }[] };
    users.users = users.users.filter((u) => u.key !== "alan");
    writeFileSync(file, stringify(users));
    const results = await runWorkflow(path.join(WORKFLOWS, "preview.yml"), ctx);
    expectSteps(results);
    const comment = readFileSync(path.join(ctx.commentsDir, "rollcall-production.md"), "utf8");
    expect(comment.startsWith("<!-- rollcall:report stack=production -->")).toBe(true);
    expect(comment).toContain("> - **alan**: ");
    expect(readFileSync(path.join(dir, "gh.log"), "utf8")).toBe("pr edit 7 --add-label access-removal\n");
    expect(cr.findUser("alan.turing")).toBeDefined(); // a preview applies nothing
  }, 600_000);

  it("apply.yml on merge offboards alan (disabled: the default); drift.yml then finds nothing changed outside rollcall", async () => {
    expectSteps(await runWorkflow(path.join(WORKFLOWS, "apply.yml"), ctx));
    expect(cr.findUser("alan.turing")?.disabled).toBe(true);
    // The audit trail of that up is kept as the job's artifact: the PUT that disabled alan is in it.
    const audit = readFileSync(path.join(ctx.commentsDir, "..", "artifacts", "audit-production", "production.jsonl"), "utf8");
    expect(audit.split("\n").filter((l) => l.includes('"method":"PUT"') && l.includes("alan.turing")).length).toBeGreaterThan(0);
    expectSteps(await runWorkflow(path.join(WORKFLOWS, "drift.yml"), ctx));
  }, 600_000);
});
