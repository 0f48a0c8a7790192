// The rollcall Pulumi program: users.yaml → validated model → one resource per platform membership.
// Anything wrong — the file, or a name the platform does not know — throws here, before a single
// resource is registered, so a broken or empty users.yaml can never be read as "remove everyone".
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { GENERAL_KEYS, SettingsError, setting, type ConfigGetter } from "./src/config";
import { HttpError } from "./src/http/client";
import { loadUsersFile } from "./src/model/load";
import { UsersFileError } from "./src/model/problems";
import { readCatalog } from "./src/plan/catalog";
import { declareAnypoint } from "./src/plan/anypoint";
import { declareControlRoomUsers } from "./src/plan/controlroom";
import { dutyHolders, orphanedDuties, type DutyHolders } from "./src/safety/duties";
import { assertKnownNames } from "./src/safety/names";

// Full keys ("rollcall:controlRoomUrl"), decrypted: the program process reads secrets directly.
const config: ConfigGetter = (key) => pulumi.runtime.getConfig(key);

export = async () => {
  try {
    return await reconcile();
  } catch (err) {
    // Problems a person must fix (the file, a name, credentials) end the run with their message
    // alone, not a stack trace: RunError is Pulumi's clean exit.
    if (err instanceof UsersFileError || err instanceof HttpError || err instanceof SettingsError) throw new pulumi.RunError(err.message);
    throw err;
  }
};

async function reconcile() {
  // 1. Load and validate: throws with file:line:column for every problem.
  const usersFile = path.resolve(setting(config, "usersFile", GENERAL_KEYS.usersFile) ?? "users.yaml");
  const model = loadUsersFile(usersFile);

  // 2. Guard: names the platforms do not know fail now, in preview; duties left with nobody warn.
  assertKnownNames(model, await readCatalog(model, config));
  const duties = dutyHolders(model);
  for (const warning of orphanedDuties(await lastDeployedDuties(), duties)) pulumi.log.warn(warning);

  // 3. Declare one resource per platform membership.
  const controlRoomUsers = declareControlRoomUsers(model);
  const anypoint = declareAnypoint(model);

  return {
    people: model.people.length,
    controlRoom: controlRoomUsers.map((u) => u.username),
    anypoint: anypoint.users.map((u) => u.username),
    duties,
  };
}

/**
 * Who held each duty at the last deployment, read through a reference to this same stack. Awaited
 * before any resource is registered: the read must finish before the engine starts writing the
 * checkpoint it reads.
 */
function lastDeployedDuties(): Promise<DutyHolders | undefined> {
  const self = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`);
  return new Promise((resolve) => {
    // An unknown value (never expected for a read) would never call back: give up on the warning, not the run.
    const timer = setTimeout(() => resolve(undefined), 30_000);
    self.getOutput("duties").apply((value) => {
      clearTimeout(timer);
      resolve(value as DutyHolders | undefined);
    });
  });
}
