// `rollcall expire [FILE] [--prune] [--time-zone ZONE]`: which entries of users.yaml have expired;
// with --prune, delete them from the file (src/expiry/prune.ts). The scheduled workflow
// (.github/workflows/expire.yml) runs it after applying the expiries and opens a pull request.
//
// By default an entry counts as expired once its date has begun everywhere on Earth (the time
// zone UTC-12): whichever rollcall:expiryTimeZone a stack uses, the program has already removed
// that access, so merging the pruned file never removes anything earlier than its date.
import { readFileSync, writeFileSync } from "node:fs";
import { loadUsersFile, parseUsersYaml } from "../model/load";
import { UsersFileError } from "../model/problems";
import { dateIn, isTimeZone } from "./calendar";
import { now } from "./clock";
import { describeRemoved, pruneExpired } from "./prune";

/** The zone where each date begins last. */
export const LAST_TIME_ZONE = "Etc/GMT+12";

export async function runExpire(args: string[], io: { out: (s: string) => void; err: (s: string) => void }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const zoneAt = args.indexOf("--time-zone");
  const timeZone = zoneAt >= 0 ? args[zoneAt + 1] : LAST_TIME_ZONE;
  const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--time-zone") ?? "users.yaml";
  if (!timeZone || !isTimeZone(timeZone)) {
    io.err(`rollcall expire: --time-zone needs an IANA time zone such as UTC or Europe/Berlin, not '${timeZone ?? ""}'.`);
    return 2;
  }
  try {
    loadUsersFile(file); // never rewrite a file that is not valid as it stands
    const today = dateIn(now(env).instant, timeZone);
    const { text, removed } = pruneExpired(readFileSync(file, "utf8"), today);
    if (!removed.length) {
      io.out(`${file}: nothing has expired (today is ${today} in ${timeZone}).`);
      return 0;
    }
    io.out(`${file}: ${removed.length} expired ${removed.length === 1 ? "entry" : "entries"} (today is ${today} in ${timeZone})${args.includes("--prune") ? ", deleted" : "; --prune deletes them"}:`);
    for (const line of describeRemoved(removed)) io.out(line);
    if (!args.includes("--prune")) return 0;
    parseUsersYaml(text, file); // the rewritten file must load too, or nothing is written
    writeFileSync(file, text);
    return 0;
  } catch (err) {
    if (!(err instanceof UsersFileError)) throw err;
    io.err(err.message);
    return 1;
  }
}
