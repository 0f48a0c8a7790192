// Drives the real `pulumi` CLI on the rollcall project directory: the demo and the end-to-end
// tests use it, so "pulumi up deletes X" is always proven by the engine itself, never by mocks.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { engineSettings } from "./fast-path";

/** The checkout: the nearest folder above this module (in src/ or compiled in dist/) with a Pulumi.yaml. */
export const PROJECT_ROOT = findProjectRoot(__dirname);

/**
 * The node_modules folder that holds the SDK this code runs with: the checkout's own, or, for an
 * installed package, the team repository's (npm hoists rollcall's dependencies beside it).
 */
export const NODE_MODULES = path.resolve(path.dirname(require.resolve("@pulumi/pulumi")), "../..");

/**
 * The project a command works on: in a checkout, the checkout; run from an installed package
 * (under node_modules), the team repository around the working directory, not the package.
 */
export function commandProjectRoot(cwd = process.cwd()): string {
  return __dirname.split(path.sep).includes("node_modules") ? findProjectRoot(cwd) : PROJECT_ROOT;
}

export function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${from}`);
  }
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StackOptions {
  stack: string;
  /**
   * Where the engine runs the project: a scratch copy of the project's root files whose dist/ and
   * node_modules/ link to the checkout. Stack config (Pulumi.<stack>.yaml, including the secrets
   * salt the engine writes) then lands there, never in the checkout.
   */
  projectDir: string;
  /** Directory for a local file backend (state), created if missing; omit to use the logged-in backend. */
  stateDir?: string;
  /** Extra environment: simulator URLs, credentials, ROLLCALL_USERS_FILE. */
  env?: Record<string, string>;
  /** Stream the CLI's output to this process's stdout/stderr (the demo) instead of capturing only. */
  echo?: boolean;
  /** Called with the engine's process id once it starts (the benchmark samples its process tree). */
  onSpawn?: (pid: number) => void;
}

/**
 * The engine environment: offline, on the fast path (src/pulumi/engine/fast-path.ts); with a local state
 * folder, also its file backend and an empty passphrase.
 */
export function engineEnv(opts: StackOptions): NodeJS.ProcessEnv {
  return {
    ...engineSettings(process.env),
    ...(opts.stateDir
      ? { PULUMI_BACKEND_URL: `file://${opts.stateDir}`, PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "" }
      : {}),
    ...(process.env.PULUMI_HOME || !opts.stateDir ? {} : { PULUMI_HOME: path.join(opts.stateDir, ".pulumi-home") }),
    ...opts.env,
  };
}

/** Creates the scratch project for `opts.projectDir` (idempotent). */
export function prepareProjectDir(projectDir: string): void {
  if (existsSync(`${projectDir}/Pulumi.yaml`)) return;
  mkdirSync(projectDir, { recursive: true });
  cpSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
  cpSync(path.join(PROJECT_ROOT, "stacks"), path.join(projectDir, "stacks"), { recursive: true });
  for (const link of ["package.json", "dist", "users.yaml"]) symlinkSync(path.join(PROJECT_ROOT, link), path.join(projectDir, link));
  symlinkSync(NODE_MODULES, path.join(projectDir, "node_modules"));
}

export function runPulumi(args: string[], opts: StackOptions): Promise<CommandResult> {
  if (opts.stateDir) mkdirSync(opts.stateDir, { recursive: true });
  prepareProjectDir(opts.projectDir);
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--cwd", opts.projectDir, "--non-interactive", "--color", "never"], {
      env: engineEnv(opts),
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      if (opts.echo) process.stdout.write(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
      if (opts.echo) process.stderr.write(d);
    });
    child.on("error", (err) =>
      reject(
        new Error(`could not run the pulumi CLI (${err.message}). Run the project's set-up (make setup), which builds it, then try again.`),
      ),
    );
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** A stack of the rollcall project on a file backend: init, up, preview, refresh, export. */
export class ProjectStack {
  constructor(readonly opts: StackOptions) {}

  async init(): Promise<void> {
    const r = await runPulumi(["stack", "select", "--create", this.opts.stack, "--secrets-provider", "passphrase"], this.opts);
    if (r.code !== 0) throw new Error(`pulumi stack init ${this.opts.stack} failed:\n${r.stderr || r.stdout}`);
  }

  run(args: string[]): Promise<CommandResult> {
    return runPulumi([...args, "--stack", this.opts.stack], this.opts);
  }

  up(extra: string[] = []): Promise<CommandResult> {
    return this.run(["up", "--yes", "--skip-preview", ...extra]);
  }

  preview(extra: string[] = []): Promise<CommandResult> {
    return this.run(["preview", ...extra]);
  }

  /** `pulumi preview --json`: the machine-readable plan (steps, diffs, change summary). */
  async previewJson(extra: string[] = []): Promise<{ result: CommandResult; digest: PreviewDigest }> {
    const result = await this.run(["preview", "--json", ...extra]);
    let digest: PreviewDigest;
    try {
      digest = JSON.parse(result.stdout) as PreviewDigest;
    } catch {
      throw new Error(`pulumi preview --json did not print JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    }
    return { result, digest };
  }

  refresh(): Promise<CommandResult> {
    return this.run(["refresh", "--yes", "--skip-preview"]);
  }

  async exportState(): Promise<StateExport> {
    const r = await this.run(["stack", "export"]);
    if (r.code !== 0) throw new Error(`pulumi stack export failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as StateExport;
  }

  setConfig(key: string, value: string, secret = false): Promise<CommandResult> {
    return this.run(["config", "set", key, value, ...(secret ? ["--secret"] : [])]);
  }
}

export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: { type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  newState?: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }>;
}

export interface PreviewDigest {
  steps?: PreviewStep[];
  diagnostics?: { urn?: string; message: string; severity: string }[];
  changeSummary?: Record<string, number>;
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  protect?: boolean;
}

export interface StateExport {
  deployment: { resources?: StateResource[] };
}
