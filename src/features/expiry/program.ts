// Expiry in the program (src/program/index.ts): the model with expired access left out, the lines to log, and
// what the pull-request report and the nightly summary show — expired access this run removes, and
// access ending within rollcall:expiryWarningDays.
import type { ConfigGetter } from "../../core/config";
import type { UsersModel } from "../../core/model/types";
import type { ReportExtras } from "../report/report";
import type { OffboardingAction } from "../safety/offboarding";
import type { Roster } from "../safety/roster";
import { applyExpiry, describeGrant, expiringWithin, type ExpiredAccess } from "./apply";
import { addDays } from "../../core/util/calendar";
import { readExpiryClock, type ExpiryClock } from "./clock";

export interface RunExpiry {
  clock: ExpiryClock;
  /** users.yaml as the program declares it today. */
  model: UsersModel;
  expired: ExpiredAccess[];
  /** One line per expired grant, for the run's log. */
  log: string[];
}

export function expireForRun(loaded: UsersModel, config: ConfigGetter, env: NodeJS.ProcessEnv = process.env): RunExpiry {
  const clock = readExpiryClock(config, env);
  const { model, expired } = applyExpiry(loaded, clock.today);
  const log = expired.map(
    (e) =>
      `expired ${e.expires} (${clock.timeZone}): ${e.person}'s ${describeGrant(e)} is treated as deleted from users.yaml ` +
      `(rollcall expire --prune deletes the entry).`,
  );
  return { clock, model, expired, log };
}

const PLATFORM = { controlRoom: "Control Room", anypoint: "Anypoint" } as const;

/**
 * The report's expiry extras: expired access that this run takes away (the last deployment had it), and access ending soon in this stack's
 * share.
 */
export function expiryExtras(
  run: RunExpiry,
  share: UsersModel,
  previous: Roster | undefined,
  actions: OffboardingAction[],
): Pick<ReportExtras, "expired" | "expiring" | "expiringWithinDays"> {
  const removes = (e: ExpiredAccess): boolean => {
    const was = previous?.[e.person];
    switch (e.grant) {
      case "person":
        return actions.some((a) => a.person === e.person);
      case "user":
        return actions.some((a) => a.person === e.person && a.platform === PLATFORM[e.platform!]);
      case "role":
        return !!was?.controlRoom?.roles.includes(e.name!);
      case "license":
        return !!was?.controlRoom?.licenses.includes(e.name!);
      case "businessGroup":
        return !!was?.anypoint?.businessGroups[e.name!];
    }
  };
  const { today, warningDays } = run.clock;
  return {
    expired: run.expired.filter(removes).map((e) => ({
      person: e.person,
      grant: e.grant,
      ...(e.platform ? { platform: PLATFORM[e.platform] } : {}),
      ...(e.name !== undefined ? { name: e.name } : {}),
      expires: e.expires,
    })),
    expiring: expiringWithin(share, today, addDays(today, warningDays)).map((e) => ({
      person: e.person,
      grant: describeGrant(e),
      expires: e.expires,
    })),
    expiringWithinDays: warningDays,
  };
}
