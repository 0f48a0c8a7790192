// `rollcall preview` and `rollcall report`: the only impure part of the report (engine, files).
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { detailedExitCode, outputLines, previewOutputs } from "./ci-outputs";
import type { PreviewDigest, ProjectStack } from "../engine/pulumi-cli";
import { renderMarkdown, renderText } from "./render";
import { buildReport } from "./report";

export interface ReportOptions {
  stack?: string;
  markdown?: boolean;
}

export function printReport(digest: PreviewDigest, opts: ReportOptions): void {
  const report = buildReport(digest, { stack: opts.stack });
  process.stdout.write(opts.markdown ? renderMarkdown(report) : renderText(report));
}

/** pulumi preview --json on the stack, then the report; exits as the preview did (a failed guard fails). */
export interface PreviewCiOptions {
  detailedExitcode?: boolean;
  commentFile?: string;
  summaryFile?: string;
  artifactDir?: string;
}

export async function runPreviewReport(stack: ProjectStack, opts: ReportOptions & PreviewCiOptions & { refresh?: boolean; save?: string; savePlan?: string }): Promise<number> {
  // --save-plan: the engine's update plan, so `pulumi up --plan FILE` applies exactly this preview.
  const { result, digest } = await stack.previewJson([...(opts.refresh ? ["--refresh"] : []), ...(opts.savePlan ? ["--save-plan", opts.savePlan] : [])]);
  if (opts.save) writeFileSync(opts.save, result.stdout);
  printReport(digest, opts);
  if (result.code !== 0) process.stderr.write(result.stderr || (digest.diagnostics ?? []).map((d) => d.message).join("\n"));
  // STUB of the report side's CI contract (src/report/ci-outputs.ts).
  const report = buildReport(digest, { stack: opts.stack });
  const outputs = previewOutputs(report);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, outputLines(outputs));
  const markdown = renderMarkdown(report);
  if (opts.commentFile) writeFileSync(opts.commentFile, markdown);
  const summary = opts.summaryFile ?? process.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, markdown);
  if (opts.artifactDir) {
    mkdirSync(opts.artifactDir, { recursive: true });
    writeFileSync(path.join(opts.artifactDir, "preview.json"), result.stdout);
    writeFileSync(path.join(opts.artifactDir, "report.md"), markdown);
  }
  return opts.detailedExitcode ? detailedExitCode(outputs, result.code) : result.code;
}

/** The report of a saved `pulumi preview --json`; exits 1 when that preview reported errors. */
export function runReport(file: string, opts: ReportOptions): number {
  let digest: PreviewDigest;
  try {
    digest = JSON.parse(readFileSync(file, "utf8")) as PreviewDigest;
  } catch (err) {
    throw new Error(`${file}: not the JSON of pulumi preview --json (${(err as Error).message})`);
  }
  printReport(digest, opts);
  return (digest.diagnostics ?? []).some((d) => d.severity === "error") ? 1 : 0;
}
