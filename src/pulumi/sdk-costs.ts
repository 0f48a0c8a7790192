// What the Pulumi SDK (3.259.0, pinned by package-lock.json) spends per resource that rollcall's
// program does not need, and how the program turns each down. Measured with `make profile` and heap
// snapshots of the program process (docs/scale.md); none changes what a run does.
//
// - Source positions. The SDK captures the full call stack of every resource it registers
//   (`Resource.callsites`, run in the constructor) and sends it to the engine, which stores it in
//   the state as `sourcePosition` plus a `stackTrace` of every frame: ~750 of the ~2,000 bytes
//   each rollcall resource took in the state. rollcall's resources are all declared by the same
//   two lines (src/features/plan/), so the positions say nothing a reviewer needs. → omitSourcePositions
// - Source maps. The Pulumi runner (`@pulumi/pulumi/cmd/run`) installs source-map-support, so
//   every `.stack` the SDK reads is mapped back through the source maps: at 1,000 people 38 s of
//   the program's 91 s on CPU. → useNativeStackTraces
// - A stack per internal promise. `debuggablePromise` (runtime/debuggable.js) wraps each of the
//   ~50 internal promises of a resource (four per property, the URN, the id, the registration),
//   formats a stack for it on the spot, keeps a description holding the property's value as text
//   and chains two more promises, all kept until the promise settles: at 1,000 people a heap
//   snapshot taken while the registrations were in flight held 102 MB of those texts, a quarter
//   of the program's 404 MB. → trackPromisesWithoutStacks
// - Three debug messages per resource. The SDK logs "Registering resource", "RegisterResource RPC
//   prepared" and "… finished" for every resource as Log RPCs to the engine, one after the other
//   (log/index.js chains every message behind the previous one), and the program cannot end
//   before the last is delivered: 30,000 round trips at 5,000 people, and the queue of pending
//   ones held in memory. The engine shows debug messages only with `--debug`; set
//   ROLLCALL_SDK_DEBUG=true to send them again. → skipRegistrationDebugLogs
// - An Output per input property. Before registering, the SDK turns every input property into an
//   Output on the resource object (`transferProperties`, runtime/rpc.js): four promises, their
//   resolvers, and the value formatted as text for a label, per property — nine properties per
//   rollcall resource — filled in again from the engine's answer. The program reads no property
//   of a dynamic resource it declared (only its URN, src/pulumi/registration-window.ts), and the
//   SDK skips an answered property that has no Output (rpc.js resolveProperties). At 5,000 people,
//   no-op preview: measured with `make bench-scale` (measurements/). → skipOutputProperties
//
// The SDK's modules call one another through their exports objects (`debuggable_1.debuggablePromise(…)`,
// `log.debug(…)`), so replacing an export replaces every call; the modules are loaded with a
// CommonJS require, not an import, so the assignment reaches the real module object.
// test/pulumi/sdk-costs.test.ts fails if an SDK upgrade moves any of them.

import * as pulumi from "@pulumi/pulumi";

type Debuggable = { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
type RuntimeState = { getStore: () => { leakCandidates: Set<Promise<unknown>> } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable: Debuggable = require("@pulumi/pulumi/runtime/debuggable");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getStore }: RuntimeState = require("@pulumi/pulumi/runtime/state");
type Rpc = { transferProperties: (onto: { __pulumiType?: string }, label: string, props: Record<string, unknown>) => object };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc: Rpc = require("@pulumi/pulumi/runtime/rpc");
type Log = { debug: (msg: string, ...rest: unknown[]) => Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkLog: Log = require("@pulumi/pulumi/log");

/** The SDK's own per-resource messages (runtime/resource.js registerResource). */
const REGISTRATION_DEBUG = /^(Registering resource: |RegisterResource RPC (prepared|finished): )/;

/** The SDK's per-resource registration messages are not sent (other debug messages are), unless ROLLCALL_SDK_DEBUG is true. */
export function skipRegistrationDebugLogs(env: NodeJS.ProcessEnv = process.env): void {
  if (/^(1|true|yes)$/i.test(env.ROLLCALL_SDK_DEBUG ?? "")) return;
  const original = sdkLog.debug;
  if ((original as { lean?: true }).lean) return;
  const debug = (msg: string, ...rest: unknown[]) => (REGISTRATION_DEBUG.test(msg) ? Promise.resolve() : original(msg, ...rest));
  sdkLog.debug = Object.assign(debug, { lean: true as const });
}

/** The program's resources are registered without source positions (`Resource.callsites` is the SDK's one source of them). */
export function omitSourcePositions(): void {
  (pulumi.Resource as unknown as { callsites: () => unknown[] }).callsites = () => [];
}

/** Stacks are formatted the V8 way (compiled JavaScript positions), at native cost. */
export function useNativeStackTraces(): void {
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
}

/**
 * Internal promises are tracked for the SDK's leak report (a promise still pending at exit fails
 * the run, as before) without a stack or a description each: one chained promise instead of
 * two. The first call goes to the SDK's own function, which schedules that report.
 */
export function trackPromisesWithoutStacks(): void {
  const original = debuggable.debuggablePromise;
  if ((original as { lean?: true }).lean) return;
  let reportScheduled = false;
  const lean = <T>(p: Promise<T>, ctx: unknown): Promise<T> => {
    if (!reportScheduled) {
      reportScheduled = true;
      return original(p, ctx);
    }
    const pending = getStore().leakCandidates;
    pending.add(p);
    return p.then(
      (value) => {
        pending.delete(p);
        return value;
      },
      (err: unknown) => {
        pending.delete(p);
        if (err && typeof err === "object") (err as { promise?: unknown }).promise = p;
        throw err;
      },
    );
  };
  debuggable.debuggablePromise = Object.assign(lean, { lean: true as const });
}

/** The type prefix of every dynamic resource (src/pulumi/shim.ts, and pulumi.dynamic.Resource's). */
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/";

/**
 * Dynamic resources get no Output per input property (their `urn` and `id` stay): nothing in the
 * program reads one. Any other resource — the stack, a provider — is registered as before.
 */
export function skipOutputProperties(): void {
  const original = rpc.transferProperties;
  if ((original as { lean?: true }).lean) return;
  const transfer: Rpc["transferProperties"] = (onto, label, props) =>
    onto.__pulumiType?.startsWith(DYNAMIC_TYPE) ? {} : original(onto, label, props);
  rpc.transferProperties = Object.assign(transfer, { lean: true as const });
}
