// An organization that exists before rollcall: the people of the example users.yaml, already on
// both simulators. `rollcall sim` serves it, and the docs' getting-started steps (test/docs/) run
// against it, so `rollcall export` has something to write and the first up has someone to adopt.
import { AnypointSimulator, SIM_ANYPOINT_APP } from "./anypoint/simulator";
import type { AnypointSeed } from "./anypoint/simulator-state";
import { ControlRoomSimulator, SIM_ADMIN, type ControlRoomSeed } from "./controlroom/simulator";

const PEOPLE = [
  { key: "ada", first: "Ada", last: "Lovelace", cr: ["AAE_Admin"], licenses: [], ap: [{ role: "Organization Administrator" }] },
  {
    key: "grace",
    first: "Grace",
    last: "Hopper",
    cr: ["AAE_Bot Developer", "Bot Runner"],
    licenses: ["DEVELOPMENT"],
    ap: [{ org: "Sales", role: "Exchange Contributor" }],
  },
  {
    key: "alan",
    first: "Alan",
    last: "Turing",
    cr: ["Bot Runner"],
    licenses: ["RUNTIME"],
    ap: [{ org: "Engineering", role: "API Creator" }],
  },
  {
    key: "katherine",
    first: "Katherine",
    last: "Johnson",
    cr: ["Finance Automation"],
    licenses: ["ATTENDEDRUNTIME"],
    ap: [{ org: "Sales", role: "Exchange Viewer" }],
  },
];

const email = (p: (typeof PEOPLE)[number]) => `${p.first}.${p.last}@example.com`.toLowerCase();

export const SAMPLE_CONTROL_ROOM: ControlRoomSeed = {
  users: PEOPLE.map((p) => ({
    username: `${p.first}.${p.last}`.toLowerCase(),
    email: email(p),
    firstName: p.first,
    lastName: p.last,
    roles: p.cr,
    licenseFeatures: p.licenses,
  })),
};

export const SAMPLE_ANYPOINT: AnypointSeed = {
  masterName: "Acme Corp",
  businessGroups: ["Sales", "Engineering"],
  users: PEOPLE.map((p) => ({
    username: `${p.first}.${p.last}.acme`.toLowerCase(),
    email: email(p),
    firstName: p.first,
    lastName: p.last,
    roles: p.ap,
  })),
};

export interface SampleSimulators {
  controlRoom: ControlRoomSimulator;
  anypoint: AnypointSimulator;
  /** The environment that points rollcall at them (what `rollcall sim` prints). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Both simulators on 127.0.0.1, seeded with the sample organization; they stop after `idleTimeoutSeconds` idle. */
export async function startSampleSimulators(opts: { port?: number; idleTimeoutSeconds: number }): Promise<SampleSimulators> {
  const controlRoom = new ControlRoomSimulator({
    port: opts.port ?? 0,
    idleTimeoutSeconds: opts.idleTimeoutSeconds,
    seed: SAMPLE_CONTROL_ROOM,
  });
  const anypoint = new AnypointSimulator({ idleTimeoutSeconds: opts.idleTimeoutSeconds, seed: SAMPLE_ANYPOINT });
  const env = {
    ROLLCALL_CONTROLROOM_URL: await controlRoom.start(),
    ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
    ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey,
    ROLLCALL_ANYPOINT_URL: await anypoint.start(),
    ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId,
    ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret,
  };
  return {
    controlRoom,
    anypoint,
    env,
    stop: async () => {
      await controlRoom.stop();
      await anypoint.stop();
    },
  };
}
