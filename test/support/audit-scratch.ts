// Set-up of every test file (vitest.config.mts): unit tests run the providers in the test process,
// where no program hands off an audit target, so their audit lines would land in the checkout's
// audit/unknown-stack.jsonl. They go to a scratch directory instead — and a file that writes there
// anyway fails, naming the file.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { setAuditFallbackDir } from "../../src/features/audit/target";

const checkoutLog = path.resolve(__dirname, "../../audit/unknown-stack.jsonl");
const before = existsSync(checkoutLog) ? statSync(checkoutLog).mtimeMs : undefined;
const scratch = mkdtempSync(path.join(os.tmpdir(), "rollcall-unit-audit-"));
setAuditFallbackDir(scratch);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  const after = existsSync(checkoutLog) ? statSync(checkoutLog).mtimeMs : undefined;
  if (after !== before)
    throw new Error(
      `a test wrote audit lines into the checkout (${checkoutLog}); they belong in a scratch directory (test/support/audit-scratch.ts).`,
    );
});
