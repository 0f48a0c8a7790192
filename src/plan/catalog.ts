// Reads the names the platforms know (roles, …) for the program's pre-flight check. Runs in the
// program process with the same settings the provider uses.
import { ControlRoomClient } from "../../providers/controlroom/client";
import { AnypointClient } from "../../providers/anypoint/client";
import { readAnypointSettings, readControlRoomSettings, type ConfigGetter } from "../config";
import type { UsersModel } from "../model/types";
import type { PlatformCatalog } from "../safety/names";

export async function readCatalog(model: UsersModel, config: ConfigGetter): Promise<PlatformCatalog> {
  const catalog: PlatformCatalog = { source: "" };
  if (model.people.some((p) => p.controlRoom)) {
    const settings = readControlRoomSettings(config);
    const client = new ControlRoomClient(settings);
    try {
      catalog.controlRoomRoles = (await client.listRoles()).map((r) => r.name);
      catalog.source = settings.url;
    } finally {
      await client.close();
    }
  }
  if (model.people.some((p) => p.anypoint)) {
    const settings = readAnypointSettings(config);
    const client = new AnypointClient(settings);
    try {
      const master = await client.masterOrganization();
      const me = await client.me(); // already fetched for the master organization: no extra call
      catalog.anypointMaster = master.name;
      if (me.kind === "user") catalog.anypointLogin = me.name;
      catalog.anypointBusinessGroups = await client.businessGroupNames();
      catalog.anypointRoles = (await client.listRoles(master.id)).map((r) => r.name);
      catalog.anypointTeams = (await client.listTeams()).map((t) => t.name);
      catalog.source = [catalog.source, settings.url].filter(Boolean).join(" and ");
    } finally {
      await client.close();
    }
  }
  return catalog;
}
