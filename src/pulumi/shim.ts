// The provider object Pulumi serializes into every resource's state (`__provider`). It holds no
// logic and no credentials: each method loads the installed provider module at run time.
//
// Why: `delete` and `read` run the provider text stored at the last create/update, not the current
// code. A shim that only `require`s the compiled provider from the program directory means deletes
// of removed users always run today's code, and the stored text stays ~1.5 KB and never changes
// (so a provider upgrade never shows up as N updates in a preview).
import type * as pulumi from "@pulumi/pulumi";

export type PlatformModule = "controlroom" | "anypoint";

/**
 * A serializable provider that forwards to `dist/providers/<platform>/provider.js`'s export
 * `providers[kind]`. The dynamic-provider process runs in the program directory (Pulumi sets its
 * working directory), so the path is resolved from `process.cwd()` at call time, never captured.
 */
export function providerShim(platform: PlatformModule, kind: string): pulumi.dynamic.ResourceProvider {
  const load = (): pulumi.dynamic.ResourceProvider => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodePath = require("node:path");
    const file = nodePath.join(process.env.ROLLCALL_ROOT || process.cwd(), "dist", "providers", platform, "provider.js");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file).providers[kind];
  };
  return {
    configure: async (req) => load().configure?.(req),
    check: async (olds, news) => (load().check ? load().check!(olds, news) : { inputs: news }),
    diff: async (id, olds, news) => (load().diff ? load().diff!(id, olds, news) : {}),
    create: async (inputs) => load().create(inputs),
    read: async (id, props) => (load().read ? load().read!(id, props) : { id, props }),
    update: async (id, olds, news) => (load().update ? load().update!(id, olds, news) : { outs: news }),
    delete: async (id, props) => load().delete?.(id, props),
  };
}
