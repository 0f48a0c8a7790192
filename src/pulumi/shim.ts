// The provider object Pulumi serializes into every resource's state (`__provider`). It holds no
// logic and no credentials: each method loads the installed provider module at run time.
//
// Why: `delete` and `read` run the provider text stored at the last create/update, not the current
// code. A shim that only `require`s the compiled provider from the program directory means deletes
// of removed users always run today's code, and the stored text stays small (its size is measured by
// src/figures/live.ts and quoted in the README) and never changes
// (so a provider upgrade never shows up as N updates in a preview).
import type * as pulumi from "@pulumi/pulumi";

export type PlatformModule = "controlroom" | "anypoint";

/** What a platform's provider module exports per resource kind: every method the shim forwards. */
export type ShimTarget = Required<Omit<pulumi.dynamic.ResourceProvider, "check">>;

/**
 * A serializable provider that forwards to `dist/providers/<platform>/provider.js`'s export
 * `providers[kind]`. The dynamic-provider process runs in the program directory (Pulumi sets its
 * working directory), so the relative path is resolved at call time, never captured as absolute.
 */
export function providerShim(platform: PlatformModule, kind: string): pulumi.dynamic.ResourceProvider {
  // Kept tiny on purpose: this text is stored twice per resource in the state. No `check`:
  // the program passes inputs already validated and normalized by the users.yaml loader.
  const file = `dist/providers/${platform}/provider.js`;
  const p = (): ShimTarget => require(require("node:path").resolve(file)).providers[kind];
  return {
    configure: (req) => p().configure(req),
    diff: (id, olds, news) => p().diff(id, olds, news),
    create: (inputs) => p().create(inputs),
    read: (id, props) => p().read(id, props),
    update: (id, olds, news) => p().update(id, olds, news),
    delete: (id, props) => p().delete(id, props),
  };
}
