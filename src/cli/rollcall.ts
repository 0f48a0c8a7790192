#!/usr/bin/env node
// rollcall's command line: a thin layer over the library. Each command is one function call; the
// arguments of every command are parsed by src/core/cli-args.ts (strict: an unknown flag exits 2).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { runDemo } from "../sim/demo";
import { runSimulators } from "../sim/run";
import { commandProjectRoot, NODE_MODULES, PROJECT_ROOT, ProjectStack } from "../pulumi/engine/pulumi-cli";
import { runInit } from "../features/init/scaffold";
import { migrateState } from "../features/migrate/migrate-state";
import { addCachedEngineToPath } from "../pulumi/engine/toolchain";
import { runPreviewReport, runReport } from "../features/report/command";
import { runUp } from "../features/apply/up";
import { EXPORT_SPEC, runExport } from "../features/export/command";
import { REVIEW_SPEC, runReview } from "../features/review/command";
import { EXPIRE_SPEC, runExpire } from "../features/expiry/command";
import { readAuditLines, summarizeAudit } from "../features/audit/summary";
import { PULUMI_SPEC, runPulumiCommand } from "../pulumi/engine/passthrough";
import { runValidate, VALIDATE_SPEC } from "../features/validate-command";
import { runCommand, required, synopsis, UsageError, type CliIo, type CommandSpec } from "../core/cli-args";

const io: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

const DEMO = {
  name: "rollcall demo",
  summary: "Runs the main job on the simulators: pulumi up, remove a person from users.yaml, pulumi up.",
  options: {
    remove: { type: "string", value: "KEY", help: "the person to remove (default: the last unprotected person on both platforms)" },
  },
} satisfies CommandSpec;

const PREVIEW = {
  name: "rollcall preview",
  summary: "pulumi preview, reported per platform and person (text; --markdown for a pull-request comment). Exits as the preview did.",
  options: {
    stack: { type: "string", value: "NAME", help: "the stack to preview, e.g. production (required)" },
    markdown: { type: "boolean", help: "the report as Markdown (the pull-request comment)" },
    refresh: { type: "boolean", help: "read every managed user back first (drift)" },
    save: { type: "string", value: "FILE", help: "also write pulumi preview --json to FILE" },
    "save-plan": { type: "string", value: "FILE", help: "also write the engine's update plan, for rollcall up -- --plan FILE" },
    "comment-file": {
      type: "string",
      value: "FILE",
      help: "write the pull-request comment, within GitHub's limit once the sticky-comment header is added",
    },
    "comment-header": { type: "string", value: "NAME", help: "the sticky-comment action's header (default rollcall-<stack>)" },
    "summary-file": { type: "string", value: "FILE", help: "append the full report (default $GITHUB_STEP_SUMMARY when set)" },
    "artifact-dir": { type: "string", value: "DIR", help: "write preview.json and report.md there, for the run's artifact" },
    commit: { type: "string", value: "SHA", help: "the commit the comment's footer names (default $GITHUB_SHA)" },
    "detailed-exitcode": { type: "boolean", help: "exit 0 no access change, 2 changes, 3 refused by a guard, 1 error" },
    "stale-comment": { type: "boolean", help: "only write the body marking the last comment stale (no preview)" },
  },
} satisfies CommandSpec;

const REPORT = {
  name: "rollcall report",
  summary: "The preview report from a saved pulumi preview --json (e.g. rollcall preview --save FILE).",
  options: {
    markdown: { type: "boolean", help: "the report as Markdown (the pull-request comment)" },
    stack: { type: "string", value: "NAME", help: "the stack the preview was of (named in the report)" },
  },
  positionals: ["FILE.json"],
} satisfies CommandSpec;

const UP = {
  name: "rollcall up",
  summary: "pulumi up --continue-on-error: applies every change it can, then lists who failed and why.",
  options: { stack: { type: "string", value: "NAME", help: "the stack to apply, e.g. production (required)" } },
  passThrough: "PULUMI-UP-FLAGS",
} satisfies CommandSpec;

const SIM = {
  name: "rollcall sim",
  summary: "Starts the platform simulators on 127.0.0.1 and prints their URLs and credentials.",
  options: { port: { type: "string", value: "N", help: "the Control Room simulator's port (default: any free port)" } },
} satisfies CommandSpec;

const AUDIT = {
  name: "rollcall audit",
  summary: "Summarizes the last run in an audit file (docs/safety.md).",
  options: { stack: { type: "string", value: "NAME", help: "read audit/NAME.jsonl (default production)" } },
  positionals: ["[FILE]"],
} satisfies CommandSpec;

const INIT = {
  name: "rollcall init",
  summary: "Scaffolds a membership repository that depends on this package (never overwrites a file).",
  options: {},
  positionals: ["[DIR]"],
} satisfies CommandSpec;

const MIGRATE_STATE = {
  name: "rollcall migrate-state",
  summary: "Rewrites a stack's stored provider shims for the layout (a fork → the package); no platform call.",
  options: {
    stack: { type: "string", value: "NAME", help: "the stack whose stored shims to rewrite (required)" },
    to: { type: "string", value: "package|checkout", help: "the layout to point the shims at (default: this one)" },
  },
} satisfies CommandSpec;

const ENGINE_COMMANDS = new Set(["demo", "preview", "up", "export", "review", "pulumi", "migrate-state"]);

