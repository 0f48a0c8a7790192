// `rollcall review`: an access review of a stack. The platforms are read with the export's paged
// readers (src/features/export/inventory.ts), users.yaml and its git history say who was granted what, since
// when and in which change; the renderers are pure. Reads only: nothing is sent but list calls.
import { runCommand, UsageError, type CliIo, type CommandSpec } from "../../core/cli-args";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { AnypointClient } from "../../providers/anypoint/client";
import { ControlRoomClient } from "../../providers/controlroom/client";
import { GENERAL_KEYS, readAnypointSettings, readControlRoomSettings, setting, type ConfigGetter } from "../../core/config";
import { commandProjectRoot } from "../../pulumi/engine/pulumi-cli";
import { readAnypoint, readControlRoom, type AnypointAccount, type ControlRoomAccount, type Progress } from "../export/inventory";
import { stackConfig } from "../export/command";
import { loadUsersFile } from "../../core/model/load";
import { inShare, readShare } from "../split/share";
import { declaredFromText } from "./declared";
import { readHistory } from "./history";
import { reviewHoldings, type Holding } from "./holders";
import { proposeOffboarding } from "./propose";
import { renderCsv } from "./render-csv";
import { renderJson, type ReviewMeta } from "./render-json";
import { renderMarkdown } from "./render-md";

export type ReviewFormat = "markdown" | "csv" | "json";

export interface ReviewOptions {
  usersFile: string;
  config: ConfigGetter;
  stack?: string;
  format: ReviewFormat;
  inactiveDays: number;
  expiringDays: number;
  /** The clock (ISO 8601); given → printed as "as of", absent → the current time, printed nowhere. */
  now?: string;
  propose: boolean;
  progress: Progress;
}

/** The review's text (or, with `propose`, the users.yaml diff), and its rows. */
export async function review(opts: ReviewOptions): Promise<{ text: string; rows: Holding[] }> {
  // Fail closed: a users.yaml the program would refuse is no basis for a review.
  loadUsersFile(opts.usersFile);
  const source = readFileSync(opts.usersFile, "utf8");
  const share = readShare(opts.config);
  const declared = declaredFromText(source);
  const history = readHistory(opts.usersFile);
  const notes = history.skipped.map(
    (s) => `History: commit ${s.commit.slice(0, 12)} was left out (${s.reason}); runs of access are read across it.`,
  );
  if (share.shard.count > 1)
    notes.push(
      `This stack manages shard ${share.shard.index}/${share.shard.count} of users.yaml; the whole file is compared, so "held ` +
        `but not declared" means not in users.yaml at all.`,
    );

  const callers: { controlRoom?: string; anypoint?: string } = {};
  let controlRoom: ControlRoomAccount[] | undefined;
  let anypoint: AnypointAccount[] | undefined;
  if (share.platforms.has("controlRoom")) {
    const settings = readControlRoomSettings(opts.config);
    const client = new ControlRoomClient(settings);
    try {
      controlRoom = await readControlRoom(client, opts.progress);
      callers.controlRoom = settings.username;
    } finally {
      await client.close();
    }
  } else notes.push("Control Room is not managed by this stack (rollcall:platforms): not read.");
  if (share.platforms.has("anypoint")) {
    const client = new AnypointClient(readAnypointSettings(opts.config));
    try {
      anypoint = await readAnypoint(client, opts.progress);
      const me = await client.me();
      if (me.kind === "user") callers.anypoint = me.name;
    } finally {
      await client.close();
    }
  } else notes.push("Anypoint is not managed by this stack (rollcall:platforms): not read.");

  const now = opts.now ?? new Date().toISOString();
  const rows = reviewHoldings(
    { controlRoom, anypoint, declared, origins: history.origins, callers },
    { now, inactiveDays: opts.inactiveDays, expiringDays: opts.expiringDays },
  );
  if (opts.propose) {
    // A stack of a split proposes only for its own share, so the stacks' diffs never overlap.
    const mine = declared.filter((p) => inShare(share, p.key, "controlRoom") || inShare(share, p.key, "anypoint"));
    return {
      text: proposeOffboarding(history.path, source, mine, rows, { now, inactiveDays: opts.inactiveDays, asOf: opts.now }).diff,
      rows,
    };
  }
  const meta: ReviewMeta = {
    stack: opts.stack,
    asOf: opts.now,
    settings: { inactiveDays: opts.inactiveDays, expiringDays: opts.expiringDays },
    notes,
  };
  const text = opts.format === "csv" ? renderCsv(rows) : opts.format === "json" ? renderJson(rows, meta) : renderMarkdown(rows, meta);
  return { text, rows };
}

