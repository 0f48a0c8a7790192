// Preflight: before anything else in `pulumi preview` (and `up`), check that the credentials can do
// what this change needs, so a pull request with credentials that lack a permission fails its
// preview instead of its merge. Pure functions over what the inventory read; the reads are in
// src/features/plan/inventory.ts.
import { SettingsError } from "../../core/config";
import type { ControlRoomUserRecord } from "../../providers/controlroom/client";
import type { Person, UsersModel } from "../../core/model/types";

/** Credentials that cannot do what the change needs: a setting to fix, so it ends the run like one. */
export class PreflightError extends SettingsError {
  override name = "PreflightError";
}

/**
 * Control Room's user-management permissions, as the docs name them
 * (https://docs.automationanywhere.com/bundle/enterprise-v2019/page/enterprise-cloud/topics/control-room/control-room-api/cloud-api-user-manager-overview.html).
 */
export type ControlRoomPermission = "View users" | "Create users" | "Edit users" | "Delete users" | "View roles";

/**
 * A permission as it appears in a user's `permissions` list: `{action, resourceType}`. The docs name
 * the permissions ("View users") and show actions in lower case without spaces in user objects
 * (`viewuserrolebasicinfo`); that the action of "View users" is `viewusers` is inferred, like the
 * simulator. The built-in admin role (AAE_Admin, "the admin role" of the docs) holds every one.
 */
export function permissionAction(p: ControlRoomPermission): string {
  return p.toLowerCase().replace(/ /g, "");
}

export const CONTROL_ROOM_ADMIN_ROLE = "AAE_Admin";

/**
 * Whose permissions preflight checks. `apply` (the default): everything the change needs, so
 * credentials that cannot apply it fail the preview, not the merge. `preview`, set by
 * ROLLCALL_PREFLIGHT=preview for a pull request's read-only identity (docs/safety.md "Least
 * privilege"): in `pulumi preview` only what reading needs is required, and what the apply identity
 * will need is reported instead. `pulumi up` always checks everything, with its own credentials.
 */
export type PreflightMode = "preview" | "apply";

export const PREFLIGHT_ENV = "ROLLCALL_PREFLIGHT";

export function preflightMode(dryRun: boolean, env: NodeJS.ProcessEnv = process.env): PreflightMode {
  const v = env[PREFLIGHT_ENV];
  if (v !== undefined && v !== "" && v !== "preview" && v !== "apply")
    throw new PreflightError(`${PREFLIGHT_ENV} must be preview or apply, not '${v}'.`);
  return dryRun && v === "preview" ? "preview" : "apply";
}

/** Reads only: what a preview identity needs of the change's needs. */
export const CONTROL_ROOM_READS: ControlRoomPermission[] = ["View users", "View roles"];

export function readNeeds(needs: ReturnType<typeof controlRoomNeeds>): ReturnType<typeof controlRoomNeeds> {
  return needs.filter((n) => [n.permission].flat().every((p) => CONTROL_ROOM_READS.includes(p)));
}

/** The line a preview logs: what the apply identity will need for this change (checked again by the apply, with its own credentials). */
export function applyNeedsReport(
  controlRoom: ReturnType<typeof controlRoomNeeds> | undefined,
  anypoint: { master: string } | undefined,
): string | undefined {
  const parts: string[] = [];
  const writes = (controlRoom ?? []).filter((n) => !readNeeds([n]).length);
  if (controlRoom) {
    const reads = CONTROL_ROOM_READS.map((p) => `'${p}'`);
    const writeNeeds = writes.map((w) => `'${[w.permission].flat().join("' or '")}' (${w.why})`);
    parts.push(`Control Room: ${[...reads, ...writeNeeds].join(", ")}`);
  }
  if (anypoint) parts.push(`Anypoint: Organization Administrator of the master organization '${anypoint.master}'`);
  return parts.length
    ? `preflight: this preview checked only what reading needs; the apply identity will need ${parts.join("; ")} (the apply ` +
        `checks that with its own credentials).`
    : undefined;
}

