// Throwaway git repositories with fixed commit dates, for tests that read users.yaml's history.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const dirs: string[] = [];
export const removeTempRepos = () => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));

/** A temporary directory, removed by removeTempRepos. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A repository whose commits have fixed dates, so origins are exact. */
export function tempRepo() {
  const dir = tempDir("rollcall-review-");
  let clock = Date.parse("2026-01-01T00:00:00Z");
  const git = (...args: string[]) => {
    if (args[0] === "commit" || args[0] === "merge") clock += 86_400_000;
    const date = new Date(clock).toISOString().replace(/\.000Z$/, "Z");
    const env = {
      ...process.env,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      TZ: "UTC",
    };
    return execFileSync("git", args, { cwd: dir, env, encoding: "utf8" }).trim();
  };
  git("init", "-q", "-b", "main");
  const commit = (text: string, subject: string) => {
    writeFileSync(path.join(dir, "users.yaml"), text);
    git("add", "users.yaml");
    git("commit", "-q", "-m", subject);
    return git("rev-parse", "HEAD");
  };
  return { dir, git, commit, file: path.join(dir, "users.yaml") };
}

export const person = (key: string, block: string) =>
  `  - key: ${key}\n    email: ${key}@example.com\n    firstName: ${key}\n    lastName: Test\n${block}`;
export const usersYaml = (...people: string[]) => `version: 1\nusers:\n${people.join("")}`;