const FORMATS: ReviewFormat[] = ["markdown", "csv", "json"];

function days(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`${flag} must be a whole number of days, at least 1, not '${text}'`, REVIEW_SPEC.name);
  return Number(text);
}

export const REVIEW_SPEC = {
  name: "rollcall review",
  summary: "Access review: who holds each role, team and license, since which change, last sign-in, flags (docs: access review).",
  options: {
    stack: {
      type: "string",
      value: "NAME",
      help: "read the platforms' settings from this stack's config (default: the ROLLCALL_* environment)",
    },
    format: { type: "string", value: "markdown|csv|json", help: "the output format (default markdown)" },
    out: { type: "string", value: "FILE", help: "write to FILE (default stdout)" },
    "inactive-days": { type: "string", value: "N", help: "no sign-in for more than N days is inactive (default 90)" },
    "expiring-days": { type: "string", value: "N", help: "access ending within N days is flagged (default 14)" },
    now: { type: "string", value: "ISO", help: "the review's date and time (default now; fixed for reproducible output)" },
    propose: { type: "boolean", help: "with --inactive-days: print the users.yaml diff offboarding the inactive (applies nothing)" },
    users: { type: "string", value: "FILE", help: "the users.yaml to review (default the stack's usersFile, else users.yaml)" },
    cwd: { type: "string", value: "DIR", help: "the project directory (default this checkout)" },
  },
} satisfies CommandSpec;

export async function runReview(args: string[], io: CliIo): Promise<number> {
  return runCommand(REVIEW_SPEC, args, io, async ({ values: v }) => {
    const format = (v.format ?? "markdown") as ReviewFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be markdown, csv or json, not '${format}'`, REVIEW_SPEC.name);
    const now = v.now;
    if (now !== undefined && Number.isNaN(Date.parse(now)))
      throw new UsageError(`--now must be an ISO 8601 date and time (e.g. 2027-01-01T00:00:00Z), not '${now}'`, REVIEW_SPEC.name);
    const propose = v.propose ?? false;
    if (propose && v["inactive-days"] === undefined)
      throw new UsageError("--propose needs --inactive-days N: say how long without a sign-in counts as inactive", REVIEW_SPEC.name);
    const stack = v.stack;
    const projectDir = v.cwd ?? commandProjectRoot();
    const config = stack ? await stackConfig(stack, projectDir) : () => undefined;
    const usersFile = path.resolve(projectDir, v.users ?? setting(config, "usersFile", GENERAL_KEYS.usersFile) ?? "users.yaml");
    const { text, rows } = await review({
      usersFile,
      config,
      stack,
      format,
      inactiveDays: days("--inactive-days", v["inactive-days"], 90),
      expiringDays: days("--expiring-days", v["expiring-days"], 14),
      now,
      propose,
      progress: (m) => io.err(`review: ${m}\n`),
    });
    const file = v.out;
    if (file) writeFileSync(file, text);
    else io.out(text);
    io.err(`review: ${rows.length} holdings${propose ? "; the proposed users.yaml change" : ""}${file ? ` written to ${file}` : ""}\n`);
    return 0;
  });
}
