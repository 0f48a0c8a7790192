// `rollcall expire [FILE] [--prune] [--time-zone ZONE]`: which entries of users.yaml have expired;
// with --prune, delete them from the file (src/features/expiry/prune.ts). The scheduled workflow
// (.github/workflows/expire.yml) runs it after applying the expiries and opens a pull request.
//
// By default an entry counts as expired once its date has begun everywhere on Earth (the time
// zone UTC-12): whichever rollcall:expiryTimeZone a stack uses, the program has already removed
// that access, so merging the pruned file never removes anything earlier than its date.
import { runCommand, UsageError, type CliIo, type CommandSpec } from "../../core/cli-args";
import { readFileSync, writeFileSync } from "node:fs";
import { loadUsersFile, parseUsersYaml } from "../../core/model/load";
import { UsersFileError } from "../../core/model/problems";
import { dateIn, isTimeZone } from "../../core/util/calendar";
import { now } from "./clock";
import { describeRemoved, pruneExpired } from "./prune";

/** The zone where each date begins last. */
export const LAST_TIME_ZONE = "Etc/GMT+12";

export const EXPIRE_SPEC = {
  name: "rollcall expire",
  summary: "Lists the entries of users.yaml whose expires: date has come; --prune deletes them (comments kept).",
  options: {
    prune: { type: "boolean", help: "delete the expired entries from the file" },
    "time-zone": {
      type: "string",
      value: "ZONE",
      help: `the IANA time zone whose date counts (default ${LAST_TIME_ZONE}: a date has begun everywhere)`,
    },
  },
  positionals: ["[FILE]"],
} satisfies CommandSpec;

export async function runExpire(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runCommand(EXPIRE_SPEC, args, io, ({ values: v, positionals: [given] }) => {
    const timeZone = v["time-zone"] ?? LAST_TIME_ZONE;
    const file = given ?? "users.yaml";
    if (!isTimeZone(timeZone))
      throw new UsageError(`--time-zone needs an IANA time zone such as UTC or Europe/Berlin, not '${timeZone}'`, EXPIRE_SPEC.name);
    const out = (line: string) => io.out(`${line}\n`);
    try {
      loadUsersFile(file); // never rewrite a file that is not valid as it stands
      const today = dateIn(now(env).instant, timeZone);
      const { text, removed } = pruneExpired(readFileSync(file, "utf8"), today);
      if (!removed.length) {
        out(`${file}: nothing has expired (today is ${today} in ${timeZone}).`);
        return 0;
      }
      out(
        `${file}: ${removed.length} expired ${removed.length === 1 ? "entry" : "entries"} (today is ${today} in ${timeZone})` +
          `${v.prune ? ", deleted" : "; --prune deletes them"}:`,
      );
      for (const line of describeRemoved(removed)) out(line);
      if (!v.prune) return 0;
      parseUsersYaml(text, file); // the rewritten file must load too, or nothing is written
      writeFileSync(file, text);
      return 0;
    } catch (err) {
      if (!(err instanceof UsersFileError)) throw err;
      io.err(`${err.message}\n`);
      return 1;
    }
  });
}
