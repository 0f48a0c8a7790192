// Registering resources a window at a time.
//
// Why: while a resource's registration is in flight (from its constructor until the engine answers
// RegisterResource, which in `up` is when its create or update has run), the Pulumi SDK holds about
// 120 KB for it — the serialized inputs, four promises per property and their closures, the gRPC
// call. A program that constructs every resource at once holds all of them together: at 5,000
// people (10,000 resources) the program peaked at 1.6–2.4 GB (`make bench-scale`). Constructing
// the next resource only when fewer than `limit` are in flight keeps that to `limit` × 120 KB, and
// costs no parallelism while `limit` steps are more than the platforms' rate limits can serve at
// once (src/pulumi/engine/fast-path.ts).
import type * as pulumi from "@pulumi/pulumi";

type Tracked = { __parentResource?: { __childResources?: Set<unknown> } };

/**
 * Once the engine has answered, the program needs nothing more of a resource, but the SDK keeps
 * it — its Outputs and their resolved values, ~50 KB — in the stack's `__childResources` until
 * the program exits. That set only serves `dependsOn` on a component (the SDK expands it to the
 * component's children, runtime/dependsOn.js), and nothing depends on the stack, so rollcall
 * lets the SDK forget the resource there.
 */
function release(resource: pulumi.CustomResource): void {
  (resource as unknown as Tracked).__parentResource?.__childResources?.delete(resource);
}

/**
 * Registrations in flight at most: 1,024, whatever the engine's `--parallel` (4,096 by default,
 * src/pulumi/engine/fast-path.ts, for the engine's own steps): enough that the steps waiting on a
 * platform's rate limit never hold up everyone else's, few enough that the program's memory stays
 * that of 1,024 resources.
 */
export const REGISTRATION_WINDOW = 1024;

/** Settles when the engine has answered the resource's registration, whichever way. */
function registered(resource: pulumi.CustomResource): Promise<unknown> {
  // `promise()` is the SDK's own accessor of an Output's value (OutputImpl); the URN resolves as
  // soon as RegisterResource returns, in a preview too, and rejects if the registration failed.
  return (resource.urn as unknown as { promise(): Promise<string> }).promise();
}

/** One of each in turn, so that both platforms' calls run side by side, as when all were declared at once. */
export function* interleave<T>(...sources: Iterable<T>[]): Generator<T> {
  const iterators = sources.map((s) => s[Symbol.iterator]());
  while (iterators.length) {
    for (let i = 0; i < iterators.length; i++) {
      const next = iterators[i]!.next();
      if (next.done) iterators.splice(i--, 1);
      else yield next.value;
    }
  }
}

/**
 * Pulls resources from `declarations` (each pull constructs, and so registers, one) with at most
 * `limit` registrations in flight. Returns how many were declared once the last one is
 * constructed; it does not wait for the last `limit` to be answered (the engine does).
 */
export async function registerInWindow(declarations: Iterable<pulumi.CustomResource>, limit = REGISTRATION_WINDOW): Promise<number> {
  let inFlight = 0;
  let declared = 0;
  let wake: (() => void) | undefined;
  const answered = () => {
    inFlight--;
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  for (const resource of declarations) {
    declared++;
    inFlight++;
    registered(resource).then(() => (release(resource), answered()), answered);
    while (inFlight >= limit) await new Promise<void>((resume) => (wake = resume));
  }
  return declared;
}
