// Runs the `run:` steps of a GitHub Actions workflow locally, in order, as the runner would: bash
// with `set -eo pipefail`, the workflow's and step's `env:` (expressions evaluated against local
// stand-ins for secrets, vars and the event), `$GITHUB_OUTPUT` / `$GITHUB_STEP_SUMMARY` files, and
// `if:` conditions. `uses:` steps are mapped to a local equivalent or skipped with the reason logged.
import { spawn } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { steps: Step[]; env?: Record<string, string> }>;
}

export interface WorkflowContext {
  cwd: string;
  secrets: Record<string, string>;
  vars?: Record<string, string>;
  github: Record<string, unknown>;
  /** Extra process environment (PATH with the engine and a `gh` stand-in, simulator URLs). */
  env: Record<string, string>;
  /** Where the sticky-comment stand-in writes each comment (one file per header: edited in place). */
  commentsDir: string;
  timeoutMs?: number;
}

export interface StepResult {
  name: string;
  outcome: "success" | "failure" | "skipped";
  log: string;
}

export async function runWorkflow(file: string, ctx: WorkflowContext): Promise<StepResult[]> {
  const wf = parse(readFileSync(file, "utf8")) as Workflow;
  const results: StepResult[] = [];
  for (const job of Object.values(wf.jobs)) {
    const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
    const env: Record<string, string> = {};
    const scope = () => ({ secrets: ctx.secrets, vars: ctx.vars ?? {}, github: ctx.github, env, steps });
    for (const [k, v] of Object.entries({ ...wf.env, ...job.env })) env[k] = evaluate(String(v), scope());
    let failed = false;
    for (const step of job.steps) {
      const name = step.name ?? step.uses ?? step.run!.split("\n")[0]!;
      const condition = step.if ?? "success()";
      if (!truthy(condition, { ...scope(), failed })) {
        results.push({ name, outcome: "skipped", log: `if: ${condition} is false` });
        continue;
      }
      const stepEnv = { ...env };
      for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = evaluate(String(v), scope());
      let result: StepResult;
      if (step.uses) result = { name, ...uses(step, ctx, scope()) };
      else result = { name, ...(await run(step.run!, stepEnv, ctx, (out) => (steps[step.id ?? name] = { outputs: out, outcome: "" }))) };
      if (step.id) steps[step.id] = { outputs: steps[step.id]?.outputs ?? {}, outcome: result.outcome };
      if (result.outcome === "failure") failed = true;
      results.push(result);
    }
  }
  return results;
}

/** Asynchronous: the simulators answering the step live in this same process. */
async function run(script: string, env: Record<string, string>, ctx: WorkflowContext, setOutputs: (o: Record<string, string>) => void): Promise<Omit<StepResult, "name">> {
  const dir = path.join(ctx.cwd, ".runner");
  mkdirSync(dir, { recursive: true });
  const outFile = path.join(dir, "output");
  writeFileSync(outFile, "");
  const r = await new Promise<{ status: number | null; stdout: string; stderr: string; error?: string }>((resolve) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      cwd: ctx.cwd,
      env: { ...process.env, ...ctx.env, ...env, GITHUB_OUTPUT: outFile, GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"), CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), ctx.timeoutMs ?? 300_000);
    child.on("close", (status) => (clearTimeout(timer), resolve({ status, stdout, stderr, error: status === null ? "killed: step timed out" : undefined })));
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
function uses(step: Step, ctx: WorkflowContext, scope: Scope): Omit<StepResult, "name"> {
  const action = step.uses!.split("@")[0]!;
  switch (action) {
    case "actions/checkout":
      return { outcome: "skipped", log: "the test runs in a copy of the checkout already" };
    case "actions/setup-node":
      return { outcome: "skipped", log: "Node >= 22 is on PATH (scripts/env.sh)" };
    case "actions/cache":
      return { outcome: "skipped", log: "the cache directory is the machine's ~/.cache/rollcall already" };
    case "pulumi/actions":
      return { outcome: "skipped", log: "the pinned engine built by set-up is on PATH" };
    case "marocchino/sticky-pull-request-comment": {
      // One comment per header, replaced on every run: what the action does on the pull request.
      const header = evaluate(step.with?.header ?? "default", scope);
      mkdirSync(ctx.commentsDir, { recursive: true });
      copyFileSync(path.join(ctx.cwd, step.with!.path!), path.join(ctx.commentsDir, `${header}.md`));
      return { outcome: "success", log: `comment ${header} written` };
    }
    case "actions/upload-artifact": {
      // The artifact is what the path holds when the step runs: copied where the test can read it.
      const from = path.join(ctx.cwd, evaluate(step.with!.path!, scope));
      const name = evaluate(step.with?.name ?? "artifact", scope);
      if (!existsSync(from)) return step.with?.["if-no-files-found"] === "ignore" ? { outcome: "success", log: `artifact ${name}: nothing at ${from}` } : { outcome: "failure", log: `artifact ${name}: nothing at ${from}` };
      cpSync(from, path.join(ctx.commentsDir, "..", "artifacts", name), { recursive: true });
      return { outcome: "success", log: `artifact ${name} kept` };
    }
    default:
      return { outcome: "failure", log: `no local equivalent for ${step.uses}: add one to test/support/workflow.ts` };
  }
}

type Scope = { secrets: Record<string, string>; vars: Record<string, string>; github: Record<string, unknown>; env: Record<string, string>; steps: Record<string, { outputs: Record<string, string>; outcome: string }>; failed?: boolean };

/** `${{ … }}` interpolation of the small expression language the workflows use. */
function evaluate(text: string, scope: Scope): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => String(expression(expr, scope) ?? ""));
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
  if (expr === "success()") return !scope.failed;
  if (expr === "failure()") return !!scope.failed;
  if (/^hashFiles\(/.test(expr)) return "local";
  let value: unknown = { ...scope, runner: { os: "Linux" } };
  for (const part of expr.split(".")) value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

function truthy(condition: string, scope: Scope): boolean {
  const v = expression(condition.replace(/^\$\{\{\s*|\s*\}\}$/g, ""), scope);
  return !!v && !(typeof v === "string" && (v === "false" || v === "0"));
}
