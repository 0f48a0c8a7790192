// `rollcall validate [FILE]`: the loader's checks alone, for pre-commit hooks and CI. No network,
// no engine; exit status 1 when the file has problems. Expiry dates that have come are warnings
// (the date is today in UTC, or ROLLCALL_EXPIRY_TIME_ZONE): the file is still valid.
import { readExpiryClock } from "./expiry/clock";
import { expiryWarnings, formatWarning } from "./expiry/warnings";
import { runCommand, type CliIo, type CommandSpec } from "../core/cli-args";
import { loadUsersFile } from "../core/model/load";
import { UsersFileError } from "../core/model/problems";

export const VALIDATE_SPEC = {
  name: "rollcall validate",
  summary: "Checks users.yaml (default ./users.yaml) without network or engine; exit status 1 on any problem.",
  options: {},
  positionals: ["[FILE]"],
} satisfies CommandSpec;

export async function runValidate(args: string[], io: CliIo): Promise<number> {
  return runCommand(VALIDATE_SPEC, args, io, ({ positionals: [file = "users.yaml"] }) => {
    try {
      const model = loadUsersFile(file);
      for (const w of expiryWarnings(model, readExpiryClock(() => undefined).today)) io.err(`${formatWarning(w)}\n`);
      const on = (p: "controlRoom" | "anypoint") => model.people.filter((x) => x[p]).length;
      io.out(`${file}: OK, ${model.people.length} people (${on("controlRoom")} on Control Room, ${on("anypoint")} on Anypoint)\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof UsersFileError)) throw err;
      io.err(`${err.message}\n`);
      return 1;
    }
  });
}
