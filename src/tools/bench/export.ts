// Benchmark: `rollcall export` of the benchmark's organization (src/tools/bench/org.ts: N people, each in
// Sales and every fifth also in Engineering) from the Anypoint simulator, at the default request
// budget: its time and its Anypoint calls, role assignments read by search and by one read per
// person (rollcall:anypointRoleSearch=off). Figures to measurements/<--record-as, default bench-export>.json.
//
//   node dist/tools/bench/export.js [--people 5000] [--latency-ms 0] [--record-as NAME] [--search-only]
// (--search-only: skip the run with one read per person, 6,000+ calls at 5,000 people.)
import { PROJECT_ROOT } from "../../pulumi/engine/pulumi-cli";
import { exportUsersYaml } from "../../features/export/command";
import { recordFigures } from "../figures/record";
import { seededSimulators, stackEnv } from "./org";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const n = Number(flag("--people") ?? 1000);
  const latencyMs = Number(flag("--latency-ms") ?? 0);
  const recordAs = flag("--record-as") ?? "bench-export";
  if (!Number.isInteger(n) || n < 10 || !Number.isFinite(latencyMs) || !/^[a-z0-9-]+$/.test(recordAs))
    throw new Error("usage: export.js [--people N>=10] [--latency-ms MS] [--record-as name]");
  const figures: Record<string, number> = {};
  for (const search of argv.includes("--search-only") ? ["on"] : ["on", "off"]) {
    const { cr, ap } = await seededSimulators(n, latencyMs);
    try {
      // The settings from the environment, as `rollcall export` without --stack reads them.
      Object.assign(process.env, stackEnv(cr, ap, "", n), { ROLLCALL_ANYPOINT_ROLE_SEARCH: search });
      const t = performance.now();
      const { people } = await exportUsersYaml({ platforms: ["anypoint"], config: () => undefined, progress: () => {} });
      const seconds = (performance.now() - t) / 1000;
      const at = `n${n}.export-search-${search}`;
      figures[`${at}.seconds`] = Math.round(seconds * 10) / 10;
      figures[`${at}.anypointRequests`] = ap.requests.length;
      figures[`${at}.people`] = people;
      process.stderr.write(
        `N=${n} export, role search ${search}: ${seconds.toFixed(1)} s, ${ap.requests.length} Anypoint calls, ${people} people\n`,
      );
    } finally {
      await cr.stop();
      await ap.stop();
    }
  }
  const searchOnly = argv.includes("--search-only") ? " --search-only" : "";
  const command = `node dist/tools/bench/export.js --people ${n} --latency-ms ${latencyMs}${searchOnly}`;
  process.stdout.write(`${recordFigures(PROJECT_ROOT, recordAs, command, figures)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
