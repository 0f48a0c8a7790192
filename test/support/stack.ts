// Test support: a fresh simulator + a fresh stack of the real project on a temporary file backend.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { ControlRoomSimulator, SIM_ADMIN, type ControlRoomSimulatorOptions } from "../../src/sim/controlroom/simulator";
import { AnypointSimulator, SIM_ANYPOINT_APP, type AnypointSimulatorOptions } from "../../src/sim/anypoint/simulator";
import { ProjectStack, type StateResource } from "../../src/pulumi/engine/pulumi-cli";

export interface TestPerson {
  key: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  protected?: boolean;
  offboard?: "delete" | "disable" | "unmanage";
  controlRoom?: { username?: string; roles?: string[]; licenses?: string[]; disabled?: boolean; previousEmail?: string };
  anypoint?: {
    username?: string;
    disabled?: boolean;
    previousEmail?: string;
    businessGroups: Record<string, { roles?: string[]; teams?: string[] }>;
  };
}

export function usersYaml(people: TestPerson[]): string {
  return stringify({
    version: 1,
    users: people.map((p) => ({
      key: p.key,
      email: p.email ?? `${p.key}@example.com`,
      firstName: p.firstName ?? p.key[0]!.toUpperCase() + p.key.slice(1),
      lastName: p.lastName ?? "Tester",
      ...(p.protected ? { protected: true } : {}),
      ...(p.offboard ? { offboard: p.offboard } : {}),
      ...(p.controlRoom ? { controlRoom: { username: p.key, roles: ["AAE_Basic"], ...p.controlRoom } } : {}),
      ...(p.anypoint
        ? {
            anypoint: {
              username: p.anypoint.username ?? `${p.key}.acme`,
              ...(p.anypoint.disabled ? { disabled: true } : {}),
              ...(p.anypoint.previousEmail ? { previousEmail: p.anypoint.previousEmail } : {}),
              businessGroups: p.anypoint.businessGroups,
            },
          }
        : {}),
    })),
  });
}

export interface ControlRoomStackFixture {
  sim: ControlRoomSimulator;
  stack: ProjectStack;
  dir: string;
  /** Writes users.yaml for the next engine run. */
  writeUsers(text: string): void;
  resources(type?: string): Promise<StateResource[]>;
  dispose(): Promise<void>;
}

export async function controlRoomStack(
  name: string,
  simOptions?: ControlRoomSimulatorOptions,
  extraEnv: Record<string, string> = {},
): Promise<ControlRoomStackFixture> {
  const sim = new ControlRoomSimulator({ idleTimeoutSeconds: 900, ...simOptions });
  const url = await sim.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), `rollcall-${name}-`));
  const usersFile = path.join(dir, "users.yaml");
  const stack = new ProjectStack({
    stack: name,
    stateDir: path.join(dir, "state"),
    projectDir: path.join(dir, "project"),
    env: {
      ROLLCALL_USERS_FILE: usersFile,
      ROLLCALL_CONTROLROOM_URL: url,
      ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
      ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey,
      // The simulators allow 10,000 calls a minute; the platforms' default budgets would only slow the tests down.
      ROLLCALL_CONTROLROOM_REQUESTS_PER_SECOND: "200",
      ROLLCALL_ANYPOINT_REQUESTS_PER_SECOND: "150",
      // Tests that say "removing a person sends the DELETE" run in delete mode; the default
      // (disable) and unmanage are proven in test/e2e/rails.test.ts.
      ROLLCALL_OFFBOARDING: "delete",
      ...extraEnv,
    },
  });
  await stack.init();
  return {
    sim,
    stack,
    dir,
    writeUsers: (text) => writeFileSync(usersFile, text),
    async resources(type = "pulumi-nodejs:dynamic/rollcall:ControlRoomUser") {
      const state = await stack.exportState();
      return (state.deployment.resources ?? []).filter((r) => r.type === type);
    },
    async dispose() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fails with the engine's own output, so a red test says why. */
export function expectOk(r: { code: number; stdout: string; stderr: string }, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

export interface AnypointStackFixture extends ControlRoomStackFixture {
  anypoint: AnypointSimulator;
}

/** Both simulators and a stack pointed at them (credentials from the environment). */
export async function platformsStack(
  name: string,
  anypointOptions?: AnypointSimulatorOptions,
  extraEnv: Record<string, string> = {},
): Promise<AnypointStackFixture> {
  const anypoint = new AnypointSimulator({ idleTimeoutSeconds: 900, ...anypointOptions });
  const url = await anypoint.start();
  const base = await controlRoomStack(name, undefined, {
    ROLLCALL_ANYPOINT_URL: url,
    ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId,
    ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret,
    ...extraEnv,
  });
  return {
    ...base,
    anypoint,
    async dispose() {
      await anypoint.stop();
      await base.dispose();
    },
  };
}
