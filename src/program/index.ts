// The rollcall Pulumi program: users.yaml → validated model → one resource per platform membership.
// Anything wrong — the file, or a name the platform does not know — throws here, before a single
// resource is registered, so a broken or empty users.yaml can never be read as "remove everyone".
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { CONTROL_ROOM_KEYS, GENERAL_KEYS, SettingsError, setting, type ConfigGetter } from "../core/config";
import { HttpError } from "../core/http/client";
import { loadUsersFile } from "../core/model/load";
import { UsersFileError } from "../core/model/problems";
import { readPlatforms } from "../features/plan/inventory";
import { anypointUsers } from "../features/plan/anypoint";
import { controlRoomUsers } from "../features/plan/controlroom";
import { callsFirst } from "../features/plan/order";
import { interleave, registerInWindow } from "../pulumi/registration-window";
import { guardIdentities } from "../features/safety/identity-guard";
import { dutyHolders, orphanedDuties } from "../features/safety/duties";
import { AUDIT_KEY, handOffAuditTarget, resolveAuditTarget } from "../features/audit/target";
import { LastDeploymentError, readLastDeployment } from "../features/safety/last-deployment";
import { userOptions } from "../features/safety/offboarding";
import { deletedAnypointUsernames, deletedBy, refuseReusedUsernames } from "../features/safety/reused-usernames";
import { enforceRails, guardUsage, planRails, SafetyRefusal } from "../features/safety/rails";
import type { Platform } from "../features/safety/roster";
import type { Person } from "../core/model/types";
import { assertKnownNames } from "../features/safety/names";
import { preflightMode } from "../features/safety/preflight";
import { reportExtras } from "../features/report/extras";
import { REPORT_OUTPUT } from "../features/report/report";
import { writeProgramData } from "../features/report/program-data";
import { warnIfSlowPath } from "../pulumi/slow-path";
import { expireForRun, expiryExtras } from "../features/expiry/program";
import { readShare, shareOf } from "../features/split/share";
import {
  omitSourcePositions,
  skipOutputProperties,
  skipRegistrationDebugLogs,
  trackPromisesWithoutStacks,
  useNativeStackTraces,
} from "../pulumi/sdk-costs";

// Full keys ("rollcall:controlRoomUrl"), decrypted: the program process reads secrets directly.
const config: ConfigGetter = (key) => pulumi.runtime.getConfig(key);

export = async () => {
  // Per resource, the SDK's stack traces cost more CPU, memory and state than rollcall itself (src/pulumi/sdk-costs.ts).
  useNativeStackTraces();
  omitSourcePositions();
  trackPromisesWithoutStacks();
  skipRegistrationDebugLogs();
  skipOutputProperties();
  try {
    return await reconcile();
  } catch (err) {
    // Problems a person must fix (the file, a name, credentials) end the run with their message
    // alone, not a stack trace: RunError is Pulumi's clean exit.
    // A guard's refusal is data too: `rollcall preview` exits 3 on it (docs/workflows.md "Exit codes and outputs").
    if (err instanceof SafetyRefusal) writeProgramData({ refused: { message: err.message } });
    if (
      err instanceof UsersFileError ||
      err instanceof HttpError ||
      err instanceof SettingsError ||
      err instanceof SafetyRefusal ||
      err instanceof LastDeploymentError
    )
      throw new pulumi.RunError(err.message);
    throw err;
  }
};

