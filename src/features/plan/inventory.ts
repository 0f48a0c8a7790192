// The program's one read of each platform per run, in `pulumi preview` too, before any resource is
// registered: preflight first (can these credentials do what the change needs?), then the names
// the platform knows and every user (paged). The guards — unknown names, identity (adopt only on
// username + email), undeclared members — work on what this returns; nothing here writes.
import { ControlRoomClient, type ControlRoomUserRecord } from "../../providers/controlroom/client";
import { AnypointClient, type AnypointCaller } from "../../providers/anypoint/client";
import type { AnypointUserRecord } from "../../providers/anypoint/api";
import { readAnypointSettings, readControlRoomSettings, type ConfigGetter } from "../../core/config";
import { HttpError } from "../../core/http/client";
import type { UsersModel } from "../../core/model/types";
import { undeclaredUsernames } from "../safety/identity";
import type { Memberships } from "../safety/last-deployment";
import type { PlatformCatalog } from "../safety/names";
import {
  anypointPreflightError,
  applyNeedsReport,
  controlRoomNeeds,
  controlRoomPreflightError,
  PreflightError,
  readNeeds,
  type PreflightMode,
} from "../safety/preflight";
import { anypointCatalog, controlRoomCatalog } from "./catalog";

const ORG_ADMIN = "Organization Administrator";

export interface PlatformInventory {
  catalog: PlatformCatalog;
  controlRoom?: { url: string; login: string; users: ControlRoomUserRecord[] };
  /** `groupUsers`: business group name → its users, read only when some users are undeclared (for the per-group report). */
  anypoint?: {
    url: string;
    caller: AnypointCaller;
    master: string;
    users: AnypointUserRecord[];
    groupUsers: Record<string, AnypointUserRecord[]>;
  };
  /** In a preview by the read-only identity: what the apply identity will need (for the log). */
  applyNeeds?: string;
}

/** Reads the platforms users.yaml declares people on, or the last deployment had people on. */
export async function readPlatforms(
  model: UsersModel,
  config: ConfigGetter,
  previous?: Memberships,
  mode: PreflightMode = "apply",
): Promise<PlatformInventory> {
  const inventory: PlatformInventory = { catalog: { source: "" } };
  // Each platform's failure is kept and the other platform still checked, so one run names every
  // credential that must change (a Control Room failure used to hide the Anypoint one).
  // Both platforms are read at once; their failures and sources are reported in this order.
  const failures: (Error | undefined)[] = [undefined, undefined];
  const sources: (string | undefined)[] = [undefined, undefined];
  let controlRoomNeedsOfApply: ReturnType<typeof controlRoomNeeds> | undefined;
  const reads: Promise<void>[] = [];
  const checked = async (slot: 0 | 1, read: () => Promise<void>) => {
    try {
      await read();
    } catch (err) {
      failures[slot] = err as Error;
    }
  };
  if (model.people.some((p) => p.controlRoom) || previous?.controlRoom?.length)
    reads.push(
      checked(0, async () => {
        const settings = readControlRoomSettings(config);
        const client = new ControlRoomClient(settings);
        try {
          const { users, needs } = await controlRoomPreflight(client, settings.username, model, previous?.controlRoom, mode);
          controlRoomNeedsOfApply = needs;
          inventory.controlRoom = { url: client.url, login: settings.username, users };
          Object.assign(inventory.catalog, await controlRoomCatalog(client));
          sources[0] = settings.url;
        } finally {
          await client.close();
        }
      }),
    );
  if (model.people.some((p) => p.anypoint) || previous?.anypoint?.length)
    reads.push(
      checked(1, async () => {
        const settings = readAnypointSettings(config);
        const client = new AnypointClient(settings);
        try {
          const { caller, master } = await anypointPreflight(client, mode);
          Object.assign(inventory.catalog, await anypointCatalog(client));
          const users = await client.listUsers();
          inventory.anypoint = {
            url: client.url,
            caller,
            master,
            users,
            groupUsers: await businessGroupUsers(client, model, users, [
              ...(caller.kind === "user" ? [caller.name] : []),
              ...(previous?.anypoint ?? []),
            ]),
          };
          sources[1] = settings.url;
        } finally {
          await client.close();
        }
      }),
    );
  await Promise.all(reads);
  const failed = failures.filter((f) => f !== undefined);
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new PreflightError(failed.map((f) => f.message).join("\n"));
  inventory.catalog.source = sources.filter(Boolean).join(" and ");
  if (mode === "preview")
    inventory.applyNeeds = applyNeedsReport(controlRoomNeedsOfApply, inventory.anypoint && { master: inventory.anypoint.master });
  return inventory;
}

