// Runs a GitHub Actions workflow locally as the runners would, as far as rollcall's workflows need:
// - jobs in `needs` order, a job-level `if:` (default: every needed job succeeded), job `outputs`,
//   `needs.<job>.outputs` / `needs.<job>.result`;
// - a job that `uses:` a local reusable workflow (./.github/workflows/x.yml): its jobs run, its
//   `on.workflow_call.outputs` become the calling job's outputs;
// - `strategy.matrix` (literal lists or `${{ fromJSON(…) }}`): one instance per combination, run in
//   parallel, each in a workspace of its own (as on separate runners: nothing a job writes is seen
//   by another); `fail-fast` unless `false`: when one instance fails, the others count as
//   cancelled (the worst case GitHub allows, so a test that needs them is red);
// - per step: bash with `set -eo pipefail`, the workflow's, job's and step's `env:` (expressions
//   evaluated against local stand-ins for secrets, vars and the event), `$GITHUB_OUTPUT` /
//   `$GITHUB_STEP_SUMMARY` files, `if:` conditions; `uses:` steps mapped to a local equivalent or
//   skipped with the reason logged.
// - `environment:`: that environment's secrets and variables over the repository's (ctx.environments);
// - pull_request_target: actions/checkout gives the base (ctx.cwd); only a checkout that asks for
//   the head commit (`ref:` the event's head sha) gets ctx.head, so a test can watch it go wrong.
// Not modelled: `concurrency` (one run at a time here anyway), `permissions`, environment approvals,
// runners' images.
import { spawn } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  environment?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  secrets?: "inherit" | Record<string, string>;
  strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on?: { workflow_call?: { outputs?: Record<string, { value: string }> } };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export interface WorkflowContext {
  /** The repository at the commit the workflow runs on: each job's checkout is a fresh copy of it. */
  cwd: string;
  secrets: Record<string, string>;
  vars?: Record<string, string>;
  github: Record<string, unknown>;
  /** Extra process environment (PATH with the engine and a `gh` stand-in, simulator URLs). */
  env: Record<string, string>;
  /** A pull request's head commit (the repository as the pull request would have it). */
  head?: string;
  /** Per GitHub environment: its secrets and variables, over the repository's. */
  environments?: Record<string, { secrets?: Record<string, string>; vars?: Record<string, string> }>;
  /** Where the sticky-comment stand-in writes each comment (one file per header: edited in place). */
  commentsDir: string;
  /** Where the create-pull-request stand-in writes each pull request (one folder per branch; default: beside commentsDir). */
  pullRequestsDir?: string;
  /** Where jobs' workspaces and each run's artifacts go (default: beside `cwd`). */
  runnersDir?: string;
  timeoutMs?: number;
}

export type Outcome = "success" | "failure" | "skipped" | "cancelled";

export interface StepResult {
  /** The job, with its matrix values: `apply (people-0)`. */
  job: string;
  name: string;
  outcome: Outcome;
  log: string;
}

export interface JobRun {
  job: string;
  matrix?: Record<string, unknown>;
  result: Outcome;
  outputs: Record<string, string>;
  /** What the job's steps appended to `$GITHUB_STEP_SUMMARY`. */
  summary: string;
}

export interface WorkflowRun {
  steps: StepResult[];
  jobs: JobRun[];
  /** `on.workflow_call.outputs`, for a reusable workflow. */
  outputs: Record<string, string>;
  /** Artifacts uploaded in this run: name → the folder holding them. */
  artifacts: Record<string, string>;
}

type Scope = {
  secrets: Record<string, string>;
  vars: Record<string, string>;
  github: Record<string, unknown>;
  env: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
  needs: Record<string, { outputs: Record<string, string>; result: string }>;
  matrix: Record<string, unknown>;
  inputs: Record<string, string>;
  jobs: Record<string, { outputs: Record<string, string>; result: string }>;
  failed?: boolean;
};

let runs = 0;

