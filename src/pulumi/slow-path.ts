// The program's side of the fast path (src/pulumi/engine/fast-path.ts): the program inherits the engine's
// environment, so it can tell that this run will checkpoint after every step and say so, loudly,
// in the preview a reviewer reads before the slow `up` starts.
import * as pulumi from "@pulumi/pulumi";
import { slowPathWarning } from "./engine/fast-path";
import { ShimResource } from "./shim";

export function warnIfSlowPath(): void {
  const warning = slowPathWarning(ShimResource.declared);
  if (warning) pulumi.log.warn(warning);
}
