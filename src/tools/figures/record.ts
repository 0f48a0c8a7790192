// Where measured figures live: `measurements/<name>.json`, written by the command that measured
// them (a benchmark), committed with the README that quotes them. The README figures check
// (readme-figures.ts) compares every tagged figure in the README with these files.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface MeasurementFile {
  /** The command that produced the figures, e.g. "make bench". */
  command: string;
  measuredAt: string;
  figures: Record<string, number>;
}

export const MEASUREMENTS_DIR = "measurements";

/** Why `name` cannot name a measurements file (a benchmark's --record-as), or undefined when it can. */
export function badRecordName(name: string): string | undefined {
  return /^[a-z0-9-]+$/.test(name) ? undefined : `--record-as takes a name of lower-case letters, digits and dashes, not '${name}'`;
}

/** Writes `measurements/<name>.json` under `root` (the checkout). */
export function recordFigures(root: string, name: string, command: string, figures: Record<string, number>): string {
  const file = path.join(root, MEASUREMENTS_DIR, `${name}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  const body: MeasurementFile = { command, measuredAt: new Date().toISOString(), figures };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

export function readMeasurements(root: string, name: string): MeasurementFile | undefined {
  try {
    return JSON.parse(readFileSync(path.join(root, MEASUREMENTS_DIR, `${name}.json`), "utf8")) as MeasurementFile;
  } catch {
    return undefined;
  }
}
