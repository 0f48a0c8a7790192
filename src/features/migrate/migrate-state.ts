// `rollcall migrate-state`: moves a stack between the checkout layout (a fork: provider code in the
// project's dist/) and the package layout (rollcall installed in node_modules). Every resource's
// state stores the shim text that loads provider code (src/pulumi/shim.ts); after a move the old
// text points where nothing is, and `read`/`delete` run the stored text. Rewriting the texts in an
// exported state and importing it back changes only that bookkeeping: no engine run, so no call to
// either platform, and the next preview shows no change.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ProjectStack, StateExport } from "../../pulumi/engine/pulumi-cli";
import { kindOfType } from "../../pulumi/resource-types";
import { currentLayout, shimText, type ShimLayout } from "../../pulumi/shim";

export interface MigrateResult {
  /** Resources whose stored text changed. */
  rewritten: number;
  /** rollcall resources in the state. */
  resources: number;
}

/** Rewrites, in place, every rollcall resource's stored shim (inputs and outputs) to `layout`'s text. */
export function rewriteShims(state: StateExport, layout: ShimLayout): MigrateResult {
  let rewritten = 0;
  let resources = 0;
  for (const r of state.deployment.resources ?? []) {
    const kind = kindOfType(r.type);
    if (!kind) continue;
    resources++;
    const text = shimText({ platform: kind.platform, kind: kind.kind }, layout);
    let changed = false;
    for (const props of [r.inputs, r.outputs]) {
      if (!props || !("__provider" in props) || props.__provider === text) continue;
      props.__provider = text;
      changed = true;
    }
    if (changed) rewritten++;
  }
  return { rewritten, resources };
}

export interface MigrateOptions {
  /** The layout to move to; default: the one this code runs in. */
  to?: ShimLayout;
  out: (line: string) => void;
}

/** Exports the stack, rewrites its shims, imports it back (only when something changed). */
export async function migrateState(stack: ProjectStack, options: MigrateOptions): Promise<MigrateResult> {
  const layout = options.to ?? currentLayout();
  const exported = await stack.exportState();
  const result = rewriteShims(exported, layout);
  if (result.rewritten === 0) {
    options.out(`stack ${stack.opts.stack}: all ${result.resources} resources already load provider code the ${layout} way; nothing to do`);
    return result;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-migrate-"));
  try {
    const file = path.join(dir, "state.json");
    writeFileSync(file, JSON.stringify(exported));
    const r = await stack.run(["stack", "import", "--file", file]);
    if (r.code !== 0)
      throw new Error(`pulumi stack import --stack ${stack.opts.stack} failed (the stack is unchanged):\n${r.stderr || r.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  options.out(
    `stack ${stack.opts.stack}: ${result.rewritten} of ${result.resources} resources now load provider code the ${layout} way ` +
      `(no platform was called)`,
  );
  return result;
}
