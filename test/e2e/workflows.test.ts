// The GitHub Actions workflows, exercised: their jobs run as the runners would (test/support/workflow.ts:
// `needs`, the reusable stacks.yml, one job per stack of the matrix in parallel, each in a workspace
// of its own) with the simulators standing in for the platforms, a local backend for the shared
// one, and a `gh` stand-in recording the label call. A step that no longer works fails here.
// The organization is split as the README's example: stacks/matrix.json lists people-0 and
// people-1 (stacks/Pulumi.people-{0,1}.example.yaml: shard 0/2 and 1/2). Flow: apply (first up,
// both stacks) → a pull request removing alan (share 1) and katherine (share 0, protected: that
// stack's guard refuses) → apply on merge without the refused part (alan disabled, by stack 1 only)
// → nightly drift check of both stacks.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnypointSimulator, SIM_ANYPOINT_APP } from "../../providers/anypoint/simulator";
import { ControlRoomSimulator, SIM_ADMIN } from "../../providers/controlroom/simulator";
import { PROJECT_ROOT, type StateExport } from "../../src/engine/pulumi-cli";
import { inShare, readShare } from "../../src/split/share";
import { runWorkflow, type WorkflowContext, type WorkflowRun } from "../support/workflow";

const WORKFLOWS = path.join(PROJECT_ROOT, ".github/workflows");
const STACKS = ["people-0", "people-1"];

/** Every step succeeded or was skipped, except those named in `failing` ("job: step"). */
function expectSteps(run: WorkflowRun, failing: string[] = []): void {
  for (const r of run.steps) {
    const id = `${r.job}: ${r.name}`;
    if ((r.outcome === "failure" || r.outcome === "cancelled") && !failing.includes(id)) throw new Error(`step "${id}" ${r.outcome === "failure" ? "failed" : "was cancelled"}:\n${r.log}`);
  }
  for (const f of failing) expect(run.steps.find((r) => `${r.job}: ${r.name}` === f)?.outcome, f).toBe("failure");
}

