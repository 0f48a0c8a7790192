// The rollcall Pulumi program: users.yaml → validated model → one resource per platform membership.
// Anything wrong — the file, or a name the platform does not know — throws here, before a single
// resource is registered, so a broken or empty users.yaml can never be read as "remove everyone".
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { GENERAL_KEYS, SettingsError, setting, type ConfigGetter } from "./src/config";
import { HttpError } from "./src/http/client";
import { loadUsersFile } from "./src/model/load";
import { UsersFileError } from "./src/model/problems";
import { readPlatforms } from "./src/plan/inventory";
import { declareAnypoint } from "./src/plan/anypoint";
import { declareControlRoomUsers } from "./src/plan/controlroom";
import { guardIdentities } from "./src/safety/identity-guard";
import { dutyHolders, orphanedDuties, type DutyHolders } from "./src/safety/duties";
import { DEFAULT_MAX_REMOVALS, massRemovalError, type Memberships } from "./src/safety/mass-removal";
import { assertKnownNames } from "./src/safety/names";
import { warnIfSlowPath } from "./src/pulumi/slow-path";
import { readShare, shareOf } from "./src/split/share";

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
  // A split organization: this stack declares only its share; the guards count the whole file.
  const everyone = loadUsersFile(usersFile);
  const model = shareOf(everyone, readShare(config));

  // 2. Guard: credentials that cannot do the change (preflight), names the platforms do not know,
  //    a username that belongs to someone else, and mass removals fail now, in preview too;
  //    undeclared members and duties left with nobody warn.
  const last = await lastDeployment();
  const platforms = await readPlatforms(model, config, last);
  assertKnownNames(model, platforms.catalog);
  guardIdentities(model, platforms, last, config, { info: (m) => pulumi.log.info(m), warn: (m) => pulumi.log.warn(m), data: (m) => pulumi.log.info(m) });
  const memberships = {
    controlRoom: everyone.people.flatMap((p) => (p.controlRoom ? [p.controlRoom.username] : [])),
    anypoint: everyone.people.flatMap((p) => (p.anypoint ? [p.anypoint.username] : [])),
  };
  // The environment wins here: it is how one intended run allows more than the stack's limit.
  const maxRemovals = Number(process.env[GENERAL_KEYS.maxRemovals] || config("rollcall:maxRemovals") || DEFAULT_MAX_REMOVALS);
  if (!Number.isInteger(maxRemovals) || maxRemovals < 0) throw new SettingsError(`rollcall:maxRemovals (or ROLLCALL_MAX_REMOVALS) must be a whole number, not '${process.env[GENERAL_KEYS.maxRemovals] || config("rollcall:maxRemovals")}'.`);
  const tooMany = massRemovalError(last, memberships, maxRemovals);
  if (tooMany) throw new SettingsError(tooMany);
  const duties = dutyHolders(model);
  for (const warning of orphanedDuties(last?.duties, duties)) pulumi.log.warn(warning);

  // 3. Declare one resource per platform membership.
  declareControlRoomUsers(model);
  declareAnypoint(model);
  warnIfSlowPath();

  return { people: model.people.length, ...memberships, duties };
}

type LastDeployment = Memberships & { duties?: DutyHolders };

/**
 * What the last deployment exported (who had access, who held each duty), read through a
 * reference to this same stack. Awaited before any resource is registered: the read must finish
 * before the engine starts writing the checkpoint it reads. Undefined on a first deployment.
 */
function lastDeployment(): Promise<LastDeployment | undefined> {
  const self = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`);
  return new Promise((resolve) => {
    // An unknown value (never expected for a read) would never call back: give up on the guards, not the run.
    const timer = setTimeout(() => resolve(undefined), 30_000);
    self.outputs.apply((outputs) => {
      clearTimeout(timer);
      resolve(outputs && Object.keys(outputs).length ? (outputs as LastDeployment) : undefined);
    });
  });
}
