// Benchmark: what trying rollcall costs on a machine with nothing cached — `make demo` in a fresh
// copy of the committed checkout (git archive HEAD), with an empty ROLLCALL_CACHE (so Node 24 comes
// from the npm registry when the system's is older, and npm ci runs), in one of two set-ups:
//
//   --with cli    a Pulumi CLI (v3.259.0 or newer, --pulumi-dir) first on PATH and no `go` on PATH:
//                 the demo must neither build the engine nor need Go;
//   --with none   no Pulumi CLI: set-up builds it from Go modules, with an empty Go build cache
//                 (GOCACHE) too — Go's module download cache is kept (the proxy's downloads).
//
// npm's own cache is the machine's (warm). Figures go to measurements/demo-cold.json.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../../pulumi/engine/pulumi-cli";
import { readMeasurements, recordFigures } from "../figures/record";
import { runScript, UsageError, type CommandSpec } from "../../core/cli-args";

export const COLD_DEMO_SPEC = {
  name: "node dist/tools/bench/cold-demo.js",
  summary: "Times make demo from nothing cached (fresh copy, empty ROLLCALL_CACHE), with an installed Pulumi CLI or with none.",
  options: {
    with: {
      type: "string",
      value: "cli|none",
      help: "an installed Pulumi CLI on PATH (and no Go), or none (set-up builds it from Go modules)",
    },
    "pulumi-dir": { type: "string", value: "DIR", help: "--with cli: the folder of the installed pulumi (default: the one on PATH)" },
    keep: { type: "boolean", help: "keep the scratch folder (its log is make-demo.log)" },
  },
} satisfies CommandSpec;

const dirOf = (name: string, dirs: string[]) => dirs.find((d) => existsSync(path.join(d, name)));

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, log: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(log, { flags: "a" });
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.on("error", reject);
    child.on("close", (code) => out.end(() => resolve(code ?? 1)));
  });
}

async function coldDemo(mode: "cli" | "none", pulumiDir: string | undefined, keep: boolean): Promise<number> {
  const work = mkdtempSync(path.join(os.tmpdir(), `rollcall-cold-demo-${mode}-`));
  const copy = path.join(work, "rollcall");
  const log = path.join(work, "make-demo.log");
  mkdirSync(copy);
  const userCache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "rollcall");
  // The PATH of a machine with nothing of rollcall's: no cached Node or engine of rollcall's.
  let dirs = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((d) => d && !d.startsWith(userCache) && !d.startsWith(process.env.ROLLCALL_CACHE ?? userCache));
  if (mode === "cli") {
    const cli = pulumiDir ?? dirOf("pulumi", (process.env.PATH ?? "").split(path.delimiter));
    if (!cli || !existsSync(path.join(cli, "pulumi")))
      throw new UsageError("--with cli needs a Pulumi CLI: --pulumi-dir DIR or one on PATH", COLD_DEMO_SPEC.name);
    const go = dirOf("go", dirs);
    dirs = [cli, ...dirs.filter((d) => d !== go && d !== cli)];
  } else if (dirOf("pulumi", dirs)) {
    throw new UsageError(`--with none needs a PATH without pulumi (found in ${dirOf("pulumi", dirs)})`, COLD_DEMO_SPEC.name);
  }
  const env: NodeJS.ProcessEnv = {
    HOME: os.homedir(),
    PATH: dirs.join(path.delimiter),
    ROLLCALL_CACHE: path.join(work, "cache"),
    ...(mode === "none" ? { GOCACHE: path.join(work, "gocache") } : {}),
  };
  for (const k of ["GOPATH", "GOMODCACHE", "GOPROXY", "GOFLAGS", "npm_config_cache", "TMPDIR", "LANG"])
    if (process.env[k]) env[k] = process.env[k];
  try {
    if ((await run("bash", ["-c", `git -C '${PROJECT_ROOT}' archive HEAD | tar -x -C '${copy}'`], copy, process.env, log)) !== 0)
      throw new Error(`git archive failed (${log})`);
    process.stderr.write(`cold-demo: make demo --with ${mode} in ${copy} (log ${log})\n`);
    // The machine may be shared: its load says how comparable a figure is.
    const load = os.loadavg()[0]!;
    const t = performance.now();
    const code = await run("make", ["demo"], copy, env, log);
    const seconds = (performance.now() - t) / 1000;
    if (code !== 0) throw new Error(`make demo exited ${code}; see ${log}`);
    const key = mode === "cli" ? "withCli" : "withoutCli";
    const previous = readMeasurements(PROJECT_ROOT, "demo-cold")?.figures ?? {};
    const file = recordFigures(PROJECT_ROOT, "demo-cold", "node dist/tools/bench/cold-demo.js --with cli|none", {
      ...previous,
      [`${key}.seconds`]: seconds,
      [`${key}.minutes`]: seconds / 60,
      [`${key}.loadAverageAtStart`]: load,
      cores: os.cpus().length,
    });
    process.stdout.write(`cold make demo --with ${mode}: ${seconds.toFixed(1)} s; recorded in ${file}\n`);
    return 0;
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runScript(COLD_DEMO_SPEC, ({ values }) => {
    if (values.with !== "cli" && values.with !== "none")
      throw new UsageError(`--with takes cli or none, not '${values.with ?? ""}'`, COLD_DEMO_SPEC.name);
    return coldDemo(values.with, values["pulumi-dir"], !!values.keep);
  });
}
