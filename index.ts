// The rollcall Pulumi program: users.yaml → validated model → one resource per platform membership.
// Anything wrong — the file, or a name the platform does not know — throws here, before a single
// resource is registered, so a broken or empty users.yaml can never be read as "remove everyone".
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { CONTROL_ROOM_KEYS, GENERAL_KEYS, SettingsError, setting, type ConfigGetter } from "./src/config";
import { HttpError } from "./src/http/client";
import { loadUsersFile } from "./src/model/load";
import { UsersFileError } from "./src/model/problems";
import { readCatalog } from "./src/plan/catalog";
import { declareAnypoint } from "./src/plan/anypoint";
import { declareControlRoomUsers } from "./src/plan/controlroom";
import { dutyHolders, orphanedDuties } from "./src/safety/duties";
import { AUDIT_KEY, handOffAuditTarget, resolveAuditTarget } from "./src/audit/target";
import { LastDeploymentError, readLastDeployment } from "./src/safety/last-deployment";
import { userOptions } from "./src/safety/offboarding";
import { enforceRails, planRails, SafetyRefusal } from "./src/safety/rails";
import type { Platform } from "./src/safety/roster";
import type { Person } from "./src/model/types";
import { assertKnownNames } from "./src/safety/names";

// Full keys ("rollcall:controlRoomUrl"), decrypted: the program process reads secrets directly.
const config: ConfigGetter = (key) => pulumi.runtime.getConfig(key);

export = async () => {
  try {
    return await reconcile();
  } catch (err) {
    // Problems a person must fix (the file, a name, credentials) end the run with their message
    // alone, not a stack trace: RunError is Pulumi's clean exit.
    if (err instanceof UsersFileError || err instanceof HttpError || err instanceof SettingsError || err instanceof SafetyRefusal || err instanceof LastDeploymentError) throw new pulumi.RunError(err.message);
    throw err;
  }
};

async function reconcile() {
  // 1. Load and validate: throws with file:line:column for every problem.
  const usersFile = path.resolve(setting(config, "usersFile", GENERAL_KEYS.usersFile) ?? "users.yaml");
  const model = loadUsersFile(usersFile);

  // 2. Guard: offboarding is decided and the removal limits and protected identities are checked
  //    against the last deployment, then names the platforms do not know fail — all now, in
  //    preview too, before any resource is registered; duties left with nobody warn.
  const last = await readLastDeployment();
  // The audit trail of this stack: the provider process appends one line per mutating call.
  if (!pulumi.runtime.isDryRun()) handOffAuditTarget(resolveAuditTarget(setting(config, "auditLog", AUDIT_KEY.auditLog), pulumi.getStack()));
  const rails = planRails(model, last, config);
  const catalog = await readCatalog(rails.model, config);
  assertKnownNames(model, catalog);
  const accounts = { controlRoom: setting(config, "controlRoomUsername", CONTROL_ROOM_KEYS.controlRoomUsername), anypoint: catalog.anypointLogin, anypointMaster: catalog.anypointMaster };
  for (const warning of enforceRails(rails, last, accounts, config)) pulumi.log.warn(warning);
  for (const line of rails.log) pulumi.log.info(line);
  const declared = rails.model;
  const memberships = {
    controlRoom: declared.people.flatMap((p) => (p.controlRoom ? [p.controlRoom.username] : [])),
    anypoint: declared.people.flatMap((p) => (p.anypoint ? [p.anypoint.username] : [])),
  };
  const duties = dutyHolders(declared);
  for (const warning of orphanedDuties(last?.duties, duties)) pulumi.log.warn(warning);

  // 3. Declare one resource per platform membership (people being disabled or unmanaged included).
  const options = (person: Person, platform: Platform) => userOptions(rails, person, platform);
  declareControlRoomUsers(declared, options);
  declareAnypoint(declared, options);

  // roster and offboarding: what the next run's rails compare against (shape: src/safety/roster.ts).
  return { people: model.people.length, ...memberships, duties, roster: rails.roster, offboarding: rails.actions };
}
