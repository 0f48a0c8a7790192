// The rollcall Pulumi program: users.yaml → validated model → one resource per platform membership.
// Anything wrong with the file throws here, before a single resource is registered, so a broken or
// empty users.yaml can never be read as "remove everyone".
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { fromProjectConfig, GENERAL_KEYS, setting } from "./src/config";
import { loadUsersFile } from "./src/model/load";
import { declareControlRoomUsers } from "./src/plan/controlroom";
import { dutyHolders, orphanedDuties, type DutyHolders } from "./src/safety/duties";

const config = fromProjectConfig(new pulumi.Config("rollcall"));
const usersFile = path.resolve(setting(config, "usersFile", GENERAL_KEYS.usersFile) ?? "users.yaml");

// 1. Load and validate: throws with file:line:column for every problem.
const model = loadUsersFile(usersFile);

// 2. Guard: warn (in preview too) when a change leaves a role or team with nobody holding it.
const duties = dutyHolders(model);
const lastDeployment = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`);
lastDeployment.getOutput("duties").apply((previous) => {
  for (const warning of orphanedDuties(previous as DutyHolders | undefined, duties)) pulumi.log.warn(warning);
});

// 3. Declare one resource per platform membership.
const controlRoomUsers = declareControlRoomUsers(model);

export const people = model.people.length;
export const controlRoom = controlRoomUsers.map((u) => u.username);
export { duties };
