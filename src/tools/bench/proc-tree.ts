// Peak resident memory of a process tree, per role, sampled from /proc (Linux): the engine, the
// language host, the program, the dynamic-provider processes. A benchmark starts a Sampler on the
// engine's pid and reads the peaks when the command ends.
import { readdirSync, readFileSync } from "node:fs";

export type ProcessRole = "engine" | "languageHost" | "program" | "provider" | "other";
export type Peaks = Record<ProcessRole | "total", number>;

/** What a process is, from its command line. */
export function roleOf(cmdline: string): ProcessRole {
  if (/cmd[/\\]dynamic-provider|pulumi-resource-pulumi-nodejs/.test(cmdline)) return "provider";
  if (/pulumi-language-nodejs/.test(cmdline)) return "languageHost";
  if (/@pulumi[/\\]pulumi[/\\]cmd[/\\]run/.test(cmdline)) return "program";
  if (/(^|[/\\])pulumi(\0|$)/.test(cmdline)) return "engine";
  return "other";
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

/** Resident set size in bytes of every process under (and including) `root`, with its role. */
export function sampleTree(root: number): { pid: number; role: ProcessRole; rss: number }[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    // pid (comm) state ppid …: comm may contain spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: { pid: number; role: ProcessRole; rss: number }[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    queue.push(...(children.get(pid) ?? []));
    const status = read(`/proc/${pid}/status`);
    const kb = status ? Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) : 0;
    out.push({ pid, role: roleOf(read(`/proc/${pid}/cmdline`) ?? ""), rss: kb * 1024 });
  }
  return out;
}

/** Samples a tree every `intervalMs` until stopped; peaks are per role (sum over that role's processes) and in total. */
export class Sampler {
  private readonly peaks: Peaks = { engine: 0, languageHost: 0, program: 0, provider: 0, other: 0, total: 0 };
  private timer?: NodeJS.Timeout;
  private root?: number;

  constructor(private readonly intervalMs = 200) {}

  start(root: number): void {
    this.root = root;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): Peaks {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return { ...this.peaks };
  }

  private sample(): void {
    if (this.root === undefined) return;
    const now: Peaks = { engine: 0, languageHost: 0, program: 0, provider: 0, other: 0, total: 0 };
    for (const p of sampleTree(this.root)) {
      now[p.role] += p.rss;
      now.total += p.rss;
    }
    for (const k of Object.keys(now) as (keyof Peaks)[]) this.peaks[k] = Math.max(this.peaks[k], now[k]);
  }
}
