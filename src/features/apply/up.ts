// `rollcall up`: the documented way to apply users.yaml. One person's failure never blocks the
// others: it runs `pulumi up --continue-on-error` (the engine then applies every change that does
// not depend on a failed one), reads the engine's JSON events (`--json` streams one event per line)
// and ends with who failed and why, exiting non-zero when anyone did.
import type { CommandResult, ProjectStack } from "../../pulumi/engine/pulumi-cli";
import { kindOfType } from "../../pulumi/resource-types";

const CHANGES = new Set(["create", "update", "delete", "replace", "create-replacement", "delete-replaced"]);

export interface UpChange {
  /** The resource name: the person's key (`key@group` for Anypoint access). */
  person: string;
  what: string;
  op: string;
}

export interface UpFailure extends UpChange {
  message: string;
}

export interface UpOutcome {
  applied: UpChange[];
  failed: UpFailure[];
  /** Errors not tied to a resource (the program, the engine), without the echoes of a failed resource. */
  otherErrors: string[];
  result?: string;
}

interface EngineEvent {
  diagnosticEvent?: { urn?: string; message: string; severity: string };
  resOutputsEvent?: { metadata: { op: string; urn: string; type: string } };
  resOpFailedEvent?: { metadata: { op: string; urn: string; type: string } };
  summaryEvent?: { result?: string };
}

/** Reads the event stream of `pulumi up --json`. Lines that are not JSON events are ignored. */
export function readUpEvents(stdout: string): UpOutcome {
  const outcome: UpOutcome = { applied: [], failed: [], otherErrors: [] };
  const messages = new Map<string, string[]>();
  const failedOps: { urn: string; op: string; type: string }[] = [];
  for (const line of stdout.split("\n")) {
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      continue;
    }
    const diag = event.diagnosticEvent;
    if (diag?.severity === "error") {
      const text = diag.message.trim();
      if (diag.urn) messages.set(diag.urn, [...(messages.get(diag.urn) ?? []), text]);
      // "failed to register" echoes a failed resource in the resources that depend on it.
      else if (!/failed to register/.test(text) && !/^update failed$/i.test(text)) outcome.otherErrors.push(text);
    }
    const done = event.resOutputsEvent?.metadata;
    if (done && kindOfType(done.type) && CHANGES.has(done.op))
      outcome.applied.push({ person: nameOf(done.urn), what: kindOfType(done.type)!.label, op: done.op });
    const failed = event.resOpFailedEvent?.metadata;
    if (failed) failedOps.push(failed);
    if (event.summaryEvent) outcome.result = event.summaryEvent.result;
  }
  for (const f of failedOps) {
    outcome.failed.push({
      person: nameOf(f.urn),
      what: kindOfType(f.type)?.label ?? f.type,
      op: f.op,
      message: (messages.get(f.urn) ?? ["(the engine gave no message)"]).join(" "),
    });
  }
  return outcome;
}

const nameOf = (urn: string) => urn.split("::").pop()!;

export function renderUpOutcome(o: UpOutcome): string {
  const lines = [
    `rollcall up: ${o.applied.length} change${o.applied.length === 1 ? "" : "s"} applied` +
      `${o.failed.length ? `, ${o.failed.length} failed` : ""}.`,
  ];
  for (const c of o.applied) lines.push(`  ok      ${c.person}: ${c.what} ${c.op}`);
  if (o.failed.length) {
    lines.push(
      "",
      `Failed (${o.failed.length}); everything else was applied. Fix these in users.yaml (or on the platform) and run rollcall up again:`,
    );
    for (const f of o.failed) lines.push(`  FAILED  ${f.person}: ${f.what} ${f.op}: ${f.message}`);
  }
  if (o.otherErrors.length) lines.push("", "Other errors:", ...o.otherErrors.map((e) => `  ${e}`));
  return `${lines.join("\n")}\n`;
}

/** Runs the engine and reports per person. Non-zero exit when anything failed. */
export async function runUp(
  stack: ProjectStack,
  extra: string[] = [],
): Promise<{ code: number; outcome: UpOutcome; report: string; result: CommandResult }> {
  const result = await stack.run(["up", "--yes", "--skip-preview", "--continue-on-error", "--json", ...extra]);
  const outcome = readUpEvents(result.stdout);
  // An engine that stopped before any event (bad flags, no stack) has only stderr to say why.
  const report =
    renderUpOutcome(outcome) +
    (result.code !== 0 && !outcome.failed.length && !outcome.otherErrors.length ? result.stderr || result.stdout : "");
  return { code: result.code !== 0 || outcome.failed.length ? result.code || 1 : 0, outcome, report, result };
}