async function reconcile() {
  // The last deployment is read from the backend while users.yaml loads (seconds at 10,000
  // resources); it is awaited before anything else below, and a broken file still fails first.
  const lastDeployment = readLastDeployment();
  lastDeployment.catch(() => undefined); // awaited below; a users.yaml error must not leave it unhandled
  // 1. Load and validate: throws with file:line:column for every problem.
  const usersFile = path.resolve(setting(config, "usersFile", GENERAL_KEYS.usersFile) ?? "users.yaml");
  // Access whose `expires:` date has come (in the stack's time zone) is left out, exactly as if
  // deleted from the file: everything below treats it as that removal (src/features/expiry/apply.ts).
  const expiry = expireForRun(loadUsersFile(usersFile), config);
  if (expiry.clock.overridden) pulumi.log.warn(expiry.clock.overridden);
  for (const line of expiry.log) pulumi.log.info(line);
  // A split organization: this stack declares only its share; the guards count the whole file.
  const everyone = expiry.model;
  const model = shareOf(everyone, readShare(config));

  // 2. Guard: offboarding is decided and, against the last deployment, the removal limits and
  //    protected identities are checked (src/features/safety/rails.ts); credentials that cannot do the change
  //    (preflight), names the platforms do not know and a username that belongs to someone else
  //    fail — all now, in preview too; undeclared members and duties left with nobody warn.
  const last = await lastDeployment;
  // The audit trail of this stack: the provider process appends one line per mutating call.
  if (!pulumi.runtime.isDryRun())
    handOffAuditTarget(resolveAuditTarget(setting(config, "auditLog", AUDIT_KEY.auditLog), pulumi.getStack()));
  const rails = planRails(model, last, config, everyone);
  const platforms = await readPlatforms(rails.model, config, last, preflightMode(pulumi.runtime.isDryRun()));
  if (platforms.applyNeeds) pulumi.log.info(platforms.applyNeeds);
  assertKnownNames(model, platforms.catalog);
  refuseReusedUsernames(model, last?.deletedAnypoint ?? [], platforms.anypoint?.users);
  const identity = guardIdentities(
    model,
    platforms,
    last,
    config,
    { info: (m) => pulumi.log.info(m), warn: (m) => pulumi.log.warn(m), data: (part) => writeProgramData(part) },
    everyone,
  );
  const accounts = {
    controlRoom: setting(config, "controlRoomUsername", CONTROL_ROOM_KEYS.controlRoomUsername),
    anypoint: platforms.catalog.anypointLogin,
    anypointMaster: platforms.catalog.anypointMaster,
  };
  for (const warning of enforceRails(rails, last, accounts, config)) pulumi.log.warn(warning);
  for (const line of rails.log) pulumi.log.info(line);
  const memberships = {
    controlRoom: everyone.people.flatMap((p) => (p.controlRoom ? [p.controlRoom.username] : [])),
    anypoint: everyone.people.flatMap((p) => (p.anypoint ? [p.anypoint.username] : [])),
  };
  const duties = dutyHolders(rails.model);
  for (const warning of orphanedDuties(last?.duties, duties)) pulumi.log.warn(warning);

  // 3. Declare one resource per platform membership (people being disabled or unmanaged included),
  //    a window at a time: the SDK's cost per resource in flight is the program's memory.
  //    Those whose resources will call the platforms (leaving, new) first: their rate-limited calls
  //    then run while the engine goes through everyone else.
  const options = (person: Person, platform: Platform) => userOptions(rails, person, platform);
  const declared = callsFirst(rails.model, new Set(rails.actions.map((a) => a.person)), rails.previous);
  await registerInWindow(interleave(controlRoomUsers(declared, options), anypointUsers(declared, options)));
  warnIfSlowPath();

  // For the pull-request report: what the preview's own steps cannot say (adopt, undeclared, soft removals).
  const report = {
    ...reportExtras(identity, rails.actions, guardUsage(rails, last, config)),
    ...expiryExtras(expiry, model, rails.previous, rails.actions),
  };
  writeProgramData({ report });

  // roster and offboarding: what the next run's rails compare against (shape: src/features/safety/roster.ts).
  // deletedAnypointUsernames: carried forward, so a re-added username fails in preview (src/features/safety/reused-usernames.ts).
  const deletedAnypoint = deletedAnypointUsernames(last?.deletedAnypoint ?? [], deletedBy(rails.actions, rails.previous, rails.roster));
  return {
    people: model.people.length,
    ...memberships,
    duties,
    roster: rails.roster,
    offboarding: rails.actions,
    deletedAnypointUsernames: deletedAnypoint,
    [REPORT_OUTPUT]: report,
  };
}
