// The built command line (dist/cli/rollcall.js, the package's `bin`) and the benchmarks' scripts,
// spawned as a user runs them: help on stdout with exit 0, --version, usage errors with exit 2.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/pulumi/engine/pulumi-cli";

const run = (script: string, ...args: string[]) => runIn(process.env, script, ...args);
const runIn = (env: NodeJS.ProcessEnv, script: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, script), ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const rollcall = (...args: string[]) => run("dist/cli/rollcall.js", ...args);
const COMMANDS = ["demo", "preview", "report", "up", "export", "validate", "sim", "pulumi", "audit"];

describe("rollcall (the built CLI)", () => {
  it("--help lists every command on stdout and exits 0", () => {
    for (const flag of ["--help", "-h"]) {
      const r = rollcall(flag);
      expect(r).toMatchObject({ code: 0, stderr: "" });
      expect(r.stdout).toMatch(/^usage: rollcall <command>/);
      for (const c of COMMANDS) expect(r.stdout).toContain(`\n  ${c}`);
    }
  });

  it("<command> --help prints that command's options on stdout and exits 0", () => {
    for (const c of COMMANDS) {
      const r = rollcall(c, "--help");
      expect(r, c).toMatchObject({ code: 0, stderr: "" });
      expect(r.stdout).toMatch(new RegExp(`^usage: rollcall ${c}\\b`));
    }
    expect(rollcall("preview", "--help").stdout).toContain("--markdown");
  });

  it("--version prints package.json's version", () => {
    const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string };
    expect(rollcall("--version")).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("an unknown flag exits 2 naming it, before any work", () => {
    const r = rollcall("preview", "--stack", "production", "--markdwn");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("rollcall preview: unknown option '--markdwn' (did you mean --markdown?)");
  });

  it("a flag missing its value exits 2 naming it", () => {
    expect(rollcall("export", "--out")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("option '--out' needs a value (--out FILE)"),
    });
    expect(rollcall("up", "--stack")).toMatchObject({ code: 2, stderr: expect.stringContaining("option '--stack' needs a value") });
    expect(rollcall("preview")).toMatchObject({ code: 2, stderr: expect.stringContaining("missing --stack NAME") });
  });

  it("an unknown command or none exits 2 with the usage on stderr", () => {
    const r = rollcall("previwe");
    expect(r).toMatchObject({ code: 2, stdout: "" });
    expect(r.stderr).toContain("rollcall: unknown command 'previwe'");
    expect(r.stderr).toContain("usage: rollcall <command>");
    expect(rollcall()).toMatchObject({ code: 2, stdout: "" });
  });

  it("validate still works as before", () => {
    const r = rollcall("validate", "users.yaml");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^users\.yaml: OK, \d+ people/);
  });
});

describe("rollcall pulumi ARGS", () => {
  it("runs an installed CLI as it is, with the engine settings for that process only", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-installed-pulumi-"));
    try {
      const fake = path.join(dir, "pulumi");
      writeFileSync(
        fake,
        `#!/bin/sh\n[ "$1" = version ] && { echo v3.259.0; exit 0; }\necho "$PULUMI_SKIP_CHECKPOINTS $PULUMI_PARALLEL $GOGC $PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: $*"\nexit 3\n`,
      );
      chmodSync(fake, 0o755);
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` };
      for (const k of ["PULUMI_SKIP_CHECKPOINTS", "PULUMI_PARALLEL", "GOGC", "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"]) delete env[k];
      expect(runIn(env, "dist/cli/rollcall.js", "pulumi", "stack", "ls", "--json")).toEqual({
        code: 3,
        stdout: "true 4096 50 true: stack ls --json\n",
        stderr: "",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the benchmarks' scripts", () => {
  it("bench/scale.js and bench/profile.js answer --help and refuse unknown flags", () => {
    for (const script of ["dist/tools/bench/scale.js", "dist/tools/bench/profile.js"]) {
      expect(run(script, "--help"), script).toMatchObject({
        code: 0,
        stdout: expect.stringContaining(`usage: node ${script}`),
        stderr: "",
      });
      const r = run(script, "--peeple", "100");
      expect(r.code, script).toBe(2);
      expect(r.stderr).toContain("unknown option '--peeple' (did you mean --people?)");
    }
  });
});
