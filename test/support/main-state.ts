// The state a stack deployed by main before the layout move holds (test/fixtures/state/, made by
// running that commit's code), and the Control Room users it was deployed against, for a fresh
// simulator: the ids, names and roles the stored resources point at.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { StateExport, StateResource } from "../../src/pulumi/engine/pulumi-cli";

export const MAIN_STATE_FILE = path.join(__dirname, "../fixtures/state/main-2564e9f-controlroom.json");
/** The stack the fixture was exported from: URNs name it, so it is imported under the same name. */
export const MAIN_STATE_STACK = "mainstate";

export function mainState(): StateExport {
  return JSON.parse(readFileSync(MAIN_STATE_FILE, "utf8")) as StateExport;
}

export function controlRoomUsersOf(state: StateExport): StateResource[] {
  return (state.deployment.resources ?? []).filter((r) => r.type === "pulumi-nodejs:dynamic/rollcall:ControlRoomUser");
}

/** The simulator's users as the fixture's deployment left them. */
export function seedUsersOf(state: StateExport) {
  return controlRoomUsersOf(state).map((r) => {
    const o = r.outputs as { userId: number; username: string; email: string; firstName: string; lastName: string; roles: string[] };
    return { id: o.userId, username: o.username, email: o.email, firstName: o.firstName, lastName: o.lastName, roles: o.roles };
  });
}
