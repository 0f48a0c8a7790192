// What `rollcall preview` needs from the Pulumi program that the engine's preview does not say
// (adopted people, undeclared members, how each removal is carried out, guard usage, a guard's
// refusal) travels through a JSON file, never through log lines: a plain `pulumi preview` then shows
// people and messages only. rollcall names the file in ROLLCALL_PROGRAM_DATA for the one run it
// starts; without it the program writes nothing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { IdentityStep, UndeclaredMembers, UndeclaredMode } from "../safety/identity";
import type { ReportExtras } from "./report";

export const PROGRAM_DATA_ENV = "ROLLCALL_PROGRAM_DATA";

export interface ProgramData {
  version: 1;
  identity?: { steps: IdentityStep[] };
  undeclared?: UndeclaredMembers & { mode: UndeclaredMode };
  report?: ReportExtras;
  /** A guard refused the run (src/features/safety/rails.ts SafetyRefusal): nothing may be applied. */
  refused?: { message: string };
}

type Part = Omit<ProgramData, "version">;

/** Merges `part` into the file named by ROLLCALL_PROGRAM_DATA, if any (the program runs once per engine run). */
export function writeProgramData(part: Part, env: NodeJS.ProcessEnv = process.env): void {
  const file = env[PROGRAM_DATA_ENV];
  if (!file) return;
  writeFileSync(file, `${JSON.stringify({ ...readProgramData(file), ...part, version: 1 })}\n`);
}

/** The file's data; empty when the program wrote none (it failed before, or never ran). */
export function readProgramData(file: string): Partial<ProgramData> {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, "utf8");
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as ProgramData;
  } catch (err) {
    throw new Error(`${file}: the program's data is not JSON (${(err as Error).message}); re-run rollcall preview`);
  }
}
