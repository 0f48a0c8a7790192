// The engine settings every rollcall command runs with, and the program's warning when a run
// takes the engine's slow default path anyway.
//
// Why: with its defaults, the Pulumi engine (v3.259.0, file and S3 backends) rewrites the whole
// checkpoint after every step — the `SnapshotManager`'s default service loop in
// pkg/backend/snapshot.go; the DIY backend has no journaling (that is httpstate only) — so a run
// over N resources writes O(N²) bytes: measured, removing 100 of 1,000 people took 449 s instead of
// 52 s. `PULUMI_SKIP_CHECKPOINTS=true` selects the engine's `unsafeServiceLoop`, which writes the
// state once, when the run ends (also when it fails). `PULUMI_PARALLEL` is the default of
// `--parallel` for up, preview, refresh and destroy (`defaultParallel()` in
// pkg/cmd/pulumi/operations/up.go; otherwise 4 × cores, 8 here), which caps how many deletions reach
// the provider at once and therefore how many ids one bulk Anypoint DELETE can carry: removing 500
// people took 8 bulk DELETEs in 27.5 s at 64, 5 in 19.2 s at 128 (src/tools/bench/anypoint-removal.ts,
// BENCH_REMOVALS=500 BENCH_PARALLEL=…). It is 1,024 because a step waiting on a platform's rate
// limit holds its worker: disabling 500 of 5,000 people on both platforms, the 500 Control Room
// PUTs (20 a second) held all 128 workers, so everyone else's no-op steps and the Anypoint
// disables waited behind them — 78–80 s and 18 bulk PUTs at 128, 61–71 s and 5–6 at 1,024
// (src/tools/bench/scale.ts "remove 10%", with src/features/plan/order.ts declaring the people leaving first).
// It is 4,096 for `pulumi refresh`: the engine reads resources in state order, both platforms
// interleaved, and every Anypoint read waits for the role search and its sample check
// (src/providers/anypoint/role-reader.ts) — so at 1,024 the Anypoint reads soon held every worker
// and the Control Room reads behind them waited out the whole search; at 4,096 those are done
// meanwhile (measurements/bench-scale-5000-tuned.json against refresh-parallel-1024-5000.json,
// the same refresh at 1,024). Up and preview are unchanged by it: the
// program keeps 1,024 registrations in flight whatever `--parallel` says
// (src/pulumi/registration-window.ts), so only the engine's own steps — refresh reads and the
// deletions of removed people — use the workers above that.
//
// Why skipping checkpoints is safe for rollcall: a run killed before the end records nothing it did,
// and the next `pulumi up` converges anyway — every `create` adopts the platform's existing user
// (same username) instead of failing, and every `delete` counts a 404 as done. The HTTP client
// limits its own concurrency and honours the platforms' rate limits, so a higher `--parallel` only
// lets the engine hand steps over sooner.

//
// `GOGC=50` makes the engine's Go runtime collect when its heap has grown by half since the last
// collection instead of doubled (Go's default, 100): the engine keeps the old and the new state of
// every resource, so at 5,000 people (10,000 resources) its peak went from 1,139–1,184 MB to
// 849–867 MB with the same preview and up times within noise (58.4 vs 51.5 s, 53.1 vs 56.0 s;
// src/tools/bench/scale.ts at N=5000). It only changes when memory is reclaimed, never what the engine does.

/** The settings, each only where the environment does not already say otherwise. */
export const FAST_PATH: Readonly<Record<string, string>> = {
  PULUMI_SKIP_CHECKPOINTS: "true",
  PULUMI_PARALLEL: "4096",
  GOGC: "50",
};

/** `env` with the fast path filled in where unset (an explicit `PULUMI_SKIP_CHECKPOINTS=false` wins). */
export function withFastPath(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const [key, value] of Object.entries(FAST_PATH)) if (out[key] === undefined || out[key] === "") out[key] = value;
  return out;
}

/**
 * The environment of every engine process rollcall starts (and only of those: nothing is exported to
 * the user's shell): the fast path, no update check, no plugin downloads (rollcall needs no plugin
 * beyond the engine's own).
 */
export function engineSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...withFastPath(env), PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" };
}

/** Resources beyond which the slow path costs minutes (measured: 3,200 resources, 20+ minutes). */
export const SLOW_PATH_THRESHOLD = 200;

const truthy = (v: string | undefined) => v !== undefined && ["1", "true", "yes"].includes(v.trim().toLowerCase());

/**
 * The warning for a program that declares `resources` resources while the engine that runs it
 * (whose environment the program inherits) will checkpoint after every step; undefined when fine.
 */
export function slowPathWarning(resources: number, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (resources <= SLOW_PATH_THRESHOLD || truthy(env.PULUMI_SKIP_CHECKPOINTS)) return undefined;
  return (
    `SLOW PATH: this stack has ${resources} resources and PULUMI_SKIP_CHECKPOINTS is not set, so 'pulumi up' will rewrite ` +
    `the whole state file after every one of them (minutes to hours at this size). Run rollcall's commands ` +
    `(npx rollcall up, or npx rollcall pulumi … for any pulumi command), or set PULUMI_SKIP_CHECKPOINTS=true and ` +
    `PULUMI_PARALLEL=4096 in the job's environment. It is safe for rollcall: creates adopt existing users and deletes ` +
    `treat 404 as done, so an interrupted run converges on the next 'pulumi up' (docs/scale.md).`
  );
}
