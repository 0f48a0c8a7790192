// What the last deployment of this stack exported, read from the engine with its builtin
// `pulumi:pulumi:readStackOutputs` invoke (what StackReference reads through): an invoke leaves
// nothing in the state, where a StackReference to the stack itself stored every output — the
// roster of everyone — a second time (+174 bytes a resource at 5,000 people, make bench-scale). The rails compare against it, so it fails
// CLOSED: if it cannot be read, the run stops
// with a message instead of running without limits. A genuine first deployment (no outputs) is
// fine: there is nothing to remove.
import * as pulumi from "@pulumi/pulumi";
import type { DutyHolders } from "./duties";
import { deletedByLastDeployments } from "./reused-usernames";
import { legacyRoster, type Roster } from "./roster";

/** The user lists the program exports (also read by the inventory and the identity guard). */
export interface Memberships {
  controlRoom?: string[];
  anypoint?: string[];
}

export interface LastDeployment extends Memberships {
  roster: Roster;
  /** True when the deployment predates the roster: only user lists could be read. */
  legacy: boolean;
  duties?: DutyHolders;
  /** Anypoint usernames this stack has deleted (lower-cased): never reusable (src/features/safety/reused-usernames.ts). */
  deletedAnypoint: string[];
}

export class LastDeploymentError extends Error {
  override name = "LastDeploymentError";
}

/** Raw outputs → LastDeployment; undefined for a first deployment. Exported for unit tests. */
export function fromOutputs(outputs: Record<string, unknown> | undefined): LastDeployment | undefined {
  if (!outputs || Object.keys(outputs).length === 0) return undefined;
  const duties = outputs.duties as DutyHolders | undefined;
  const lists: Memberships = {
    controlRoom: outputs.controlRoom as string[] | undefined,
    anypoint: outputs.anypoint as string[] | undefined,
  };
  const deletedAnypoint = deletedByLastDeployments(outputs);
  if (outputs.roster && typeof outputs.roster === "object")
    return { ...lists, roster: outputs.roster as Roster, legacy: false, duties, deletedAnypoint };
  if (Array.isArray(outputs.controlRoom) || Array.isArray(outputs.anypoint))
    return { ...lists, roster: legacyRoster(lists), legacy: true, duties, deletedAnypoint };
  throw new LastDeploymentError(
    `The last deployment of this stack exported neither 'roster' nor user lists (outputs: ${Object.keys(outputs).join(", ")}), ` +
      `so rollcall cannot tell what this change removes; nothing was sent. Check \`pulumi stack output\`; if the stack belongs to ` +
      `another program, use another stack.`,
  );
}

/**
 * Awaited before any resource is registered: the read must finish before the engine starts writing
 * the checkpoint it reads. `timeoutMs` bounds a read that never answers (an unknown value).
 */
export function readLastDeployment(timeoutMs = 30_000): Promise<LastDeployment | undefined> {
  const name = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const cannotRead = (why: string) =>
    new LastDeploymentError(
      `Could not read the last deployment of stack ${name} (${why}), so the removal limits and protected identities cannot be ` +
        `checked; nothing was sent. Check the state backend (pulumi stack output --stack ${pulumi.getStack()}) and run again.`,
    );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(cannotRead(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    pulumi.runtime.invoke("pulumi:pulumi:readStackOutputs", { name }).then(
      (result: { outputs?: Record<string, unknown> }) => {
        clearTimeout(timer);
        try {
          resolve(fromOutputs(result?.outputs));
        } catch (err) {
          reject(err);
        }
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(cannotRead((err instanceof Error ? err.message : String(err)) || "the engine gave no reason"));
      },
    );
  });
}