/** Each command: its spec (for the usage) and what it runs. */
const COMMANDS: Record<string, { spec: CommandSpec; run: (args: string[]) => Promise<number> }> = {
  demo: {
    spec: DEMO,
    run: (args) => runCommand(DEMO, args, io, async ({ values }) => (await runDemo({ remove: values.remove }), 0)),
  },
  preview: {
    spec: PREVIEW,
    run: (args) =>
      runCommand(PREVIEW, args, io, ({ values: v }) => {
        const stack = required(PREVIEW, v, "stack", "the stack to preview, e.g. production");
        return runPreviewReport(new ProjectStack({ stack, projectDir: commandProjectRoot() }), {
          stack,
          markdown: v.markdown,
          refresh: v.refresh,
          save: v.save,
          savePlan: v["save-plan"],
          commentFile: v["comment-file"],
          commentHeader: v["comment-header"],
          summaryFile: v["summary-file"],
          artifactDir: v["artifact-dir"],
          commit: v.commit,
          detailedExitcode: v["detailed-exitcode"],
          staleComment: v["stale-comment"],
        });
      }),
  },
  report: {
    spec: REPORT,
    run: (args) =>
      runCommand(REPORT, args, io, ({ values, positionals: [file] }) => {
        if (!file)
          throw new UsageError(
            "missing FILE.json (the output of pulumi preview --json, e.g. from rollcall preview --save FILE)",
            REPORT.name,
          );
        return runReport(file, { stack: values.stack, markdown: values.markdown });
      }),
  },
  up: {
    spec: UP,
    run: (args) =>
      runCommand(UP, args, io, async ({ values, rest }) => {
        // One person's failure never blocks the others (src/features/apply/up.ts); extra engine flags after `--`.
        const stack = required(UP, values, "stack", "the stack to apply, e.g. production");
        const { code, report } = await runUp(new ProjectStack({ stack, projectDir: commandProjectRoot() }), rest);
        io.out(report);
        return code;
      }),
  },
  export: { spec: EXPORT_SPEC, run: (args) => runExport(args, io) },
  review: { spec: REVIEW_SPEC, run: (args) => runReview(args, io) },
  validate: { spec: VALIDATE_SPEC, run: (args) => runValidate(args, io) },
  expire: { spec: EXPIRE_SPEC, run: (args) => runExpire(args, io) },
  sim: {
    spec: SIM,
    run: (args) =>
      runCommand(SIM, args, io, async ({ values }) => {
        const port = Number(values.port ?? 0);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new UsageError(`--port takes a port number (0-65535), not '${values.port}'`, SIM.name);
        await runSimulators({ port });
        return 0;
      }),
  },
  pulumi: { spec: PULUMI_SPEC, run: (args) => runPulumiCommand(args, io) },
  init: {
    spec: INIT,
    run: (args) =>
      runCommand(INIT, args, io, ({ positionals: [dir] }) => {
        runInit(dir ?? ".", PROJECT_ROOT, { out: (s) => io.out(`${s}\n`) });
        return 0;
      }),
  },
  "migrate-state": {
    spec: MIGRATE_STATE,
    run: (args) =>
      runCommand(MIGRATE_STATE, args, io, async ({ values }) => {
        const stack = required(MIGRATE_STATE, values, "stack", "the stack whose stored shims to rewrite");
        const to = values.to;
        if (to !== undefined && to !== "package" && to !== "checkout")
          throw new UsageError(`--to takes package or checkout, not '${to}'`, MIGRATE_STATE.name);
        await migrateState(new ProjectStack({ stack, projectDir: commandProjectRoot() }), { to, out: (s) => io.out(`${s}\n`) });
        return 0;
      }),
  },
  audit: {
    spec: AUDIT,
    run: (args) =>
      runCommand(AUDIT, args, io, ({ values, positionals: [file] }) => {
        io.out(summarizeAudit(readAuditLines(file ?? `audit/${values.stack ?? "production"}.jsonl`)));
        return 0;
      }),
  },
};

function usage(): string {
  const lines = Object.values(COMMANDS).map(({ spec }) => `  ${synopsis(spec).replace(/^rollcall /, "")}\n      ${spec.summary}`);
  return (
    `usage: rollcall <command> [options]    (rollcall <command> --help for one command's options)\n\ncommands:\n` +
    `${lines.join("\n")}\n\n  --help, -h       this help\n  --version, -v    rollcall's version\n`
  );
}

/** rollcall's version: the package.json of the package this file belongs to. */
function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "rollcall" && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === "--help" || command === "-h" || command === "help") return (io.out(usage()), 0);
  if (command === "--version" || command === "-v") return (io.out(`${version()}\n`), 0);
  const entry = command === undefined ? undefined : Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    const problem =
      command === undefined
        ? "rollcall: missing command"
        : `rollcall: unknown ${command.startsWith("-") ? "option" : "command"} '${command}'`;
    io.err(`${problem}\n\n${usage()}`);
    return 2;
  }
  // The engine goes on this process's PATH for the commands that start it (none of the others pays
  // for `pulumi version`).
  if (ENGINE_COMMANDS.has(command!)) addCachedEngineToPath(path.dirname(NODE_MODULES));
  return entry.run(args);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    process.stderr.write(`rollcall: ${err.message}\n`);
    process.exitCode = 1;
  },
);
