// Who an HTTP call is for. Provider methods run inside a scope naming the platform and the person
// (their username), so the audit sink can attribute every call made on their behalf without any
// parameter threaded through the clients. Batched calls (bulk deletes) carry everyone in the batch.
import type { ShimTarget } from "../../pulumi/shim";
import { inScope } from "../../core/util/call-scope";
import { installAuditSink } from "./sink";
import { handedOffAuditTarget } from "./target";

// The scope itself is core (batching carries it); re-exported for the audit trail's readers.
export { currentScope, inMergedScope, type AuditScope } from "../../core/util/call-scope";

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
    create: (inputs) => inScope({ platform, people: username(inputs) }, () => t.create(inputs)),
    read: (id, props) => inScope({ platform, people: username(props) }, () => t.read(id, props)),
    update: (id, olds, news) => inScope({ platform, people: username(news, olds) }, () => t.update(id, olds, news)),
    delete: (id, props) => inScope({ platform, people: username(props) }, () => t.delete(id, props)),
  });
  return Object.fromEntries(Object.entries(targets).map(([kind, t]) => [kind, wrap(t)]));
}