describe("the workflows, on an organization split across two stacks", () => {
  let dir: string;
  let ctx: WorkflowContext;
  let cr: ControlRoomSimulator;
  let ap: AnypointSimulator;
  let users: { users: { key: string; protected?: boolean; controlRoom?: { username: string }; anypoint?: { username: string } }[] };
  const share = (i: number) => users.users.map((u) => u.key).filter((k) => inShare(readShare(() => undefined, { ROLLCALL_SHARD: `${i}/2` }), k, "controlRoom"));
  const engineEnv = () => ({ ...process.env, ...ctx.env, PULUMI_BACKEND_URL: ctx.secrets.PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE: ctx.secrets.PULUMI_CONFIG_PASSPHRASE });
  const writeUsers = (list: typeof users.users) => writeFileSync(path.join(ctx.cwd, "users.yaml"), stringify({ ...users, users: list }));
  /** The people a stack's state holds resources of. */
  function managed(stack: string): Set<string> {
    const r = spawnSync("pulumi", ["stack", "export", "--stack", stack, "--cwd", ctx.cwd, "--non-interactive"], { env: engineEnv(), encoding: "utf8" });
    if (r.status !== 0) throw new Error(`pulumi stack export ${stack}: ${r.stderr}`);
    const resources = (JSON.parse(r.stdout) as StateExport).deployment.resources ?? [];
    return new Set(resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/rollcall:")).map((x) => x.urn.split("::").pop()!.split("@")[0]!));
  }
  const audit = (run: WorkflowRun, stack: string) => {
    const file = run.artifacts[`audit-${stack}`] && path.join(run.artifacts[`audit-${stack}`]!, `${stack}.jsonl`);
    return file && existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
  };

  beforeAll(async () => {
    cr = new ControlRoomSimulator({ idleTimeoutSeconds: 900 });
    ap = new AnypointSimulator({ idleTimeoutSeconds: 900, seed: { businessGroups: [{ name: "Sales" }, { name: "Engineering" }], teams: ["Approvers"] } });
    const [crUrl, apUrl] = await Promise.all([cr.start(), ap.start()]);
    dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-workflows-"));
    const repo = path.join(dir, "repo");
    // The repository at the commit (each job's actions/checkout copies it; node_modules shared: npm ci is skipped when the lock matches).
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" }).split("\n").filter((f) => f && f !== "node_modules" && existsSync(path.join(PROJECT_ROOT, f))); // (a worktree's node_modules is a link git lists)
    for (const f of files) cpSync(path.join(PROJECT_ROOT, f), path.join(repo, f), { recursive: true });
    symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(repo, "node_modules"));
    const bin = path.join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "gh"), `#!/usr/bin/env bash\necho "$*" >> "${path.join(dir, "gh.log")}"\n`);
    chmodSync(path.join(bin, "gh"), 0o755);
    ctx = {
      cwd: repo,
      secrets: { PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`, PULUMI_CONFIG_PASSPHRASE: "workflow-test", ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey, ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret },
      vars: {},
      github: { token: "local", event: { pull_request: { number: 7 } } },
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        PULUMI_HOME: path.join(dir, "pulumi-home"),
        // Connection settings that are not secrets (in each stacks/Pulumi.<stack>.yaml in a real repository).
        ROLLCALL_CONTROLROOM_URL: crUrl,
        ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
        ROLLCALL_ANYPOINT_URL: apUrl,
        ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId,
      },
      commentsDir: path.join(dir, "comments"),
      timeoutMs: 400_000,
    };
    mkdirSync(path.join(dir, "state"));
    // The split, as the README says to set it up: the example list and stack files, copied.
    copyFileSync(path.join(repo, "stacks/matrix.example.json"), path.join(repo, "stacks/matrix.json"));
    for (const stack of STACKS) {
      const example = parse(readFileSync(path.join(repo, `stacks/Pulumi.${stack}.example.yaml`), "utf8")) as { config: Record<string, string> };
      const share = Object.fromEntries(Object.entries(example.config).filter(([k]) => ["rollcall:usersFile", "rollcall:shard", "rollcall:platforms"].includes(k)));
      writeFileSync(path.join(repo, `stacks/Pulumi.${stack}.yaml`), stringify({ config: share }));
      const init = spawnSync("pulumi", ["stack", "init", stack, "--secrets-provider", "passphrase", "--non-interactive", "--cwd", repo], { env: engineEnv(), encoding: "utf8" });
      if (init.status !== 0) throw new Error(`pulumi stack init ${stack}: ${init.stderr}`);
    }
    // katherine is protected: removing her is refused by her stack's guard.
    users = parse(readFileSync(path.join(repo, "users.yaml"), "utf8")) as typeof users;
    users.users = users.users.map((u) => (u.key === "katherine" ? { ...u, protected: true } : u));
    writeUsers(users.users);
    expect(share(0)).toEqual(["katherine"]);
    expect(share(1)).toContain("alan");
  }, 120_000);
  afterAll(async () => {
    await Promise.all([cr?.stop(), ap?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("stacks.yml: the list is stacks/matrix.json; without it the one stack of ROLLCALL_STACK, default production", async () => {
    const list = async (files: Record<string, string>, vars: Record<string, string> = {}) => {
      const repo = mkdtempSync(path.join(dir, "stacks-"));
      for (const [f, text] of Object.entries(files)) (mkdirSync(path.dirname(path.join(repo, f)), { recursive: true }), writeFileSync(path.join(repo, f), text));
      const run = await runWorkflow(path.join(WORKFLOWS, "stacks.yml"), { ...ctx, cwd: repo, vars, runnersDir: path.join(repo, "..", `${path.basename(repo)}-runners`) });
      return { stacks: run.outputs.stacks ? (JSON.parse(run.outputs.stacks) as string[]) : undefined, failed: run.steps.filter((s) => s.outcome === "failure").map((s) => s.log).join("\n") };
    };
    expect(await list({ "stacks/Pulumi.demo.yaml": "" })).toEqual({ stacks: ["production"], failed: "" });
    expect(await list({}, { ROLLCALL_STACK: "acme" })).toEqual({ stacks: ["acme"], failed: "" });
    const split = { "stacks/matrix.json": '["people-0", "people-1"]', "stacks/Pulumi.people-0.yaml": "", "stacks/Pulumi.people-1.yaml": "" };
    expect((await list(split, { ROLLCALL_STACK: "production" })).stacks).toEqual(STACKS);
    expect((await list({ ...split, "stacks/matrix.json": '["people-0", "people-0"]' })).failed).toContain("people-0 listed twice");
    expect((await list({ ...split, "stacks/matrix.json": '["people-0", "people-2"]' })).failed).toContain("no stacks/Pulumi.<stack>.yaml for people-2");
    expect((await list({ "stacks/matrix.json": "people-0" })).failed).toContain("not JSON");
  }, 120_000);

  it("apply.yml: the first merge runs both stacks; each creates only its share's people, and keeps its audit trail under its own name", async () => {
    const run = await runWorkflow(path.join(WORKFLOWS, "apply.yml"), ctx);
    expectSteps(run);
    expect(run.jobs.filter((j) => j.job.startsWith("apply")).map((j) => [j.job, j.result])).toEqual(STACKS.map((s) => [`apply (${s})`, "success"]));
    for (const u of users.users) {
      expect(cr.findUser(u.controlRoom!.username), u.key).toBeDefined();
      expect(ap.state.findUser(u.anypoint!.username), u.key).toBeDefined();
    }
    expect(managed("people-0")).toEqual(new Set(share(0)));
    expect(managed("people-1")).toEqual(new Set(share(1)));
    // Each stack's calls are in its own audit artifact: katherine's creation only in stack 0's, alan's only in stack 1's.
    expect(audit(run, "people-0").some((l) => l.includes("katherine.johnson"))).toBe(true);
    expect(audit(run, "people-0").some((l) => l.includes("alan.turing"))).toBe(false);
    expect(audit(run, "people-1").some((l) => l.includes("alan.turing"))).toBe(true);
    expect(audit(run, "people-1").some((l) => l.includes("katherine.johnson"))).toBe(false);
  }, 600_000);

  it("preview.yml: one comment per stack; stack 1's shows alan's removal and labels the pull request; stack 0's guard fails only its own check", async () => {
    writeUsers(users.users.filter((u) => u.key !== "alan" && u.key !== "katherine"));
    const run = await runWorkflow(path.join(WORKFLOWS, "preview.yml"), ctx);
    expectSteps(run, ["preview (people-0): Fail when the preview failed (a guard, a name the platform does not know)", "result: Every stack's preview passed"]);
    const comment = (stack: string) => readFileSync(path.join(ctx.commentsDir, `rollcall-${stack}.md`), "utf8");
    // Stack 1 still ran to the end (fail-fast off) and commented the removal of alan, and only of alan.
    expect(comment("people-1").startsWith("<!-- rollcall:report stack=people-1 -->")).toBe(true);
    expect(comment("people-1")).toContain("> - **alan**: ");
    expect(comment("people-1")).not.toContain("katherine");
    // Stack 0's comment says its preview failed, and why: katherine is protected.
    expect(comment("people-0").startsWith("<!-- rollcall:report stack=people-0 -->")).toBe(true);
    expect(comment("people-0")).toContain("The preview failed");
    expect(comment("people-0")).toMatch(/katherine \(protected: true\)/);
    expect(comment("people-0")).not.toContain("alan");
    expect(readFileSync(path.join(dir, "gh.log"), "utf8")).toBe("pr edit 7 --add-label access-removal\n");
    expect(cr.findUser("alan.turing")?.disabled).toBeFalsy(); // a preview applies nothing
  }, 600_000);

  it("apply.yml on merge (katherine kept): stack 1 disables alan, stack 0 changes nothing; drift.yml then finds nothing in either stack", async () => {
    writeUsers(users.users.filter((u) => u.key !== "alan"));
    const run = await runWorkflow(path.join(WORKFLOWS, "apply.yml"), ctx);
    expectSteps(run);
    expect(cr.findUser("alan.turing")?.disabled).toBe(true);
    expect(cr.findUser("katherine.johnson")?.disabled).toBeFalsy();
    expect(audit(run, "people-1").filter((l) => l.includes('"method":"PUT"') && l.includes("alan.turing")).length).toBeGreaterThan(0);
    expect(audit(run, "people-0").filter((l) => /"method":"(PUT|POST|DELETE|PATCH)"/.test(l))).toEqual([]);
    expect(managed("people-0")).toEqual(new Set(share(0)));
    const drift = await runWorkflow(path.join(WORKFLOWS, "drift.yml"), ctx);
    expectSteps(drift);
    expect(drift.jobs.filter((j) => j.job.startsWith("drift")).map((j) => [j.job, j.result])).toEqual(STACKS.map((s) => [`drift (${s})`, "success"]));
  }, 600_000);

  it("review.yml: each stack keeps its access review (Markdown, CSV, JSON, the offboarding diff) as an artifact; one issue sums them up", async () => {
    // "Since" comes from users.yaml's history: the repository at the commit, with the change that granted the access.
    const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
    const git = (...args: string[]) => execFileSync("git", args, { cwd: ctx.cwd, env: gitEnv, encoding: "utf8" }).trim();
    git("init", "-q", "-b", "main");
    git("add", "users.yaml");
    git("commit", "-q", "-m", "Grant the team access (#5)");
    const sha = git("rev-parse", "HEAD");
    const run = await runWorkflow(path.join(WORKFLOWS, "review.yml"), ctx, { inputs: { "inactive-days": "30", "open-issue": "true" } });
    expectSteps(run);
    for (const stack of STACKS) {
      const kept = run.artifacts[`access-review-${stack}`]!;
      expect(readdirSync(kept).sort()).toEqual([`access-review-${stack}.csv`, `access-review-${stack}.json`, `access-review-${stack}.md`, `offboard-inactive-${stack}.diff`]);
      const csv = readFileSync(path.join(kept, `access-review-${stack}.csv`), "utf8").split("\r\n");
      expect(csv[0]).toBe("platform,business_group,kind,grant,username,person,email,since,commit,pull_request,expires,last_login,flags");
      // katherine's Control Room role: declared in the commit above, pull request #5; created by apply.yml, never signed in.
      expect(csv.filter((l) => l.startsWith("Control Room,,role,") && l.includes(",katherine.johnson,katherine,")).map((l) => l.split(",").slice(8, 10).concat(l.split(",")[11]!))).toEqual([[sha, "5", "never"]]);
    }
    expect(readFileSync(path.join(dir, "gh.log"), "utf8")).toMatch(/^issue create --title Access review \d{4}-\d\d-\d\d --body-file body.md$/m);
  }, 600_000);
});