export async function runWorkflow(
  file: string,
  ctx: WorkflowContext,
  call: { inputs?: Record<string, string>; secrets?: Record<string, string>; run?: number } = {},
): Promise<WorkflowRun> {
  const wf = parse(readFileSync(file, "utf8")) as Workflow;
  const root = path.resolve(path.dirname(file), "../..");
  const runId = call.run ?? ++runs;
  const runnersDir = ctx.runnersDir ?? path.join(path.dirname(ctx.cwd), "runners");
  const artifactsDir = path.join(runnersDir, `run-${runId}`, "artifacts");
  const out: WorkflowRun = { steps: [], jobs: [], outputs: {}, artifacts: {} };
  const done: Scope["jobs"] = {};
  const secrets = call.secrets ?? ctx.secrets;
  const base = { secrets, vars: ctx.vars ?? {}, github: ctx.github, inputs: call.inputs ?? {} };

  for (const id of order(wf.jobs)) {
    const job = wf.jobs[id]!;
    const needs = Object.fromEntries(list(job.needs).map((n) => [n, done[n]!]));
    const scope: Scope = { ...base, env: {}, steps: {}, needs, matrix: {}, jobs: done };
    const allNeedsOk = list(job.needs).every((n) => done[n]!.result === "success");
    if (!truthy(job.if ?? "success()", { ...scope, failed: !allNeedsOk })) {
      done[id] = { outputs: {}, result: "skipped" };
      out.jobs.push({ job: id, result: "skipped", outputs: {}, summary: "" });
      continue;
    }
    if (job.uses) {
      // A reusable workflow of this repository: its jobs run as part of this run.
      const inputs = Object.fromEntries(Object.entries(job.with ?? {}).map(([k, v]) => [k, evaluate(String(v), scope)]));
      const called = await runWorkflow(path.join(root, job.uses), ctx, {
        inputs,
        secrets: job.secrets === "inherit" ? secrets : {},
        run: runId,
      });
      out.steps.push(...called.steps.map((s) => ({ ...s, job: `${id} / ${s.job}` })));
      out.jobs.push(...called.jobs.map((j) => ({ ...j, job: `${id} / ${j.job}` })));
      Object.assign(out.artifacts, called.artifacts);
      const result = aggregate(called.jobs.map((j) => j.result));
      done[id] = { outputs: called.outputs, result };
      continue;
    }
    const environment = job.environment ? ctx.environments?.[job.environment] : undefined;
    if (job.environment && !environment)
      throw new Error(`job ${id} runs in the environment '${job.environment}', which the test does not define (ctx.environments)`);
    if (environment)
      Object.assign(scope, { secrets: { ...scope.secrets, ...environment.secrets }, vars: { ...scope.vars, ...environment.vars } });
    const combos = matrixOf(job, scope);
    // Each instance its own env and steps (one runner each).
    const instances = await Promise.all(
      combos.map((matrix) =>
        runJob(id, job, wf, { ...scope, env: {}, steps: {}, matrix }, ctx, { runnersDir, runId, artifactsDir, artifacts: out.artifacts }),
      ),
    );
    if (job.strategy?.["fail-fast"] !== false && instances.some((i) => i.run.result === "failure")) {
      for (const i of instances) {
        if (i.run.result === "failure") continue;
        i.run.result = "cancelled";
        i.steps.push({
          job: i.run.job,
          name: "(fail-fast)",
          outcome: "cancelled",
          log: "another instance of this matrix failed and strategy.fail-fast is not false: GitHub cancels this job",
        });
      }
    }
    for (const i of instances) {
      out.steps.push(...i.steps);
      out.jobs.push(i.run);
    }
    done[id] = {
      outputs: Object.assign({}, ...instances.map((i) => i.run.outputs)),
      result: aggregate(instances.map((i) => i.run.result)),
    };
  }
  for (const [name, o] of Object.entries(wf.on?.workflow_call?.outputs ?? {}))
    out.outputs[name] = evaluate(o.value, { ...base, env: {}, steps: {}, needs: {}, matrix: {}, jobs: done });
  return out;
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Jobs in an order where every job comes after the ones it needs. */
function order(jobs: Record<string, Job>): string[] {
  const out: string[] = [];
  const visit = (id: string, seen: string[]) => {
    if (out.includes(id)) return;
    if (seen.includes(id)) throw new Error(`jobs need each other: ${[...seen, id].join(" → ")}`);
    if (!jobs[id]) throw new Error(`a job needs '${id}', which the workflow does not have`);
    for (const n of list(jobs[id]!.needs)) visit(n, [...seen, id]);
    out.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return out;
}

function aggregate(results: Outcome[]): Outcome {
  if (results.includes("failure")) return "failure";
  if (results.includes("cancelled")) return "cancelled";
  if (results.length && results.every((r) => r === "skipped")) return "skipped";
  return "success";
}

/** Every combination of the matrix's values (include/exclude are not used by rollcall's workflows). */
function matrixOf(job: Job, scope: Scope): Record<string, unknown>[] {
  const matrix = job.strategy?.matrix;
  if (!matrix) return [{}];
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, raw] of Object.entries(matrix)) {
    if (key === "include" || key === "exclude") throw new Error(`strategy.matrix.${key} is not modelled in test/support/workflow.ts`);
    const values = typeof raw === "string" ? whole(raw, scope) : raw;
    if (!Array.isArray(values) || values.length === 0)
      throw new Error(`strategy.matrix.${key} is not a non-empty list: ${JSON.stringify(values)}`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return combos;
}

async function runJob(
  id: string,
  job: Job,
  wf: Workflow,
  scope: Scope,
  ctx: WorkflowContext,
  where: { runnersDir: string; runId: number; artifactsDir: string; artifacts: Record<string, string> },
): Promise<{ run: JobRun; steps: StepResult[] }> {
  const label = Object.keys(scope.matrix).length ? `${id} (${Object.values(scope.matrix).map(String).join(", ")})` : id;
  // A runner of its own: an empty workspace (actions/checkout fills it) and its own temp folder.
  const slug = label.replace(/[^A-Za-z0-9._-]+/g, "-");
  const workspace = path.join(where.runnersDir, `run-${where.runId}`, slug, "workspace");
  const temp = path.join(where.runnersDir, `run-${where.runId}`, slug, "temp");
  mkdirSync(workspace, { recursive: true });
  mkdirSync(temp, { recursive: true });
  const summaryFile = path.join(temp, "summary.md");
  writeFileSync(summaryFile, "");
  const env = scope.env;
  for (const [k, v] of Object.entries({ ...wf.env, ...job.env })) env[k] = evaluate(String(v), scope);
  const steps: StepResult[] = [];
  let failed = false;
  for (const step of job.steps ?? []) {
    const name = step.name ?? step.uses ?? step.run!.split("\n")[0]!;
    const condition = step.if ?? "success()";
    if (!truthy(condition, { ...scope, failed })) {
      steps.push({ job: label, name, outcome: "skipped", log: `if: ${condition} is false` });
      continue;
    }
    const stepEnv = { ...env };
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = evaluate(String(v), scope);
    let result: Omit<StepResult, "name" | "job">;
    if (step.uses) result = uses(step, ctx, scope, { workspace, ...where });
    else
      result = await run(
        step.run!,
        stepEnv,
        ctx,
        { workspace, temp, summaryFile },
        (o) => (scope.steps[step.id ?? name] = { outputs: o, outcome: "" }),
      );
    if (step.id) scope.steps[step.id] = { outputs: scope.steps[step.id]?.outputs ?? {}, outcome: result.outcome };
    if (result.outcome === "failure") failed = true;
    steps.push({ job: label, name, ...result });
  }
  const outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, evaluate(String(v), scope)]));
  return {
    run: { job: label, matrix: scope.matrix, result: failed ? "failure" : "success", outputs, summary: readFileSync(summaryFile, "utf8") },
    steps,
  };
}