/** What this change needs on Control Room: reads always; create/edit/delete when some user is created, changed or removed. */
export function controlRoomNeeds(
  model: UsersModel,
  platformUsers: ControlRoomUserRecord[],
  previousUsernames: string[] = [],
): { permission: ControlRoomPermission | ControlRoomPermission[]; why: string }[] {
  const byName = new Map(platformUsers.map((u) => [u.username.toLowerCase(), u]));
  const declared = model.people.filter((p) => p.controlRoom);
  const needs: { permission: ControlRoomPermission | ControlRoomPermission[]; why: string }[] = [
    { permission: "View users", why: "rollcall lists the users to adopt, create and report" },
    { permission: "View roles", why: "role names are resolved to ids" },
  ];
  const created = declared.filter((p) => !byName.has(p.controlRoom!.username.toLowerCase()));
  if (created.length)
    needs.push({ permission: "Create users", why: `this change creates ${names(created.map((p) => p.controlRoom!.username))}` });
  const changed = declared.filter((p) => {
    const u = byName.get(p.controlRoom!.username.toLowerCase());
    return u && controlRoomUserDiffers(u, p);
  });
  if (changed.length)
    needs.push({ permission: "Edit users", why: `this change updates ${names(changed.map((p) => p.controlRoom!.username))}` });
  const now = new Set(declared.map((p) => p.controlRoom!.username.toLowerCase()));
  const removed = previousUsernames.filter((u) => !now.has(u.toLowerCase()) && byName.has(u.toLowerCase()));
  // The delete docs say Edit users, the permission list names Delete users too: either will do.
  if (removed.length) needs.push({ permission: ["Delete users", "Edit users"], why: `this change removes ${names(removed)}` });
  return needs;
}

/** Whether the platform's user differs from what users.yaml declares (so `up` would send a PUT). */
export function controlRoomUserDiffers(u: ControlRoomUserRecord, p: Person): boolean {
  const cr = p.controlRoom!;
  const sorted = (xs: string[]) => JSON.stringify([...xs].sort());
  return (
    u.email.toLowerCase() !== p.email ||
    (u.firstName ?? "") !== p.firstName ||
    (u.lastName ?? "") !== p.lastName ||
    (u.description ?? "") !== (cr.description ?? "") ||
    u.disabled !== cr.disabled ||
    sorted(u.licenseFeatures.map((l) => l.toUpperCase())) !== sorted(cr.licenses) ||
    sorted(u.roles.map((r) => r.name)) !== sorted(cr.roles)
  );
}

/** The message when the login's role lacks a permission the change needs, else undefined. */
export function controlRoomPreflightError(
  url: string,
  login: string,
  caller: ControlRoomUserRecord | undefined,
  needs: ReturnType<typeof controlRoomNeeds>,
): string | undefined {
  if (!caller) {
    // Fail closed: without its own record, nothing says what the login may do.
    return (
      `Control Room preflight (${url}): the login '${login}' is not among the users it can list, so its role's permissions cannot ` +
      `be checked; nothing was sent. Use the account's exact username in rollcall:controlRoomUsername.`
    );
  }
  if (caller.roles.some((r) => r.name === CONTROL_ROOM_ADMIN_ROLE)) return undefined;
  const held = new Set(caller.permissions?.map((p) => p.action.toLowerCase()) ?? []);
  const missing = needs.filter(
    (n) => !(Array.isArray(n.permission) ? n.permission : [n.permission]).some((p) => held.has(permissionAction(p))),
  );
  if (!missing.length) return undefined;
  const roles = caller.roles.map((r) => `'${r.name}'`).join(", ") || "none";
  return (
    `Control Room preflight (${url}): the login '${login}' (roles ${roles}) lacks ` +
    `${missing.map((m) => `'${[m.permission].flat().join("' or '")}' (${m.why})`).join(", ")}; nothing was sent. ` +
    `Give its role those permissions in Control Room (Administration > Roles), or use an account with the ${CONTROL_ROOM_ADMIN_ROLE} role.`
  );
}

/** The message when the Anypoint credentials are not Organization Administrator of the master organization, else undefined. */
export function anypointPreflightError(url: string, who: string, master: string, isAdmin: boolean): string | undefined {
  if (isAdmin) return undefined;
  return (
    `Anypoint preflight (${url}): ${who} is not Organization Administrator of the master organization '${master}', which ` +
    `managing users needs; nothing was sent. ` +
    "Grant the Organization Administrator role in the master organization to that user (Access Management > Users), or use a " +
    "connected app acting for an Organization Administrator."
  );
}

function names(xs: string[]): string {
  return `${xs
    .slice(0, 5)
    .map((x) => `'${x}'`)
    .join(", ")}${xs.length > 5 ? ` and ${xs.length - 5} more` : ""}`;
}
