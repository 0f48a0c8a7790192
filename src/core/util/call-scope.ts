// Who an HTTP call is for: a scope naming the platform and the people (usernames) a provider call
// acts for, carried by AsyncLocalStorage so nothing is threaded through the clients. Core, because
// batching (src/core/batch/coalescer.ts) must carry everyone's scope into the one bulk call; the
// audit trail (src/features/audit/) reads it.
import { AsyncLocalStorage } from "node:async_hooks";

export interface AuditScope {
  platform: string;
  /** Usernames the call acts for, one unless the call is a batch. */
  people: string[];
}

const storage = new AsyncLocalStorage<AuditScope>();

export function currentScope(): AuditScope | undefined {
  return storage.getStore();
}

/** Runs `fn` in the scope of one caller. */
export function inScope<R>(scope: AuditScope, fn: () => R): R {
  return storage.run(scope, fn);
}

/** Runs `fn` in the scope of several callers at once (a batch coalesced from their calls). */
export function inMergedScope<R>(scopes: (AuditScope | undefined)[], fn: () => R): R {
  const known = scopes.filter((s): s is AuditScope => !!s);
  if (!known.length) return fn();
  return storage.run({ platform: known[0]!.platform, people: [...new Set(known.flatMap((s) => s.people))] }, fn);
}