/** Asynchronous: the simulators answering the step live in this same process. */
async function run(
  script: string,
  env: Record<string, string>,
  ctx: WorkflowContext,
  dirs: { workspace: string; temp: string; summaryFile: string },
  setOutputs: (o: Record<string, string>) => void,
): Promise<Omit<StepResult, "name" | "job">> {
  const outFile = path.join(dirs.temp, "output");
  writeFileSync(outFile, "");
  const r = await new Promise<{ status: number | null; stdout: string; stderr: string; error?: string }>((resolve) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      cwd: dirs.workspace,
      env: {
        ...process.env,
        ...ctx.env,
        ...env,
        GITHUB_OUTPUT: outFile,
        GITHUB_STEP_SUMMARY: dirs.summaryFile,
        GITHUB_WORKSPACE: dirs.workspace,
        RUNNER_TEMP: dirs.temp,
        CI: "true",
        GITHUB_ACTIONS: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), ctx.timeoutMs ?? 300_000);
    child.on(
      "close",
      (status) => (clearTimeout(timer), resolve({ status, stdout, stderr, error: status === null ? "killed: step timed out" : undefined })),
    );
  });
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(outFile, "utf8").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  setOutputs(outputs);
  return { outcome: r.status === 0 ? "success" : "failure", log: `${r.stdout}${r.stderr}${r.error ?? ""}` };
}

