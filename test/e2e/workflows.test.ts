// The GitHub Actions workflows, exercised: their jobs run as the runners would (test/support/workflow.ts:
// `needs`, the reusable stacks.yml, one job per stack of the matrix in parallel, each in a workspace
// of its own) with the simulators standing in for the platforms, a local backend for the shared
// one, and a `gh` stand-in serving the pull request (its changed files, its users.yaml at the head)
// and keeping its labels. A step that no longer works fails here. The preview runs with a read-only
// identity (the `preview` environment: a Control Room role with View users and View roles, an
// Anypoint connected app without Organization Administrator); the apply with the admin one.
// The organization is split as the README's example: stacks/matrix.json lists people-0 and
// people-1 (stacks/Pulumi.people-{0,1}.example.yaml: shard 0/2 and 1/2). Flow: apply (first up,
// both stacks) → a pull request removing alan (share 1) and katherine (share 0, protected: that
// stack's guard refuses) → apply on merge without the refused part (alan disabled, by stack 1 only)
// → nightly drift check of both stacks → a pull request changing nothing swaps the label. Beside it:
// a pull request whose head also carries code that would exfiltrate the credential and a stack
// setting pointing Control Room at another host: the base's code and settings run, unchanged.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnypointSimulator, SIM_ANYPOINT_APP } from "../../src/sim/anypoint/simulator";
import { ControlRoomSimulator, SIM_ADMIN } from "../../src/sim/controlroom/simulator";
import { PROJECT_ROOT, type StateExport } from "../../src/pulumi/engine/pulumi-cli";
import { mutatingRequests, type RecordedRequest } from "../../src/sim/harness";
import { inShare, readShare } from "../../src/features/split/share";
import { runWorkflow, type WorkflowContext, type WorkflowRun } from "../support/workflow";

const WORKFLOWS = path.join(PROJECT_ROOT, ".github/workflows");
const STACKS = ["people-0", "people-1"];

/** The stand-in for the `gh` CLI: the pull request's changed files and head files, and its labels (files under $1). */
const GH_STAND_IN = (state: string) => `#!/usr/bin/env bash
set -euo pipefail
S="${state}"
echo "$*" >> "$S/log"
case "$1" in
  api)
    path=""; for a in "$@"; do case "$a" in repos/*) path="$a";; esac; done
    case "$path" in
      */pulls/*/files) cat "$S/changed.txt";;
      */contents/*) f="\${path#*/contents/}"; f="\${f%%[?]*}"; [ -f "$S/head/$f" ] || { echo "gh: Not Found (HTTP 404): $f" >&2; exit 1; }; cat "$S/head/$f";;
      *) echo "gh stand-in: no api $path" >&2; exit 1;;
    esac;;
  label)
    case "$2" in
      list) cat "$S/labels.txt";;
      create) echo "$3" >> "$S/labels.txt";;
      *) echo "gh stand-in: no label $2" >&2; exit 1;;
    esac;;
  pr)
    [ "$2" = edit ] || { echo "gh stand-in: no pr $2" >&2; exit 1; }
    shift 2
    while [ $# -gt 0 ]; do
      case "$1" in
        --add-label) grep -qxF "$2" "$S/labels.txt" || { echo "gh: '$2' not found" >&2; exit 1; }; grep -qxF "$2" "$S/pr-labels.txt" || echo "$2" >> "$S/pr-labels.txt"; shift 2;;
        --remove-label) grep -qxF "$2" "$S/labels.txt" || { echo "gh: '$2' not found" >&2; exit 1; }; { grep -vxF "$2" "$S/pr-labels.txt" || true; } > "$S/tmp"; mv "$S/tmp" "$S/pr-labels.txt"; shift 2;;
        *) shift;;
      esac
    done;;
  issue)
    # The issue's body as GitHub would get it (review.yml's issue job).
    [ "$2" = create ] || { echo "gh stand-in: no issue $2" >&2; exit 1; }
    shift 2
    while [ $# -gt 0 ]; do case "$1" in --body-file) cp "$2" "$S/issue.md"; shift 2;; *) shift;; esac; done;;
  *) echo "gh stand-in: no $1" >&2; exit 1;;
esac
`;

