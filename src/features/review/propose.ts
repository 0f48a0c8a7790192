// `--inactive-days N --propose`: the users.yaml change that offboards the inactive, as a unified
// diff for a pull request. It never applies anything: merging the pull request does, through every
// guard of a removal. Only whole lines are removed (a platform block, or the person's entry when
// no block is left), so comments and formatting elsewhere stay as they are.
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from "yaml";
import type { DeclaredPerson, Platform } from "./declared";
import { DAY_MS, type Holding, type ReviewSettings } from "./holders";

export interface Proposal {
  /** The unified diff (empty when nobody is inactive), preceded by what it does and what it skipped. */
  diff: string;
  removed: { person: string; platforms: Platform[] }[];
  skipped: { person: string; reason: string }[];
}

const BLOCK: Record<Platform, "controlRoom" | "anypoint"> = { "Control Room": "controlRoom", Anypoint: "anypoint" };

/**
 * Inactive on a platform: the last sign-in is older than N days, or the platform says "never" and
 * every grant there was given more than N days ago. An unknown sign-in is never inactive: the
 * review cannot tell, so it proposes nothing.
 */
function inactiveOn(rows: Holding[], settings: Pick<ReviewSettings, "now" | "inactiveDays">): boolean {
  const now = Date.parse(settings.now);
  const limit = settings.inactiveDays * DAY_MS;
  const held = rows.filter((r) => !r.flags.includes("not-on-platform"));
  if (!held.length) return false;
  const last = held[0]!.lastLogin;
  if (last === "unknown") return false;
  if (last === "never") return held.every((r) => r.since !== undefined && now - Date.parse(r.since) > limit);
  return now - Date.parse(last) > limit;
}

/** `asOf` is printed only when the caller gave the time, so the output carries no time of generation. */
export function proposeOffboarding(
  file: string,
  source: string,
  declared: DeclaredPerson[],
  rows: Holding[],
  settings: Pick<ReviewSettings, "now" | "inactiveDays"> & { asOf?: string },
): Proposal {
  const removed: Proposal["removed"] = [];
  const skipped: Proposal["skipped"] = [];
  const plan = new Map<string, Platform[]>();
  for (const person of declared) {
    const platforms = (["Control Room", "Anypoint"] as Platform[]).filter(
      (p) =>
        (p === "Control Room" ? person.controlRoom : person.anypoint) &&
        inactiveOn(
          rows.filter((r) => r.person === person.key && r.platform === p && !r.flags.includes("undeclared")),
          settings,
        ),
    );
    if (!platforms.length) continue;
    if (person.protected) {
      skipped.push({
        person: person.key,
        reason: `protected: inactive on ${platforms.join(" and ")}, but rollcall never removes a protected person; review them by hand`,
      });
      continue;
    }
    plan.set(person.key, platforms);
    removed.push({ person: person.key, platforms });
  }

  const doc = parseDocument(source);
  const users = doc.get("users", true);
  const deleted = new Set<number>();
  const lineOf = lineIndex(source);
  const drop = (from: number, to: number) => {
    for (let l = lineOf(from); l <= lineOf(Math.max(from, to - 1)); l++) deleted.add(l);
  };
  if (isSeq(users)) {
    for (const item of users.items) {
      if (!isMap(item)) continue;
      const key = item.get("key");
      const platforms = typeof key === "string" ? plan.get(key) : undefined;
      if (!platforms) continue;
      const blocks = item.items.filter((p: Pair) => isScalar(p.key) && (p.key.value === "controlRoom" || p.key.value === "anypoint"));
      const remaining = blocks.filter((p) => !platforms.some((pl) => BLOCK[pl] === (p.key as { value: string }).value));
      if (!remaining.length) drop(item.range![0], item.range![1]);
      else for (const p of blocks) if (!remaining.includes(p)) drop((p.key as Node).range![0], (p.value as Node).range![1]);
    }
  }

  const header = [
    `# rollcall review --propose: offboards people with no sign-in for more than ${settings.inactiveDays} days` +
      `${settings.asOf ? ` (as of ${settings.asOf})` : ""}.`,
    "# Nothing was applied. Open a pull request with this change; merging it removes their access through every guard of a removal.",
    ...removed.map((r) => `# remove ${r.person}: ${r.platforms.join(", ")}`),
    ...skipped.map((s) => `# skipped ${s.person}: ${s.reason}`),
  ];
  const body = unifiedDiff(file, source, deleted);
  return { diff: `${header.join("\n")}\n${body}`, removed, skipped };
}

/** Offset → 0-based line number. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

/** A unified diff (3 lines of context, `git apply` format) of removing the given 0-based lines. */
export function unifiedDiff(file: string, source: string, deleted: Set<number>): string {
  if (!deleted.size) return "";
  const lines = source.split("\n");
  const endsWithNewline = lines[lines.length - 1] === "";
  if (endsWithNewline) lines.pop();
  const CONTEXT = 3;
  const sorted = [...deleted].filter((l) => l < lines.length).sort((a, b) => a - b);
  const hunks: [number, number][] = [];
  for (const l of sorted) {
    const last = hunks[hunks.length - 1];
    if (last && l - last[1] <= 2 * CONTEXT + 1) last[1] = l;
    else hunks.push([l, l]);
  }
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let shift = 0;
  for (const [first, lastDeleted] of hunks) {
    const start = Math.max(0, first - CONTEXT);
    const end = Math.min(lines.length - 1, lastDeleted + CONTEXT);
    const body: string[] = [];
    let removedHere = 0;
    for (let l = start; l <= end; l++) {
      if (deleted.has(l)) removedHere++;
      body.push(`${deleted.has(l) ? "-" : " "}${lines[l]}`);
      if (l === lines.length - 1 && !endsWithNewline) body.push("\\ No newline at end of file");
    }
    const oldLen = end - start + 1;
    const newLen = oldLen - removedHere;
    out.push(`@@ -${start + 1},${oldLen} +${newLen ? start + 1 - shift : start - shift},${newLen} @@`, ...body);
    shift += removedHere;
  }
  return `${out.join("\n")}\n`;
}
