// The benchmarks' organization: N people, each a Control Room user and an Anypoint user, seeded on
// both simulators with exactly the access users.yaml declares (an existing organization to adopt).
import { stringify } from "yaml";
import { AnypointSimulator, SIM_ANYPOINT_APP } from "../../sim/anypoint/simulator";
import { ControlRoomSimulator, SIM_ADMIN } from "../../sim/controlroom/simulator";

// Each person: a Control Room user and an Anypoint user with access to Sales; every fifth also to
// Engineering (1.2 business groups per person, as the organization).
const groupsOf = (i: number) => (i % 5 === 0 ? ["Sales", "Engineering"] : ["Sales"]);

export function usersYaml(n: number): string {
  return stringify({
    version: 1,
    users: Array.from({ length: n }, (_, i) => ({
      key: `p${i}`,
      email: `p${i}@example.com`,
      firstName: "P",
      lastName: `N${i}`,
      controlRoom: { username: `p${i}`, roles: ["AAE_Basic"] },
      anypoint: { username: `p${i}.acme`, businessGroups: Object.fromEntries(groupsOf(i).map((g) => [g, { roles: ["Exchange Viewer"] }])) },
    })),
  });
}

/** Simulators holding everyone already, with the access users.yaml declares: adoption should change nothing. */
export async function seededSimulators(n: number, latencyMs: number): Promise<{ cr: ControlRoomSimulator; ap: AnypointSimulator }> {
  const cr = new ControlRoomSimulator({ idleTimeoutSeconds: 3600, latencyMs });
  cr.seed({
    users: Array.from({ length: n }, (_, i) => ({
      username: `p${i}`,
      email: `p${i}@example.com`,
      firstName: "P",
      lastName: `N${i}`,
      roles: ["AAE_Basic"],
    })),
  });
  const ap = new AnypointSimulator({
    idleTimeoutSeconds: 3600,
    latencyMs,
    seed: {
      businessGroups: ["Sales", "Engineering"],
      users: Array.from({ length: n }, (_, i) => ({
        username: `p${i}.acme`,
        email: `p${i}@example.com`,
        firstName: "P",
        lastName: `N${i}`,
        roles: groupsOf(i).map((org) => ({ role: "Exchange Viewer", org })),
      })),
    },
  });
  await cr.start();
  await ap.start();
  return { cr, ap };
}

/** The rollcall stack's environment for these simulators: removal limits lifted (the benchmark removes 10 %). */
export function stackEnv(cr: ControlRoomSimulator, ap: AnypointSimulator, usersFile: string, n: number): Record<string, string> {
  return {
    ROLLCALL_USERS_FILE: usersFile,
    ROLLCALL_CONTROLROOM_URL: cr.url,
    ROLLCALL_CONTROLROOM_USERNAME: SIM_ADMIN.username,
    ROLLCALL_CONTROLROOM_API_KEY: SIM_ADMIN.apiKey,
    ROLLCALL_ANYPOINT_URL: ap.url,
    ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_APP.clientId,
    ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_APP.clientSecret,
    ROLLCALL_MAX_REMOVALS: String(n),
  };
}