/** What a run asked of the platforms, in an order that does not depend on timing. */
const calls = (log: RecordedRequest[]) => log.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ""}`).sort();

/** Every regular file under `root` holding `needle` (links not followed). */
function filesHolding(root: string, needle: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const f = path.join(d, e);
      const st = lstatSync(f);
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) walk(f);
      else if (st.isFile() && readFileSync(f).includes(needle)) out.push(f);
    }
  };
  walk(root);
  return out;
}

/** Every step succeeded or was skipped, except those named in `failing` ("job: step"). */
function expectSteps(run: WorkflowRun, failing: string[] = []): void {
  for (const r of run.steps) {
    const id = `${r.job}: ${r.name}`;
    if ((r.outcome === "failure" || r.outcome === "cancelled") && !failing.includes(id))
      throw new Error(`step "${id}" ${r.outcome === "failure" ? "failed" : "was cancelled"}:\n${r.log}`);
  }
  for (const f of failing) expect(run.steps.find((r) => `${r.job}: ${r.name}` === f)?.outcome, f).toBe("failure");
}

describe("the workflows, on an organization split across two stacks", () => {
  let dir: string;
  let ctx: WorkflowContext;
  let cr: ControlRoomSimulator;
  let ap: AnypointSimulator;
  let gh: string;
  const previewKey = randomBytes(20).toString("hex");
  const previewSecret = `preview-${randomBytes(12).toString("hex")}`;
  /** A pull request: its head is the base with these files changed (users.yaml: the users given). */
  function pullRequest(list: typeof users.users, other: Record<string, string> = {}): void {
    rmSync(ctx.head!, { recursive: true, force: true });
    cpSync(ctx.cwd, ctx.head!, { recursive: true });
    writeFileSync(path.join(ctx.head!, "users.yaml"), stringify({ ...users, users: list }));
    for (const [f, text] of Object.entries(other)) writeFileSync(path.join(ctx.head!, f), text);
    writeFileSync(path.join(gh, "changed.txt"), ["users.yaml", ...Object.keys(other)].map((f) => `${f}\n`).join(""));
  }
  const prLabels = () => readFileSync(path.join(gh, "pr-labels.txt"), "utf8").split("\n").filter(Boolean).sort();
  const comment = (header: string) => readFileSync(path.join(ctx.commentsDir, `${header}.md`), "utf8");
  let users: { users: { key: string; protected?: boolean; controlRoom?: { username: string }; anypoint?: { username: string } }[] };
  const share = (i: number) =>
    users.users
      .map((u) => u.key)
      .filter((k) =>
        inShare(
          readShare(() => undefined, { ROLLCALL_SHARD: `${i}/2` }),
          k,
          "controlRoom",
        ),
      );
  const engineEnv = () => ({
    ...process.env,
    ...ctx.env,
    PULUMI_BACKEND_URL: ctx.secrets.PULUMI_BACKEND_URL,
    PULUMI_CONFIG_PASSPHRASE: ctx.secrets.PULUMI_CONFIG_PASSPHRASE,
  });
  const writeUsers = (list: typeof users.users) => writeFileSync(path.join(ctx.cwd, "users.yaml"), stringify({ ...users, users: list }));
  /** The people a stack's state holds resources of. */
  function managed(stack: string): Set<string> {
    const r = spawnSync("pulumi", ["stack", "export", "--stack", stack, "--cwd", ctx.cwd, "--non-interactive"], {
      env: engineEnv(),
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`pulumi stack export ${stack}: ${r.stderr}`);
    const resources = (JSON.parse(r.stdout) as StateExport).deployment.resources ?? [];
    return new Set(
      resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/rollcall:")).map((x) => x.urn.split("::").pop()!.split("@")[0]!),
    );
  }
  const audit = (run: WorkflowRun, stack: string) => {
    const file = run.artifacts[`audit-${stack}`] && path.join(run.artifacts[`audit-${stack}`]!, `${stack}.jsonl`);
    return file && existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
  };

  beforeAll(async () => {
    cr = new ControlRoomSimulator({ idleTimeoutSeconds: 900 });
    ap = new AnypointSimulator({
      idleTimeoutSeconds: 900,
      seed: { businessGroups: [{ name: "Sales" }, { name: "Engineering" }], teams: ["Approvers"] },
    });
    const [crUrl, apUrl] = await Promise.all([cr.start(), ap.start()]);
    dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-workflows-"));
    const repo = path.join(dir, "repo");
    // The repository at the commit (each job's actions/checkout copies it; node_modules shared: npm ci is skipped when the lock matches).
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" })
      .split("\n")
      .filter((f) => f && f !== "node_modules" && existsSync(path.join(PROJECT_ROOT, f))); // (a worktree's node_modules is a link git lists)
    for (const f of files) cpSync(path.join(PROJECT_ROOT, f), path.join(repo, f), { recursive: true });
    symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(repo, "node_modules"));
    const bin = path.join(dir, "bin");
    mkdirSync(bin);
    gh = path.join(dir, "gh");
    mkdirSync(gh);
    for (const f of ["log", "labels.txt", "pr-labels.txt", "changed.txt"]) writeFileSync(path.join(gh, f), "");
    writeFileSync(path.join(bin, "gh"), GH_STAND_IN(gh));
    chmodSync(path.join(bin, "gh"), 0o755);
    // The read-only identity of the `preview` environment, with credentials made for this run (so
    // finding them in a file means this run wrote them there).
    cr.addUser({ username: "preview-bot", email: "preview-bot@example.com", apiKey: previewKey, roles: ["User Viewer"] });
    ap.state.addConnectedApp({ clientId: "preview-app", clientSecret: previewSecret, name: "preview", orgAdmin: false });
    ctx = {
      cwd: repo,
      head: path.join(gh, "head"),
      secrets: { PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`, PULUMI_CONFIG_PASSPHRASE: "workflow-test" },
      environments: {
        preview: {
          secrets: { ROLLCALL_CONTROLROOM_API_KEY: previewKey, ROLLCALL_ANYPOINT_CLIENT_SECRET: previewSecret },
          vars: { ROLLCALL_CONTROLROOM_USERNAME: "preview-bot", ROLLCALL_ANYPOINT_CLIENT_ID: "preview-app" },
        },
        production: {
          secrets: { ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey, ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret },
          vars: { ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username, ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId },
        },
      },
      vars: {},
      github: {
        token: "local",
        repository: "acme/access",
        ref: "refs/heads/main",
        event: {
          pull_request: {
            number: 7,
            base: { ref: "main" },
            head: { sha: "0123456789abcdef0123456789abcdef01234567", repo: { full_name: "someone/access" } },
          },
        },
      },
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        PULUMI_HOME: path.join(dir, "pulumi-home"),
        // Connection settings that are not secrets (in each stacks/Pulumi.<stack>.yaml in a real repository).
        ROLLCALL_CONTROLROOM_URL: crUrl,
        ROLLCALL_ANYPOINT_URL: apUrl,
      },
      commentsDir: path.join(dir, "comments"),
      timeoutMs: 400_000,
    };
    mkdirSync(path.join(dir, "state"));
    // The split, as the README says to set it up: the example list and stack files, copied.
    copyFileSync(path.join(repo, "stacks/matrix.example.json"), path.join(repo, "stacks/matrix.json"));
    for (const stack of STACKS) {
      const example = parse(readFileSync(path.join(repo, `stacks/Pulumi.${stack}.example.yaml`), "utf8")) as {
        config: Record<string, string>;
      };
      const share = Object.fromEntries(
        Object.entries(example.config).filter(([k]) => ["rollcall:usersFile", "rollcall:shard", "rollcall:platforms"].includes(k)),
      );
      writeFileSync(path.join(repo, `stacks/Pulumi.${stack}.yaml`), stringify({ config: share }));
      const init = spawnSync("pulumi", ["stack", "init", stack, "--secrets-provider", "passphrase", "--non-interactive", "--cwd", repo], {
        env: engineEnv(),
        encoding: "utf8",
      });
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
      for (const [f, text] of Object.entries(files))
        (mkdirSync(path.dirname(path.join(repo, f)), { recursive: true }), writeFileSync(path.join(repo, f), text));
      const run = await runWorkflow(path.join(WORKFLOWS, "stacks.yml"), {
        ...ctx,
        cwd: repo,
        vars,
        runnersDir: path.join(repo, "..", `${path.basename(repo)}-runners`),
      });
      return {
        stacks: run.outputs.stacks ? (JSON.parse(run.outputs.stacks) as string[]) : undefined,
        failed: run.steps
          .filter((s) => s.outcome === "failure")
          .map((s) => s.log)
          .join("\n"),
      };
    };
    expect(await list({ "stacks/Pulumi.demo.yaml": "" })).toEqual({ stacks: ["production"], failed: "" });
    expect(await list({}, { ROLLCALL_STACK: "acme" })).toEqual({ stacks: ["acme"], failed: "" });
    const split = {
      "stacks/matrix.json": '["people-0", "people-1"]',
      "stacks/Pulumi.people-0.yaml": "",
      "stacks/Pulumi.people-1.yaml": "",
    };
    expect((await list(split, { ROLLCALL_STACK: "production" })).stacks).toEqual(STACKS);
    expect((await list({ ...split, "stacks/matrix.json": '["people-0", "people-0"]' })).failed).toContain("people-0 listed twice");
    expect((await list({ ...split, "stacks/matrix.json": '["people-0", "people-2"]' })).failed).toContain(
      "no stacks/Pulumi.<stack>.yaml for people-2",
    );
    expect((await list({ "stacks/matrix.json": "people-0" })).failed).toContain("not JSON");
  }, 120_000);

  it("apply.yml and drift.yml: one concurrency group per stack, shared, never cancelled midway (GitHub queues; the local runner does not model it, so this reads the files)", () => {
    const group = (file: string, job: string) =>
      (
        parse(readFileSync(path.join(WORKFLOWS, file), "utf8")) as {
          jobs: Record<string, { concurrency?: { group: string; "cancel-in-progress": boolean } }>;
        }
      ).jobs[job]!.concurrency;
    expect(group("apply.yml", "apply")).toEqual({ group: "rollcall-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(group("drift.yml", "drift")).toEqual(group("apply.yml", "apply"));
  });

  it("apply.yml: the first merge runs both stacks; each creates only its share's people, and keeps its audit trail under its own name", async () => {
    const run = await runWorkflow(path.join(WORKFLOWS, "apply.yml"), ctx);
    expectSteps(run);
    expect(run.jobs.filter((j) => j.job.startsWith("apply")).map((j) => [j.job, j.result])).toEqual(
      STACKS.map((s) => [`apply (${s})`, "success"]),
    );
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

  let previewCalls: { cr: string[]; ap: string[] };

  it("preview.yml (pull_request_target, read-only identity): one comment per stack from the head's users.yaml; stack 1 shows alan's removal; stack 0's guard refuses katherine's; one label, created with its colour", async () => {
    pullRequest(users.users.filter((u) => u.key !== "alan" && u.key !== "katherine"));
    cr.server.clearLog();
    ap.server.clearLog();
    const run = await runWorkflow(path.join(WORKFLOWS, "preview.yml"), ctx);
    expectSteps(run);
    previewCalls = { cr: calls(cr.requests), ap: calls(ap.requests) };
    // Stack 1 still ran to the end and commented the removal of alan, and only of alan.
    expect(comment("rollcall-people-1").startsWith("<!-- rollcall:report stack=people-1 -->")).toBe(true);
    expect(comment("rollcall-people-1")).toContain("> - **alan**: ");
    expect(comment("rollcall-people-1")).not.toContain("katherine");
    // Stack 0's comment says why nothing can be applied: katherine is protected.
    expect(comment("rollcall-people-0").startsWith("<!-- rollcall:report stack=people-0 -->")).toBe(true);
    expect(comment("rollcall-people-0")).toMatch(/katherine \(protected: true\)/);
    expect(comment("rollcall-people-0")).not.toContain("alan");
    // A refusal does not fail the check (nothing can be applied on merge); it is visible as a warning.
    expect(run.steps.find((r) => r.name.startsWith("Fail when the preview failed") && r.job === "preview (people-0)")?.log).toContain(
      "rollcall refused the change for people-0",
    );
    // Only users.yaml changed: no "not previewed" note.
    expect(existsSync(path.join(ctx.commentsDir, "rollcall-not-previewed.md"))).toBe(false);
    // Labels: the three created with their colours, exactly one on the pull request.
    expect(readFileSync(path.join(gh, "log"), "utf8")).toContain("label create access-removal --repo acme/access --color d73a4a");
    expect(prLabels()).toEqual(["access-removal"]);
    // The read-only identity did the reading; nothing was written; the full report is an artifact.
    expect(cr.requests.filter((r) => r.path.endsWith("/authentication")).map((r) => (r.body as { username?: string }).username)).toContain(
      "preview-bot",
    );
    expect(
      cr.requests.filter((r) => r.path.endsWith("/authentication")).map((r) => (r.body as { username?: string }).username),
    ).not.toContain(SIM_ADMIN.username);
    expect(mutatingRequests(cr.requests)).toEqual([]);
    expect(mutatingRequests(ap.requests)).toEqual([]);
    expect(existsSync(path.join(run.artifacts["preview-people-1"]!, "preview.json"))).toBe(true);
    expect(cr.findUser("alan.turing")?.disabled).toBeFalsy(); // a preview applies nothing
  }, 600_000);

  it("preview.yml: a head that also changes code (writing the credential to a file) and a stack's Control Room URL changes nothing: the same requests, the credential nowhere, no request to the other host; the note names what was not previewed", async () => {
    const exfil = path.join(dir, "exfiltrated.txt");
    const trap: string[] = [];
    const server = http.createServer((req, res) => (trap.push(`${req.method} ${req.url}`), res.end("{}")));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const trapUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const index = readFileSync(path.join(ctx.cwd, "src/program/index.ts"), "utf8").replace(
        "export = async () => {",
        `export = async () => {\n  require("node:fs").writeFileSync(${JSON.stringify(exfil)}, String(process.env.ROLLCALL_CONTROLROOM_API_KEY));`,
      );
      const settings = readFileSync(path.join(ctx.cwd, "stacks/Pulumi.people-1.yaml"), "utf8").replace(
        "config:\n",
        `config:\n  rollcall:controlRoomUrl: ${trapUrl}\n  rollcall:anypointUrl: ${trapUrl}\n`,
      );
      expect(index).toContain(exfil);
      expect(settings).toContain(trapUrl);
      pullRequest(
        users.users.filter((u) => u.key !== "alan" && u.key !== "katherine"),
        { "src/program/index.ts": index, "stacks/Pulumi.people-1.yaml": settings },
      );
      cr.server.clearLog();
      ap.server.clearLog();
      const run = await runWorkflow(path.join(WORKFLOWS, "preview.yml"), ctx);
      expectSteps(run);
      expect({ cr: calls(cr.requests), ap: calls(ap.requests) }).toEqual(previewCalls);
      expect(trap).toEqual([]);
      expect(existsSync(exfil)).toBe(false);
      expect(filesHolding(dir, previewKey)).toEqual([]);
      expect(filesHolding(dir, previewSecret)).toEqual([]);
      const note = comment("rollcall-not-previewed");
      expect(note).toContain("**Not previewed.**");
      expect(note).toContain("> - `src/program/index.ts`");
      expect(note).toContain("> - `stacks/Pulumi.people-1.yaml`");
      expect(note).not.toContain("`users.yaml`\n");
      expect(comment("rollcall-people-1")).toContain("> - **alan**: ");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
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
    expect(drift.jobs.filter((j) => j.job.startsWith("drift")).map((j) => [j.job, j.result])).toEqual(
      STACKS.map((s) => [`drift (${s})`, "success"]),
    );
  }, 600_000);

  it("review.yml: each stack keeps its access review (Markdown, CSV, JSON, the offboarding diff) as an artifact; one issue sums them up", async () => {
    // "Since" comes from users.yaml's history: the repository at the commit, with the change that granted the access.
    const gitEnv = {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    };
    const git = (...args: string[]) => execFileSync("git", args, { cwd: ctx.cwd, env: gitEnv, encoding: "utf8" }).trim();
    git("init", "-q", "-b", "main");
    git("add", "users.yaml");
    git("commit", "-q", "-m", "Grant the team access (#5)");
    const sha = git("rev-parse", "HEAD");
    const before = { cr: cr.requests.length, ap: ap.requests.length };
    const run = await runWorkflow(path.join(WORKFLOWS, "review.yml"), ctx, { inputs: { "inactive-days": "30", "open-issue": "true" } });
    expectSteps(run);
    // The review only reads: it logs in as the `preview` environment's read-only identity, never the apply one.
    const logins = cr.requests
      .slice(before.cr)
      .filter((r) => r.path.endsWith("/authentication"))
      .map((r) => (r.body as { username?: string }).username);
    const apps = ap.requests
      .slice(before.ap)
      .filter((r) => r.path.endsWith("/oauth2/token"))
      .map((r) => (r.body as { client_id?: string }).client_id);
    expect(logins.length && apps.length).toBeGreaterThan(0);
    expect({ controlRoom: new Set(logins), anypoint: new Set(apps) }).toEqual({
      controlRoom: new Set(["preview-bot"]),
      anypoint: new Set(["preview-app"]),
    });
    for (const stack of STACKS) {
      const kept = run.artifacts[`access-review-${stack}`]!;
      expect(readdirSync(kept).sort()).toEqual([
        `access-review-${stack}.csv`,
        `access-review-${stack}.json`,
        `access-review-${stack}.md`,
        `offboard-inactive-${stack}.diff`,
      ]);
      const csv = readFileSync(path.join(kept, `access-review-${stack}.csv`), "utf8").split("\r\n");
      expect(csv[0]).toBe("platform,business_group,kind,grant,username,person,email,since,commit,pull_request,expires,last_login,flags");
      // katherine's Control Room role: declared in the commit above, pull request #5; created by apply.yml, never signed in.
      expect(
        csv
          .filter((l) => l.startsWith("Control Room,,role,") && l.includes(",katherine.johnson,katherine,"))
          .map((l) => l.split(",").slice(8, 10).concat(l.split(",")[11]!)),
      ).toEqual([[sha, "5", "never"]]);
    }
    expect(readFileSync(path.join(gh, "log"), "utf8")).toMatch(/^issue create --title Access review \d{4}-\d\d-\d\d --body-file body.md$/m);
    expect(readFileSync(path.join(gh, "issue.md"), "utf8")).toContain("The quarterly access review");
  }, 600_000);

  it("preview.yml after the merge: a pull request changing nothing swaps the label to no-access-change and empties the note", async () => {
    pullRequest(users.users.filter((u) => u.key !== "alan"));
    const run = await runWorkflow(path.join(WORKFLOWS, "preview.yml"), ctx);
    expectSteps(run);
    expect(prLabels()).toEqual(["no-access-change"]);
    expect(readFileSync(path.join(gh, "log"), "utf8").trim().split("\n").pop()).toBe(
      "pr edit 7 --repo acme/access --add-label no-access-change --remove-label access-change --remove-label access-removal",
    );
    expect(comment("rollcall-not-previewed")).toContain("Everything this pull request changes was previewed");
  }, 600_000);

  it("an approved mass removal: the refusal in the pull request names the manual apply; the merge applies nothing there; the manual run with max_removals, in the production environment, does", async () => {
    // Stack 1 allows no user removal at all (rollcall:maxRemovals 0, in the base's stack settings).
    const settings = path.join(ctx.cwd, "stacks/Pulumi.people-1.yaml");
    writeFileSync(settings, readFileSync(settings, "utf8").replace("config:\n", 'config:\n  rollcall:maxRemovals: "0"\n'));
    const kept = users.users.filter((u) => u.key !== "alan" && u.key !== "grace");
    pullRequest(kept);
    const preview = await runWorkflow(path.join(WORKFLOWS, "preview.yml"), ctx);
    expectSteps(preview);
    expect(comment("rollcall-people-1")).toContain(
      'a maintainer runs the workflow "rollcall apply" by hand on main (Actions > rollcall apply > Run workflow) with max_removals 1',
    );
    expect(comment("rollcall-people-1")).not.toContain("pulumi up");
    expect(prLabels()).toEqual(["access-removal"]);
    writeUsers(kept);
    const merge = await runWorkflow(path.join(WORKFLOWS, "apply.yml"), ctx);
    expectSteps(merge, ["apply (people-1): Report what will be applied (and save it as the engine's update plan)"]);
    expect(cr.findUser("grace.hopper")?.disabled).toBeFalsy();
    // The approved path: the apply job runs in the production environment (its required reviewers are GitHub's part).
    expect(
      (parse(readFileSync(path.join(WORKFLOWS, "apply.yml"), "utf8")) as { jobs: { apply: { environment: string } } }).jobs.apply
        .environment,
    ).toBe("production");
    const approved = await runWorkflow(path.join(WORKFLOWS, "apply.yml"), ctx, { inputs: { max_removals: "1" } });
    expectSteps(approved);
    expect(cr.findUser("grace.hopper")?.disabled).toBe(true);
  }, 900_000);
});
