// The README figures check: a number in the README that something measures (a time, a size, a
// ratio) must say where it comes from, and must match it.
//
//   validating 5,000 people takes 609 ms <!-- measured: bench-validate validate.ms -->
//   the shim is 1,996 bytes <!-- measured: live shim.bytes.ControlRoomUser -->
//   deletions arriving within 1 s <!-- not measured: the coalescing window, a constant -->
//
// `measured: <source> <key>` compares the figure just before the tag with `figures[key]` of
// measurements/<source>.json (written by the command that measured it, e.g. `make bench`), or
// with a figure measured on the spot (`live`, src/tools/figures/live.ts), at the figure's own
// precision. `not measured: <why>` marks a number that is a setting or a platform fact. Any other
// time, size, ratio or call count outside code blocks is a problem: measure it and tag it, or remove it.
import { readMeasurements } from "./record";

export interface FigureProblem {
  line: number;
  figure: string;
  message: string;
}

/** A number with a unit that measurements have: times, sizes, ratios, calls sent. */
const FIGURE =
  /(?<![\w.,])(\d[\d,]*(?:\.\d+)?)(?:\s?|-)(µs|ms|s|seconds|KB|KiB|MB|bytes?|×|x(?![\w-])|(?:bulk )?(?:DELETE )?calls)(?![\w])/g;
const TAG = /<!--\s*(measured|not measured):\s*([^>]*?)\s*-->/g;

export function checkReadmeFigures(text: string, root: string, live: Record<string, number>): FigureProblem[] {
  const problems: FigureProblem[] = [];
  let inCode = false;
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    if (/^\s*```/.test(raw)) {
      inCode = !inCode;
      return;
    }
    if (inCode) return;
    // Each tag covers the last figure before it (since the previous tag).
    let from = 0;
    const covered = new Set<number>();
    for (const tag of raw.matchAll(TAG)) {
      const before = raw.slice(from, tag.index);
      const figures = [...before.matchAll(FIGURE)];
      const last = figures.at(-1);
      const start = from;
      from = tag.index + tag[0].length;
      if (!last) {
        problems.push({ line, figure: tag[0], message: "tag without a figure before it" });
        continue;
      }
      covered.add(start + last.index);
      if (tag[1] === "not measured") {
        if (!tag[2]) problems.push({ line, figure: last[0], message: "say why it is not measured: <!-- not measured: <reason> -->" });
        continue;
      }
      const [source, key] = tag[2]!.split(/\s+/);
      const expected = source === "live" ? live[key ?? ""] : readMeasurements(root, source ?? "")?.figures[key ?? ""];
      if (expected === undefined) {
        problems.push({
          line,
          figure: last[0],
          message:
            `no measured figure '${key}' in ` +
            `${source === "live" ? "the live figures (src/tools/figures/live.ts)" : `measurements/${source}.json`}: run the ` +
            `command that measures it`,
        });
        continue;
      }
      const shown = last[1]!.replace(/,/g, "");
      const decimals = shown.split(".")[1]?.length ?? 0;
      if (Number(shown) !== Number(expected.toFixed(decimals))) {
        problems.push({
          line,
          figure: last[0],
          message:
            `the README says ${last[1]} but ${source === "live" ? "the live measurement" : `measurements/${source}.json`} says ` +
            `${expected.toFixed(decimals)} (${key}): update the README`,
        });
      }
    }
    for (const m of raw.matchAll(FIGURE)) {
      if (covered.has(m.index)) continue;
      problems.push({
        line,
        figure: m[0],
        message:
          "a measurement-looking figure with no source: tag it <!-- measured: <source> <key> --> (or <!-- not measured: <why> " +
          "-->), or remove it",
      });
    }
  });
  return problems;
}
