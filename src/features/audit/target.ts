// Where the audit lines of a stack go. The program knows the stack and its config; the provider
// process (which makes the calls) does not know the stack, so the program leaves the resolved
// target in the project directory — the provider process's working directory — before any
// resource is registered.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AuditTarget } from "./sink";

export const AUDIT_KEY = { auditLog: "ROLLCALL_AUDIT_LOG" } as const;
const HANDOFF = path.join(".rollcall", "audit-target.json");

/** rollcall:auditLog, relative to the project directory; default audit/<stack>.jsonl. */
export function resolveAuditTarget(setting: string | undefined, stack: string, projectDir = process.cwd()): AuditTarget {
  return { stack, file: path.resolve(projectDir, setting ?? path.join("audit", `${stack}.jsonl`)) };
}

/** Program side: hand the target to the provider process. */
export function handOffAuditTarget(target: AuditTarget, projectDir = process.cwd()): void {
  mkdirSync(path.join(projectDir, ".rollcall"), { recursive: true });
  writeFileSync(path.join(projectDir, HANDOFF), JSON.stringify(target));
}

let cached: AuditTarget | undefined;
let fallbackDir: string | undefined;

/**
 * Where lines go when no program handed a target off, instead of the working directory (unit tests: a scratch directory, never the
 * checkout).
 */
export function setAuditFallbackDir(dir: string): void {
  fallbackDir = dir;
  cached = undefined;
}

/** Provider side: the target the program handed off (read once per process). */
export function handedOffAuditTarget(projectDir = process.cwd()): AuditTarget | undefined {
  if (cached) return cached;
  const file = path.join(projectDir, HANDOFF);
  // Without a hand-off (e.g. `pulumi destroy`, which runs no program) the lines still land somewhere known.
  cached = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as AuditTarget)
    : resolveAuditTarget(undefined, "unknown-stack", fallbackDir ?? projectDir);
  return cached;
}
