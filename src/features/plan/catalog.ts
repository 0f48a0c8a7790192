// Reads the names the platforms know (roles, business groups, teams) for the program's check of
// users.yaml's names. Runs in the program process, on the clients of the run's inventory
// (src/features/plan/inventory.ts), with the same settings the providers use.
import type { ControlRoomClient } from "../../providers/controlroom/client";
import type { AnypointClient } from "../../providers/anypoint/client";
import type { PlatformCatalog } from "../safety/names";

export async function controlRoomCatalog(client: ControlRoomClient): Promise<Pick<PlatformCatalog, "controlRoomRoles">> {
  return { controlRoomRoles: (await client.listRoles()).map((r) => r.name) };
}

export async function anypointCatalog(
  client: AnypointClient,
): Promise<Pick<PlatformCatalog, "anypointBusinessGroups" | "anypointRoles" | "anypointTeams" | "anypointMaster" | "anypointLogin">> {
  const master = await client.masterOrganization();
  const me = await client.me(); // already fetched for the master organization: no extra call
  return {
    // For the protected-identity rail: where Organization Administrator counts, and who rollcall signs in as.
    anypointMaster: master.name,
    ...(me.kind === "user" ? { anypointLogin: me.name } : {}),
    anypointBusinessGroups: await client.businessGroupNames(),
    anypointRoles: (await client.listRoles(master.id)).map((r) => r.name),
    anypointTeams: (await client.listTeams()).map((t) => t.name),
  };
}