/**
 * Lists the users (the inventory's own read) and checks the login's role against what the change needs (in a preview: what reading needs).
 */
async function controlRoomPreflight(
  client: ControlRoomClient,
  login: string,
  model: UsersModel,
  previous: string[] = [],
  mode: PreflightMode,
): Promise<{ users: ControlRoomUserRecord[]; needs: ReturnType<typeof controlRoomNeeds> }> {
  let users: ControlRoomUserRecord[];
  try {
    users = await client.listUsers();
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 403)) throw err;
    throw new PreflightError(
      `Control Room preflight (${client.url}): the login '${login}' may not list users (POST …/usermanagement/users/list ` +
        `answered 403): its role lacks 'View users', which every run needs; nothing was sent. Give its role 'View users' (and what ` +
        `the change needs: 'View roles', 'Create users', 'Edit users', 'Delete users'), or use an account with the AAE_Admin role.`,
    );
  }
  const caller = users.find((u) => u.username.toLowerCase() === login.toLowerCase());
  const needs = controlRoomNeeds(model, users, previous);
  const problem = controlRoomPreflightError(client.url, login, caller, mode === "apply" ? needs : readNeeds(needs));
  if (problem) throw new PreflightError(problem);
  return { users, needs };
}

/**
 * Organization Administrator of the master organization: from GET /me, then the caller's roles (user)
 * or its connected-app record (app). A preview's read-only identity needs only the reads (which the
 * inventory makes next, failing on a 403 with the call); the apply identity's admin role is reported.
 */
async function anypointPreflight(client: AnypointClient, mode: PreflightMode): Promise<{ caller: AnypointCaller; master: string }> {
  const caller = await client.me();
  const master = await client.masterOrganization();
  if (mode === "preview") return { caller, master: master.name };
  const isAdmin =
    caller.kind === "user"
      ? (await client.effectiveRoleNames(master.id, caller.id)).includes(ORG_ADMIN)
      : await client.connectedAppCanAdminister(caller.id);
  const who = caller.kind === "user" ? `the user '${caller.name}'` : `the connected app '${caller.name}' (${caller.id})`;
  const problem = anypointPreflightError(client.url, who, master.name, isAdmin);
  if (problem) throw new PreflightError(problem);
  return { caller, master: master.name };
}

/** Per business group (not the master organization, which holds everyone), its users, when some users are undeclared. */
async function businessGroupUsers(
  client: AnypointClient,
  model: UsersModel,
  users: AnypointUserRecord[],
  notPeople: string[],
): Promise<Record<string, AnypointUserRecord[]>> {
  if (!undeclaredUsernames(model, "anypoint", users, notPeople).length) return {};
  const out: Record<string, AnypointUserRecord[]> = {};
  const walk = async (node: Awaited<ReturnType<AnypointClient["organizationTree"]>>, root: boolean): Promise<void> => {
    if (!root) out[node.path.slice(1).join("/")] = await client.listBusinessGroupUsers(node.id);
    for (const child of node.children) await walk(child, false);
  };
  await walk(await client.organizationTree(), true);
  return out;
}
