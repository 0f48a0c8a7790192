#!/usr/bin/env node
// rollcall's command line: a thin layer over the library. Each command is one function call.
import { runDemo } from "../src/demo/demo";
import { runSimulators } from "../src/sim/run";
import { runValidate } from "../src/model/validate-command";
import { PROJECT_ROOT, ProjectStack } from "../src/engine/pulumi-cli";
import { addCachedEngineToPath } from "../src/engine/toolchain";
import { runPreviewReport, runReport } from "../src/report/command";
import { runUp } from "../src/apply/up";
import { runExport } from "../src/export/command";
import { readAuditLines, summarizeAudit } from "../src/audit/summary";

const USAGE = `usage: rollcall <command>
  demo [--remove KEY]      run the main job on the simulators (pulumi up, remove a person, pulumi up)
  preview --stack NAME [--markdown] [--refresh] [--save FILE] [--save-plan FILE] [--detailed-exitcode]
          [--comment-file FILE] [--summary-file FILE] [--artifact-dir DIR]
                           pulumi preview, reported per platform and person (text; --markdown for a PR comment)
  report FILE.json [--markdown] [--stack NAME]
                           the same report from a saved pulumi preview --json
  up --stack NAME [-- ARGS] pulumi up --continue-on-error: applies every change it can, then lists who failed and why
  export [--stack NAME] [--platform controlroom|anypoint] [--out FILE]
                           write the platforms' users as a users.yaml that, applied, changes nothing
  validate [FILE]          check users.yaml (default ./users.yaml); no network, no engine
  sim [--port N]           start the platform simulators on 127.0.0.1 and print their URLs
  audit [FILE]             summarize the last run in an audit file (default audit/<stack>.jsonl, see README "Safety")`;

async function main(argv: string[]): Promise<number> {
  addCachedEngineToPath(PROJECT_ROOT);
  const [command, ...args] = argv;
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  switch (command) {
    case "demo":
      await runDemo({ remove: flag("--remove") });
      return 0;
    case "preview": {
      const stack = flag("--stack");
      if (!stack) throw new Error("preview needs --stack NAME (the stack to preview, e.g. production)");
      return runPreviewReport(new ProjectStack({ stack, projectDir: PROJECT_ROOT }), { stack, markdown: args.includes("--markdown"), refresh: args.includes("--refresh"), save: flag("--save"), savePlan: flag("--save-plan"), detailedExitcode: args.includes("--detailed-exitcode"), commentFile: flag("--comment-file"), summaryFile: flag("--summary-file"), artifactDir: flag("--artifact-dir") });
    }
    case "report": {
      const file = args.find((a, i) => !a.startsWith("--") && !(args[i - 1] ?? "").startsWith("--"));
      if (!file) throw new Error("report needs FILE.json (the output of pulumi preview --json, e.g. from rollcall preview --save FILE)");
      return runReport(file, { stack: flag("--stack"), markdown: args.includes("--markdown") });
    }
    case "up": {
      // One person's failure never blocks the others (src/apply/up.ts); extra engine flags after `--`.
      const stack = flag("--stack");
      if (!stack) throw new Error("up needs --stack NAME (the stack to apply, e.g. production)");
      const rest = args.includes("--") ? args.slice(args.indexOf("--") + 1) : [];
      const { code, report } = await runUp(new ProjectStack({ stack, projectDir: PROJECT_ROOT }), rest);
      process.stdout.write(report);
      return code;
    }
    case "export":
      return runExport(args, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(`${s}\n`) });
    case "validate":
      return runValidate(args, { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) });
    case "sim":
      await runSimulators({ port: Number(flag("--port") ?? 0) });
      return 0;
    case "audit": {
      const file = args[0] && !args[0].startsWith("--") ? args[0] : `audit/${flag("--stack") ?? "production"}.jsonl`;
      process.stdout.write(summarizeAudit(readAuditLines(file)));
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    process.stderr.write(`rollcall: ${err.message}\n`);
    process.exitCode = 1;
  },
);
