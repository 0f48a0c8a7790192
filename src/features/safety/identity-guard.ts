// The program's identity and undeclared-members guards, on the run's inventory: a username that
// belongs to someone else fails the run (preview included) with file:line; adopts are announced;
// people on a platform but not in users.yaml are listed (a warning, or a failure with
// rollcall:undeclaredMembers=fail). Messages go through `log` (pulumi.log in the program).
import { GENERAL_KEYS, SettingsError, setting, type ConfigGetter } from "../../core/config";
import { UsersFileError } from "../../core/model/problems";
import type { UsersModel } from "../../core/model/types";
import type { PlatformInventory } from "../plan/inventory";
import type { Memberships } from "./last-deployment";
import {
  adoptMessage,
  checkIdentities,
  undeclaredMessages,
  undeclaredUsernames,
  type IdentityStep,
  type UndeclaredMembers,
  type UndeclaredMode,
} from "./identity";

export interface GuardLog {
  info(message: string): void;
  warn(message: string): void;
  /** Machine-readable data for the report (src/features/report/program-data.ts), never a log line. */
  data(part: { identity: { steps: IdentityStep[] } } | { undeclared: UndeclaredMembers & { mode: UndeclaredMode } }): void;
}

/** `everyone`: the whole users.yaml when this stack declares only a share of it (a person of another share is declared, not undeclared). */
export function guardIdentities(
  model: UsersModel,
  inventory: PlatformInventory,
  previous: Memberships | undefined,
  config: ConfigGetter,
  log: GuardLog,
  everyone: UsersModel = model,
): { steps: IdentityStep[]; undeclared: UndeclaredMembers } {
  const mode = undeclaredMode(config);
  const { problems, steps } = checkIdentities(
    model,
    {
      controlRoom: inventory.controlRoom?.users.map((u) => ({ id: u.id, username: u.username, email: u.email })),
      anypoint: inventory.anypoint?.users,
    },
    { controlRoom: previous?.controlRoom, anypoint: previous?.anypoint },
  );
  if (problems.length) throw new UsersFileError(model.file, problems);
  for (const step of steps) if (step.action === "adopt") log.info(adoptMessage(step));
  log.data({ identity: { steps } });

  const undeclared = undeclaredMembers(everyone, inventory, previous);
  const messages = undeclaredMessages(undeclared, mode);
  log.data({ undeclared: { ...undeclared, mode } });
  if (messages.length && mode === "fail") throw new SettingsError(messages.join("\n"));
  for (const m of messages) log.warn(m);
  return { steps, undeclared };
}

function undeclaredMode(config: ConfigGetter): UndeclaredMode {
  const value = setting(config, "undeclaredMembers", GENERAL_KEYS.undeclaredMembers) ?? "warn";
  if (value !== "warn" && value !== "fail") throw new SettingsError(`rollcall:undeclaredMembers must be warn or fail, not '${value}'.`);
  return value;
}

/**
 * rollcall's own login is a service account, not a person, and people this stack manages but
 * users.yaml no longer lists are removals the diff already shows: neither is reported as undeclared.
 */
export function undeclaredMembers(model: UsersModel, inventory: PlatformInventory, previous?: Memberships): UndeclaredMembers {
  const out: UndeclaredMembers = {};
  if (inventory.controlRoom) {
    const usernames = undeclaredUsernames(model, "controlRoom", inventory.controlRoom.users, [
      inventory.controlRoom.login,
      ...(previous?.controlRoom ?? []),
    ]);
    out.controlRoom = { count: usernames.length, usernames };
  }
  if (inventory.anypoint) {
    const { caller, users, groupUsers } = inventory.anypoint;
    const usernames = undeclaredUsernames(model, "anypoint", users, [
      ...(caller.kind === "user" ? [caller.name] : []),
      ...(previous?.anypoint ?? []),
    ]);
    const set = new Set(usernames.map((u) => u.toLowerCase()));
    const businessGroups = Object.fromEntries(
      Object.entries(groupUsers)
        .map(
          ([group, members]) =>
            [
              group,
              members
                .map((m) => m.username)
                .filter((u) => set.has(u.toLowerCase()))
                .sort((a, b) => a.localeCompare(b)),
            ] as const,
        )
        .filter(([, names]) => names.length),
    );
    out.anypoint = { count: usernames.length, usernames, businessGroups };
  }
  return out;
}
