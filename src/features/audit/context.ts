// Who an HTTP call is for. Provider methods run inside a scope naming the platform and the person
// (their username), so the audit sink can attribute every call made on their behalf without any
// parameter threaded through the clients. Batched calls (bulk deletes) carry everyone in the batch.
import { AsyncLocalStorage } from "node:async_hooks";
import type { ShimTarget } from "../../pulumi/shim";
import { installAuditSink } from "./sink";
import { handedOffAuditTarget } from "./target";

export interface AuditScope {
  platform: string;
  /** Usernames the call acts for, one unless the call is a batch. */
  people: string[];
}

const storage = new AsyncLocalStorage<AuditScope>();

export function currentScope(): AuditScope | undefined {
  return storage.getStore();
}

/** Runs `fn` in the scope of several callers at once (a batch coalesced from their calls). */
export function inMergedScope<R>(scopes: (AuditScope | undefined)[], fn: () => R): R {
  const known = scopes.filter((s): s is AuditScope => !!s);
  if (!known.length) return fn();
  return storage.run({ platform: known[0]!.platform, people: [...new Set(known.flatMap((s) => s.people))] }, fn);
}

const username = (...values: unknown[]): string[] => {
  for (const v of values) {
    const u = (v as { username?: unknown } | undefined)?.username;
    if (typeof u === "string" && u) return [u];
  }
  return [];
};

/** The provider targets with every method run in the scope of the person it acts for. */
export function auditedProviders(platform: string, targets: Record<string, ShimTarget>): Record<string, ShimTarget> {
  installAuditSink(() => handedOffAuditTarget());
  const wrap = (t: ShimTarget): ShimTarget => ({
    configure: (req) => t.configure(req),
    diff: (id, olds, news) => t.diff(id, olds, news),
    create: (inputs) => storage.run({ platform, people: username(inputs) }, () => t.create(inputs)),
    read: (id, props) => storage.run({ platform, people: username(props) }, () => t.read(id, props)),
    update: (id, olds, news) => storage.run({ platform, people: username(news, olds) }, () => t.update(id, olds, news)),
    delete: (id, props) => storage.run({ platform, people: username(props) }, () => t.delete(id, props)),
  });
  return Object.fromEntries(Object.entries(targets).map(([kind, t]) => [kind, wrap(t)]));
}
