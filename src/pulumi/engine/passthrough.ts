// `rollcall pulumi ARGS…`: any pulumi command (login, stack init, config set, preview --diff, …)
// run by the engine rollcall uses (src/pulumi/engine/toolchain.ts) with the settings rollcall's own runs
// have (src/pulumi/engine/fast-path.ts). The settings apply to that one process: nothing is exported, so
// the user's other Pulumi projects never see them.
import { spawn } from "node:child_process";
import { type CliIo, type CommandSpec, helpText } from "../../core/cli-args";
import { engineSettings } from "./fast-path";

export const PULUMI_SPEC = {
  name: "rollcall pulumi",
  summary:
    "Runs any pulumi command (e.g. rollcall pulumi stack init production) with the engine rollcall uses and its settings: the " +
    "fast path, no update check, no plugin downloads. Every argument goes to pulumi as it is (pulumi's own help: rollcall pulumi " +
    "help).",
  options: {},
  positionals: ["PULUMI-ARGS…"],
} satisfies CommandSpec;

export function runPulumiCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length === 0 || (args.length === 1 && (args[0] === "--help" || args[0] === "-h"))) {
    io.out(helpText(PULUMI_SPEC));
    return Promise.resolve(0);
  }
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { env: engineSettings(process.env), stdio: "inherit" });
    child.on("error", (err) =>
      reject(new Error(`could not run the pulumi CLI (${err.message}). Run the project's set-up (make setup), or install the Pulumi CLI.`)),
    );
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
