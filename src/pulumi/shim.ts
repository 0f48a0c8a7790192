// The provider text Pulumi stores in every dynamic resource's state (`__provider`, in its inputs
// and again in its outputs). It holds no logic and no credentials: it loads the installed provider
// module at run time.
//
// Why: `delete` and `read` run the provider text stored at the last create/update, not the current
// code. A shim that only `require`s the compiled provider from the program directory means deletes
// of removed users always run today's code, and the stored text never changes (so a provider
// upgrade never shows up as N updates in a preview).
//
// Why hand-written text instead of `pulumi.dynamic.Resource`: that class serializes a provider
// object with Pulumi's closure serializer, which wraps every method in ~250 bytes of `with(...)`
// scaffolding: the previous shim (six forwarding methods) stored 1,968 bytes twice per resource,
// two thirds of the state. The dynamic-provider process only needs a module whose `handler()`
// returns the provider object (`require-from-string`, then `.handler()`), so rollcall writes that
// module itself: ~110 bytes.
//
// Compatibility: two layouts, one text each, both stable.
// - checkout (this repository, or a fork of it): the text names `dist/providers/<platform>/provider.js`
//   in the project directory and its export `providers[kind]` — the same path and export every
//   previous shim loaded, so states written by any earlier version run today's code.
// - package (a team repository with rollcall installed): the text requires
//   `rollcall/providers/<platform>` (package.json `exports`), resolved from the project directory's
//   node_modules, so upgrading is bumping the pinned version.
// `rollcall migrate-state` rewrites a stack's stored texts from one layout to the other without any
// platform call. `test/e2e/shim-compat.test.ts` and `test/e2e/package.test.ts` prove both.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { TYPE_MODULE, type PlatformModule } from "./resource-types";

export type { PlatformModule } from "./resource-types";

/** The installed package's name: what a team repository's package.json depends on. */
export const PACKAGE_NAME = "rollcall";

/** What a platform's provider module exports per resource kind: every method the shim forwards. */
export type ShimTarget = Required<Omit<pulumi.dynamic.ResourceProvider, "check">>;

/** Which installed provider a resource's stored shim loads. */
export interface ProviderShim {
  platform: PlatformModule;
  kind: string;
}

/** The resource kind's shim reference (kept as a function so resource modules read as before). */
export function providerShim(platform: PlatformModule, kind: string): ProviderShim {
  return { platform, kind };
}

export type ShimLayout = "checkout" | "package";

/** The layout this code runs in: installed under node_modules (a package), or compiled in a checkout. */
export function currentLayout(): ShimLayout {
  return __dirname.split(path.sep).includes("node_modules") ? "package" : "checkout";
}

/**
 * The module text stored as `__provider`. The dynamic-provider process runs in the program
 * directory (Pulumi sets its working directory; require-from-string resolves from it), so the
 * path is resolved at call time, never captured as absolute. No `check`: the program passes
 * inputs already validated and normalized by the users.yaml loader.
 */
export function shimText(shim: ProviderShim, layout: ShimLayout = currentLayout()): string {
  const load =
    layout === "package"
      ? `require(${JSON.stringify(`${PACKAGE_NAME}/providers/${shim.platform}`)})`
      : `require(require("path").resolve(${JSON.stringify(`dist/providers/${shim.platform}/provider.js`)}))`;
  return `exports.handler=()=>${load}.providers[${JSON.stringify(shim.kind)}]`;
}

/**
 * A Pulumi dynamic resource (type `pulumi-nodejs:dynamic/<module>:<type>`, run by the engine's
 * Node.js dynamic-provider plugin) whose stored provider is `shimText(shim)`. Same constructor as
 * `pulumi.dynamic.Resource`, so resource classes only change what they extend.
 */
export class ShimResource extends pulumi.CustomResource {
  /** How many this program declared (the slow-path warning counts them, whatever the resource model). */
  static declared = 0;

  constructor(
    shim: ProviderShim,
    name: string,
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
    module = TYPE_MODULE,
    type = shim.kind,
  ) {
    if ("__provider" in props && props.__provider !== undefined) throw new Error("A dynamic resource must not define the __provider key");
    // Only the properties that have a value: the SDK sends none for `undefined` anyway, but makes
    // an Output (four promises and their closures) for every key it is given.
    const defined = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
    super(`pulumi-nodejs:dynamic/${module}:${type}`, name, { ...defined, __provider: shimText(shim) }, opts);
    ShimResource.declared++;
  }
}
