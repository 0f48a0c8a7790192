// Runs the docs' runnable blocks as a reader would: in an empty directory with rollcall installed
// as a package (a copy of this checkout's build, its dependencies linked, as npm would lay them
// out), in one shell session (each block sees the directory and the exports the previous left),
// against the sample organization on both simulators (src/sim/sample-org.ts, what `rollcall sim`
// serves), on a local file backend.
import { spawn } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { NODE_MODULES, PROJECT_ROOT } from "../../src/pulumi/engine/pulumi-cli";
import { mutatingRequests } from "../../src/sim/harness";
import { startSampleSimulators, type SampleSimulators } from "../../src/sim/sample-org";
import { applyBlockDiff, blockAttr, runnableBlocks, type CodeBlock } from "../../src/tools/docs/markdown";

export interface BlockRun {
  block: CodeBlock;
  code: number;
  output: string;
  /** Requests that change something (POST/PUT/PATCH/DELETE, logins aside) each simulator received during the block. */
  writes: { controlRoom: string[]; anypoint: string[] };
}

export interface DocsRepo {
  /** The reader's repository (the working directory of the first block). */
  dir: string;
  sims: SampleSimulators;
  runs: BlockRun[];
  dispose(): Promise<void>;
}

/** node_modules of a repository that ran `npm install rollcall`: rollcall copied, everything else linked. */
function installRollcall(dir: string): void {
  const modules = path.join(dir, "node_modules");
  mkdirSync(path.join(modules, ".bin"), { recursive: true });
  for (const name of readdirSync(NODE_MODULES))
    if (!name.startsWith(".") && name !== "rollcall") symlinkSync(path.join(NODE_MODULES, name), path.join(modules, name));
  const pkg = path.join(modules, "rollcall");
  for (const f of ["package.json", "dist", "schema", "users.yaml", "Pulumi.yaml", "stacks", ".github"])
    cpSync(path.join(PROJECT_ROOT, f), path.join(pkg, f), { recursive: true });
  rmSync(path.join(pkg, "dist/tools"), { recursive: true, force: true });
  chmodSync(path.join(pkg, "dist/cli/rollcall.js"), 0o755);
  symlinkSync("../rollcall/dist/cli/rollcall.js", path.join(modules, ".bin/rollcall"));
}

function runShell(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", (err) => resolve({ code: 1, output: `${output}${String(err)}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

function label(file: string, block: CodeBlock): string {
  return `${path.relative(PROJECT_ROOT, file)}:${block.line}`;
}

/** Runs every runnable block of `file` in order; stops at the first that fails (its run says why). */
export async function runDocs(file: string): Promise<DocsRepo> {
  const work = mkdtempSync(path.join(os.tmpdir(), "rollcall-docs-"));
  const dir = path.join(work, "membership");
  const session = path.join(work, "session");
  mkdirSync(dir);
  mkdirSync(session);
  installRollcall(dir);
  const sims = await startSampleSimulators({ idleTimeoutSeconds: 900 });
  // The reader's shell: no variable naming this checkout; the simulators' settings as `rollcall sim` prints them.
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "ROLLCALL_ROOT" && !k.startsWith("PULUMI_"))),
    ...sims.env,
    PULUMI_HOME: path.join(work, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  writeFileSync(path.join(session, "env.sh"), "");
  writeFileSync(path.join(session, "cwd"), dir);
  const runs: BlockRun[] = [];
  for (const block of runnableBlocks(readFileSync(file, "utf8"))) {
    const crBefore = sims.controlRoom.requests.length;
    const apBefore = sims.anypoint.requests.length;
    let code = 0;
    let output = "";
    if (block.lang !== "sh" && block.lang !== "diff") {
      // A file the page shows, written as it is (```yaml runnable file=users.yaml).
      const name = blockAttr(block, "file");
      if (name) writeFileSync(path.join(readFileSync(path.join(session, "cwd"), "utf8").trim(), name), `${block.text}\n`);
      else {
        code = 1;
        output = `a ${block.lang} runnable block needs file=PATH`;
      }
    } else if (block.lang === "diff") {
      const cwd = readFileSync(path.join(session, "cwd"), "utf8").trim();
      const target = path.join(cwd, blockAttr(block, "file") ?? "");
      try {
        if (!blockAttr(block, "file")) throw new Error("a diff runnable block needs file=PATH");
        writeFileSync(target, applyBlockDiff(readFileSync(target, "utf8"), block.text));
      } catch (err) {
        code = 1;
        output = `${(err as Error).message}\n--- ${blockAttr(block, "file")} as the steps left it ---\n${existsSync(target) ? readFileSync(target, "utf8") : "(missing)"}`;
      }
    } else {
      const script = [
        "set -eo pipefail",
        `source ${JSON.stringify(path.join(session, "env.sh"))}`,
        `cd "$(cat ${JSON.stringify(path.join(session, "cwd"))})"`,
        block.text,
        `export -p > ${JSON.stringify(path.join(session, "env.sh"))}`,
        `pwd > ${JSON.stringify(path.join(session, "cwd"))}`,
      ].join("\n");
      // Asynchronous: the simulators answer from this process's event loop.
      ({ code, output } = await runShell(script, dir, env));
    }
    const writes = {
      controlRoom: mutatingRequests(sims.controlRoom.requests.slice(crBefore)).map((r) => `${r.method} ${r.path}`),
      anypoint: mutatingRequests(sims.anypoint.requests.slice(apBefore)).map((r) => `${r.method} ${r.path}`),
    };
    runs.push({ block, code, output, writes });
    if (code !== 0) {
      output = `${label(file, block)}: the block failed (exit ${code}):\n${block.text}\n--- output ---\n${output}`;
      runs[runs.length - 1]!.output = output;
      break;
    }
  }
  return {
    dir,
    sims,
    runs,
    dispose: async () => {
      await sims.stop();
      if (existsSync(work)) rmSync(work, { recursive: true, force: true });
    },
  };
}
