// Since when, and by which change, each person has held each grant: from the git history of
// users.yaml. The history is the main line (`--first-parent`): a pull request's merge or squash
// commit is the change that granted the access, and its message names the pull request. "Since"
// is the first commit of the unbroken run of versions in which the person held the grant, so a
// grant removed and granted again starts a new run.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { declaredFromText, grantId } from "./declared";

export interface Commit {
  sha: string;
  /** Committer date, ISO 8601 in UTC. */
  date: string;
  subject: string;
  /** From "Merge pull request #123" or a squash commit's "(#123)". */
  pr?: number;
}

export interface GrantOrigin {
  since: string;
  commit: string;
  pr?: number;
}

export interface History {
  /** `${personKey}\u0000${grantId}` → the first commit of the run that holds at the newest commit. */
  origins: Map<string, GrantOrigin>;
  /** Versions that could not be read, oldest first: they neither start nor end a run. */
  skipped: { commit: string; reason: string }[];
  commits: number;
  /** The file's path from the repository's top, as a diff names it. */
  path: string;
}

export const originKey = (personKey: string, id: string): string => `${personKey}\u0000${id}`;

/** The pull request a main-line commit message names, if any. */
export function pullRequestOf(subject: string): number | undefined {
  const m = /^Merge pull request #(\d+)\b/.exec(subject) ?? /\(#(\d+)\)\s*$/.exec(subject);
  return m ? Number(m[1]) : undefined;
}

const git = (cwd: string, args: string[]): string =>
  execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: 512 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });

/** The main-line commits that changed the file, oldest first, each with the file's path in it (renames followed). */
export function fileCommits(file: string): { top: string; commits: (Commit & { path?: string })[] } {
  const dir = path.dirname(path.resolve(file));
  let top: string;
  try {
    top = git(dir, ["rev-parse", "--show-toplevel"]).trim();
  } catch {
    throw new Error(
      `${file} is not in a git repository: the review needs its history to say since when and by which change each grant was ` +
        `given. Run it in the repository's checkout (with its full history: actions/checkout's fetch-depth: 0).`,
    );
  }
  if (git(top, ["rev-parse", "--is-shallow-repository"]).trim() === "true") {
    throw new Error(
      `the checkout of ${top} is shallow: the history of ${path.basename(file)} is cut off, so "since" would be wrong. Fetch ` +
        `the full history (git fetch --unshallow, or actions/checkout with fetch-depth: 0).`,
    );
  }
  const rel = path.relative(top, path.resolve(file));
  const out = git(top, ["log", "--first-parent", "--follow", "--name-only", "--format=%x1e%H%x1f%cI%x1f%s", "--", rel]);
  const commits: (Commit & { path?: string })[] = [];
  for (const record of out.split("\x1e").slice(1)) {
    const [head, ...rest] = record.split("\n");
    const [sha, date, subject] = head!.split("\x1f") as [string, string, string];
    const named = rest.map((l) => l.trim()).find((l) => l);
    const pr = pullRequestOf(subject);
    // In UTC whatever the committer's zone, so the same history gives the same bytes everywhere.
    commits.push({
      sha,
      date: new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z"),
      subject,
      ...(pr !== undefined ? { pr } : {}),
      ...(named ? { path: named } : {}),
    });
  }
  return { top, commits: commits.reverse() };
}

/** Reads every version of the file on the main line and finds the origin of each grant held at the newest one. */
export function readHistory(file: string): History {
  const { top, commits } = fileCommits(file);
  const origins = new Map<string, GrantOrigin>();
  const skipped: History["skipped"] = [];
  let current = new Map<string, GrantOrigin>();
  let lastPath = path.relative(top, path.resolve(file));
  for (const c of commits) {
    const p = c.path ?? lastPath;
    lastPath = p;
    let text: string | undefined;
    try {
      text = git(top, ["show", `${c.sha}:${p}`]);
    } catch {
      text = undefined; // the commit deleted the file: nobody holds anything
    }
    let held: Set<string>;
    try {
      held = new Set(
        text === undefined ? [] : declaredFromText(text).flatMap((person) => person.grants.map((g) => originKey(person.key, grantId(g)))),
      );
    } catch (e) {
      skipped.push({ commit: c.sha, reason: `${p} does not parse: ${(e as Error).message.split("\n")[0]}` });
      continue;
    }
    const next = new Map<string, GrantOrigin>();
    for (const k of held) next.set(k, current.get(k) ?? { since: c.date, commit: c.sha, ...(c.pr !== undefined ? { pr: c.pr } : {}) });
    current = next;
  }
  for (const [k, v] of current) origins.set(k, v);
  return { origins, skipped, commits: commits.length, path: path.relative(top, path.resolve(file)).split(path.sep).join("/") };
}