/** Local equivalents of the actions the workflows use. */
function uses(
  step: Step,
  ctx: WorkflowContext,
  scope: Scope,
  where: { workspace: string; artifactsDir: string; artifacts: Record<string, string> },
): Omit<StepResult, "name" | "job"> {
  const action = step.uses!.split("@")[0]!;
  switch (action) {
    case "actions/checkout": {
      // The repository at the commit, as actions/checkout leaves it (node_modules is a link: npm ci is skipped when the lock matches).
      // On pull_request_target that commit is the base's; the head only when the step asks for it.
      const ref = step.with?.ref === undefined ? undefined : evaluate(String(step.with.ref), scope);
      const head = (ctx.github.event as { pull_request?: { head?: { sha?: string } } } | undefined)?.pull_request?.head?.sha;
      const from = ref !== undefined && ref === head ? ctx.head : ctx.cwd;
      if (!from) return { outcome: "failure", log: `checkout of ${ref}: the test gave no ctx.head` };
      cpSync(from, where.workspace, { recursive: true });
      return { outcome: "success", log: `checked out ${from}` };
    }
    case "actions/setup-node":
      return { outcome: "skipped", log: "Node >= 22 is on PATH (scripts/with-env.sh)" };
    case "actions/cache":
      return { outcome: "skipped", log: "the cache directory is the machine's ~/.cache/rollcall already" };
    case "pulumi/actions":
      return { outcome: "skipped", log: "the pinned engine built by set-up is on PATH" };
    case "marocchino/sticky-pull-request-comment": {
      // One comment per header, replaced on every run: what the action does on the pull request.
      const header = evaluate(step.with?.header ?? "default", scope);
      mkdirSync(ctx.commentsDir, { recursive: true });
      const to = path.join(ctx.commentsDir, `${header}.md`);
      // only_update: an existing comment is replaced; none is created.
      if (String(step.with?.only_update) === "true" && !existsSync(to))
        return { outcome: "success", log: `no comment ${header} to update` };
      copyFileSync(path.join(where.workspace, evaluate(step.with!.path!, scope)), to);
      return { outcome: "success", log: `comment ${header} written` };
    }
    case "actions/upload-artifact": {
      // The artifact is what the path holds when the step runs. Names are unique within a run (v4 refuses a second upload of a name).
      const from = path.join(where.workspace, evaluate(step.with!.path!, scope));
      const name = evaluate(step.with?.name ?? "artifact", scope);
      if (where.artifacts[name])
        return { outcome: "failure", log: `artifact ${name}: an artifact of that name was already uploaded in this run` };
      if (!existsSync(from))
        return step.with?.["if-no-files-found"] === "ignore"
          ? { outcome: "success", log: `artifact ${name}: nothing at ${from}` }
          : { outcome: "failure", log: `artifact ${name}: nothing at ${from}` };
      const to = path.join(where.artifactsDir, name);
      cpSync(from, to, { recursive: true });
      where.artifacts[name] = to;
      return { outcome: "success", log: `artifact ${name} kept` };
    }
    case "actions/download-artifact": {
      // This run's artifacts whose names match the pattern (a `*` glob), each into its own folder under path, or all into path with merge-multiple.
      const pattern = new RegExp(
        `^${evaluate(step.with?.pattern ?? step.with?.name ?? "*", scope)
          .split("*")
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*")}$`,
      );
      const into = path.join(where.workspace, evaluate(step.with?.path ?? ".", scope));
      const names = Object.keys(where.artifacts).filter((n) => pattern.test(n));
      for (const n of names)
        cpSync(where.artifacts[n]!, String(step.with?.["merge-multiple"]) === "true" ? into : path.join(into, n), { recursive: true });
      return { outcome: "success", log: names.length ? `artifacts ${names.join(", ")} downloaded` : `no artifact matches ${pattern}` };
    }
    case "peter-evans/create-pull-request": {
      // The pull request the action opens, or updates when one is open from `branch`: the
      // add-paths files as the job left them, when they differ from the commit; no change, none.
      const branch = evaluate(step.with!.branch!, scope);
      const files = evaluate(step.with?.["add-paths"] ?? "", scope)
        .split(/[\n,]/)
        .map((f) => f.trim())
        .filter(Boolean);
      const changed = files.filter(
        (f) =>
          !existsSync(path.join(ctx.cwd, f)) ||
          readFileSync(path.join(where.workspace, f), "utf8") !== readFileSync(path.join(ctx.cwd, f), "utf8"),
      );
      if (!changed.length) return { outcome: "success", log: `no change in ${files.join(", ")}: no pull request` };
      const to = path.join(
        ctx.pullRequestsDir ?? path.join(path.dirname(ctx.commentsDir), "pull-requests"),
        branch.replace(/[^A-Za-z0-9._-]+/g, "-"),
      );
      rmSync(to, { recursive: true, force: true });
      mkdirSync(to, { recursive: true });
      for (const f of changed) cpSync(path.join(where.workspace, f), path.join(to, "files", f));
      const body = step.with?.["body-path"]
        ? readFileSync(path.join(where.workspace, evaluate(step.with["body-path"], scope)), "utf8")
        : evaluate(step.with?.body ?? "", scope);
      writeFileSync(path.join(to, "pull-request.md"), `${evaluate(step.with?.title ?? "", scope)}\n\n${body}`);
      return { outcome: "success", log: `pull request from ${branch} written` };
    }
    default:
      return { outcome: "failure", log: `no local equivalent for ${step.uses}: add one to test/support/workflow.ts` };
  }
}

