#!/usr/bin/env node
// rollcall's command line: a thin layer over the library. Each command is one function call.
import { runDemo } from "../src/demo/demo";
import { runSimulators } from "../src/sim/run";
import { runValidate } from "../src/model/validate-command";
import { PROJECT_ROOT, ProjectStack } from "../src/engine/pulumi-cli";
import { renderPreview } from "../src/report/preview";
import { readAuditLines, summarizeAudit } from "../src/audit/summary";

const USAGE = `usage: rollcall <command>
  demo [--remove KEY]      run the main job on the simulators (pulumi up, remove a person, pulumi up)
  preview --stack NAME     pulumi preview, summarized per person for a pull request (markdown)
  validate [FILE]          check users.yaml (default ./users.yaml); no network, no engine
  sim [--port N]           start the platform simulators on 127.0.0.1 and print their URLs
  audit [FILE]             summarize the last run in an audit file (default audit/<stack>.jsonl, see README "Safety")`;

async function main(argv: string[]): Promise<number> {
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
      const { result, digest } = await new ProjectStack({ stack, projectDir: PROJECT_ROOT }).previewJson();
      process.stdout.write(renderPreview(digest));
      if (result.code !== 0) process.stderr.write(result.stderr || (digest.diagnostics ?? []).map((d) => d.message).join("\n"));
      return result.code;
    }
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
