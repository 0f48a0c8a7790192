// `rollcall preview` and `rollcall report`: the only impure part of the report (engine, files).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ProjectStack, type CommandResult, type PreviewDigest } from "../engine/pulumi-cli";
import { PROGRAM_DATA_ENV, readProgramData, type ProgramData } from "./program-data";
import { renderMarkdown, renderText } from "./render";
import { buildReport } from "./report";

export interface ReportOptions {
  stack?: string;
  markdown?: boolean;
}

/** A saved preview: `pulumi preview --json` plus, under `rollcall`, what the program reported. */
export type SavedPreview = PreviewDigest & { rollcall?: Partial<ProgramData> };

export function printReport(saved: SavedPreview, opts: ReportOptions): void {
  const report = buildReport(saved, { stack: opts.stack, ...(saved.rollcall?.report ? { extras: saved.rollcall.report } : {}) });
  process.stdout.write(opts.markdown ? renderMarkdown(report) : renderText(report));
}

/** `pulumi preview --json` with the program's data file: the engine result, the digest and that data. */
export async function previewWithProgramData(stack: ProjectStack, extra: string[] = []): Promise<{ result: CommandResult; digest: PreviewDigest; data: Partial<ProgramData> }> {
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

/** pulumi preview --json on the stack, then the report; exits as the preview did (a failed guard fails). */
export async function runPreviewReport(stack: ProjectStack, opts: ReportOptions & { refresh?: boolean; save?: string; savePlan?: string }): Promise<number> {
  // --save-plan: the engine's update plan, so `pulumi up --plan FILE` applies exactly this preview.
  const { result, digest, data } = await previewWithProgramData(stack, [...(opts.refresh ? ["--refresh"] : []), ...(opts.savePlan ? ["--save-plan", opts.savePlan] : [])]);
  const saved: SavedPreview = { ...digest, rollcall: data };
  if (opts.save) writeFileSync(opts.save, `${JSON.stringify(saved, null, 2)}\n`);
  printReport(saved, opts);
  if (result.code !== 0) process.stderr.write(result.stderr || (digest.diagnostics ?? []).map((d) => d.message).join("\n"));
  return result.code;
}

/** The report of a saved preview (`rollcall preview --save`, or a plain `pulumi preview --json`); exits 1 when that preview reported errors. */
export function runReport(file: string, opts: ReportOptions): number {
  let saved: SavedPreview;
  try {
    saved = JSON.parse(readFileSync(file, "utf8")) as SavedPreview;
  } catch (err) {
    throw new Error(`${file}: not the JSON of pulumi preview --json (${(err as Error).message})`);
  }
  printReport(saved, opts);
  return (saved.diagnostics ?? []).some((d) => d.severity === "error") ? 1 : 0;
}