/** `${{ … }}` interpolation of the small expression language the workflows use. */
function evaluate(text: string, scope: Scope): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    const v = expression(expr, scope);
    return v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  });
}

/** A value that is one whole `${{ … }}`: its value as is (a list, for a matrix). */
function whole(text: string, scope: Scope): unknown {
  const m = /^\s*\$\{\{\s*(.*?)\s*\}\}\s*$/.exec(text);
  return m ? expression(m[1]!, scope) : text;
}

function expression(expr: string, scope: Scope): unknown {
  const or = expr.split("||").map((s) => s.trim());
  if (or.length > 1) return or.map((e) => expression(e, scope)).find((v) => v) ?? "";
  const and = expr.split("&&").map((s) => s.trim());
  if (and.length > 1) return and.every((e) => expression(e, scope));
  const eq = expr.match(/^(.*?)\s*(==|!=)\s*(.*)$/);
  if (eq) return (String(expression(eq[1]!, scope)) === String(expression(eq[3]!, scope))) === (eq[2] === "==");
  if (/^'.*'$/.test(expr)) return expr.slice(1, -1);
  if (expr === "always()") return true;
  if (expr === "cancelled()") return false; // nothing cancels a local run
  if (expr.startsWith("!") && !expr.startsWith("!=")) return !expression(expr.slice(1).trim(), scope);
  if (expr === "success()") return !scope.failed;
  if (expr === "failure()") return !!scope.failed;
  if (/^hashFiles\(/.test(expr)) return "local";
  const fromJson = /^fromJSON\((.*)\)$/.exec(expr);
  if (fromJson) return JSON.parse(String(expression(fromJson[1]!.trim(), scope)));
  let value: unknown = { ...scope, runner: { os: "Linux" } };
  for (const part of expr.split(".")) value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

function truthy(condition: string, scope: Scope): boolean {
  const v = expression(condition.replace(/^\$\{\{\s*|\s*\}\}$/g, ""), scope);
  return !!v && !(typeof v === "string" && (v === "false" || v === "0"));
}
