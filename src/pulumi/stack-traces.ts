// What the Pulumi SDK does with stack traces, and why rollcall's program turns it down.
//
// - The SDK captures the full call stack of every resource it registers (`Resource.callsites`,
//   run in the constructor) and sends it to the engine, which stores it in the state as
//   `sourcePosition` plus a `stackTrace` of every frame: ~750 of the ~2,000 bytes each rollcall
//   resource took in the state (`make bench-scale`), and the same again in every checkpoint.
//   rollcall's resources are all declared by the same two lines (src/plan/), so the positions
//   say nothing a reviewer needs.
// - The Pulumi runner (`@pulumi/pulumi/cmd/run`) installs source-map-support, so every `.stack`
//   the SDK reads — that one per resource, and one per internal promise (`debuggablePromise` keeps
//   a stack for leak reports) — is mapped back through the source maps: at 1,000 people (2,000
//   resources) 38 s of the program's 91 s on CPU (`make profile N=1000`, bench/profile.ts).
//
// Neither changes what a run does: the engine treats both fields as optional metadata.

import * as pulumi from "@pulumi/pulumi";

/** The program's resources are registered without source positions (`Resource.callsites` is the SDK's one source of them). */
export function omitSourcePositions(): void {
  (pulumi.Resource as unknown as { callsites: () => unknown[] }).callsites = () => [];
}

/** Stacks are formatted the V8 way (compiled JavaScript positions), at native cost. */
export function useNativeStackTraces(): void {
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
}
