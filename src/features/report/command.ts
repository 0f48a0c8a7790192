// `rollcall preview` and `rollcall report`: the only impure part of the report (engine, files,
// the GitHub Actions environment).
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT, ProjectStack, type CommandResult, type PreviewDigest } from "../../pulumi/engine/pulumi-cli";
import { commentBudget, defaultHeader, footerFromEnv, staleComment } from "./comment";
import { detailedExitCode, githubOutput, outcome } from "./outcome";
import { PROGRAM_DATA_ENV, readProgramData, type ProgramData } from "./program-data";
import { renderMarkdown, renderText, type Footer } from "./render";
import { buildReport, type Report } from "./report";

export interface ReportOptions {
  stack?: string;
  markdown?: boolean;
}

export interface PreviewOptions extends ReportOptions {
  refresh?: boolean;
  save?: string;
  savePlan?: string;
  /** The pull-request comment, within GitHub's limit once the sticky-comment action adds its header. */
  commentFile?: string;
  /** The sticky-comment action's `header` input (default rollcall-<stack>). */
  commentHeader?: string;
  /** The full report (≤ 1 MiB); defaults to $GITHUB_STEP_SUMMARY. */
  summaryFile?: string;
  /** preview.json and report.md, for the run's artifact. */
  artifactDir?: string;
  /** Exit 0 no access change, 2 changes, 3 refused by a guard, 1 error. */
  detailedExitcode?: boolean;
  /** The commit the footer names (default $GITHUB_SHA). */
  commit?: string;
  /** Only write the stale-comment body (no preview): the latest run failed before replacing the comment. */
  staleComment?: boolean;
}

/** A job summary holds at most 1 MiB (GitHub's limit per step). */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** A saved preview: `pulumi preview --json` plus, under `rollcall`, what the program reported. */
export type SavedPreview = PreviewDigest & { rollcall?: Partial<ProgramData> };

export function rollcallVersion(): string {
  return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** `pulumi preview --json` with the program's data file: the engine result, the digest and that data. */
export async function previewWithProgramData(
  stack: ProjectStack,
  extra: string[] = [],
): Promise<{ result: CommandResult; digest: PreviewDigest; data: Partial<ProgramData> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-program-data-"));
  const file = path.join(dir, "data.json");
  try {
    const withData = new ProjectStack({ ...stack.opts, env: { ...stack.opts.env, [PROGRAM_DATA_ENV]: file } });
    const { result, digest } = await withData.previewJson(extra);
    return { result, digest, data: readProgramData(file) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function reportOf(saved: SavedPreview, stack?: string): Report {
  return buildReport(saved, { stack, ...(saved.rollcall?.report ? { extras: saved.rollcall.report } : {}) });
}

/** pulumi preview --json on the stack, then the report, the files a workflow posts and its outputs. */
export async function runPreviewReport(stack: ProjectStack, opts: PreviewOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const footer = footerFromEnv(env, rollcallVersion(), opts.commit);
  if (opts.staleComment) {
    const body = staleComment(opts.stack, footer);
    if (opts.commentFile) writeFileSync(opts.commentFile, body);
    else process.stdout.write(body);
    return 0;
  }
  // --save-plan: the engine's update plan, so `pulumi up --plan FILE` applies exactly this preview.
  const { result, digest, data } = await previewWithProgramData(stack, [
    ...(opts.refresh ? ["--refresh"] : []),
    ...(opts.savePlan ? ["--save-plan", opts.savePlan] : []),
  ]);
  const saved: SavedPreview = { ...digest, rollcall: data };
  if (opts.save) writeFileSync(opts.save, `${JSON.stringify(saved, null, 2)}\n`);
  const report = reportOf(saved, opts.stack);
  // --markdown on stdout is a comment too (workflows post it): the same budget as --comment-file.
  const header = opts.commentHeader ?? defaultHeader(opts.stack ?? "");
  process.stdout.write(opts.markdown ? renderMarkdown(report, { limit: commentBudget(header), footer }) : renderText(report));
  if (result.code !== 0) process.stderr.write(result.stderr || (digest.diagnostics ?? []).map((d) => d.message).join("\n"));
  writeOutputs(report, saved, opts, footer, env);
  const o = outcome(report, data.refused !== undefined);
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, githubOutput(o));
  return opts.detailedExitcode ? detailedExitCode(o, result.code !== 0) : result.code;
}

function writeOutputs(report: Report, saved: SavedPreview, opts: PreviewOptions, footer: Footer, env: NodeJS.ProcessEnv): void {
  const elsewhere = footer.runUrl ? `[the job summary](${footer.runUrl})` : "the job summary";
  if (opts.commentFile) {
    const header = opts.commentHeader ?? defaultHeader(opts.stack ?? "");
    writeFileSync(opts.commentFile, renderMarkdown(report, { limit: commentBudget(header), footer, elsewhere }));
  }
  const summaryFile = opts.summaryFile ?? env.GITHUB_STEP_SUMMARY;
  const full = summaryFile || opts.artifactDir ? fullReport(report, footer) : "";
  // Steps share $GITHUB_STEP_SUMMARY: append, never replace.
  if (summaryFile) appendFileSync(summaryFile, full);
  if (opts.artifactDir) {
    mkdirSync(opts.artifactDir, { recursive: true });
    writeFileSync(path.join(opts.artifactDir, "preview.json"), `${JSON.stringify(saved, null, 2)}\n`);
    writeFileSync(path.join(opts.artifactDir, "report.md"), full);
  }
}

/** The whole report, every person named, within the job summary's 1 MiB (in bytes: → and · take 3). */
export function fullReport(report: Report, footer: Footer): string {
  let limit = SUMMARY_LIMIT_BYTES;
  for (;;) {
    const md = renderMarkdown(report, {
      limit,
      bannerCap: Number.POSITIVE_INFINITY,
      footer,
      elsewhere: "`preview.json` in the run's artifact",
    });
    if (Buffer.byteLength(md) <= SUMMARY_LIMIT_BYTES) return md;
    limit = Math.floor(limit * 0.9);
  }
}

/**
 * The report of a saved preview (`rollcall preview --save`, or a plain `pulumi preview --json`); exits 1 when that preview reported errors.
 */
export function runReport(file: string, opts: ReportOptions): number {
  let saved: SavedPreview;
  try {
    saved = JSON.parse(readFileSync(file, "utf8")) as SavedPreview;
  } catch (err) {
    throw new Error(`${file}: not the JSON of pulumi preview --json (${(err as Error).message})`);
  }
  const report = reportOf(saved, opts.stack);
  process.stdout.write(opts.markdown ? renderMarkdown(report) : renderText(report));
  return (saved.diagnostics ?? []).some((d) => d.severity === "error") ? 1 : 0;
}
