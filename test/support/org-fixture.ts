// An existing organization on both simulators, generated deterministically: a few hundred people
// with mixed-case emails, non-ASCII names, people on only one platform, disabled users, nested
// business groups, and team memberships from identity-provider groups that cannot be removed.
import type { AnypointSeed, SeedUser } from "../../src/sim/anypoint/simulator-state";
import type { ControlRoomSeed } from "../../src/sim/controlroom/simulator";

const FIRST = ["José", "Zoë", "Ada", "Grace", "Łukasz", "Søren", "Ngọc", "Amélie", "Björn", "Chloé", "Dmitri", "Émile"];
const LAST = ["Müller", "O'Brien", "Nguyễn", "García", "Ōtani", "Lovelace", "Håkansson", "Dubois", "Kowalski", "Smith"];

export interface GeneratedOrg {
  anypoint: AnypointSeed;
  controlRoom: ControlRoomSeed;
  /** People the export must leave out (no declarable access), by Anypoint username. */
  leftOut: string[];
  counts: { both: number; controlRoomOnly: number; anypointOnly: number };
}

export function generateOrg(n: number): GeneratedOrg {
  const ap: SeedUser[] = [];
  const cr: NonNullable<ControlRoomSeed["users"]> = [];
  const leftOut: string[] = [];
  const counts = { both: 0, controlRoomOnly: 0, anypointOnly: 0 };
  for (let i = 0; i < n; i++) {
    const firstName = FIRST[i % FIRST.length]!;
    const lastName = LAST[(i * 7) % LAST.length]!;
    const local = `${firstName}.${lastName}${i}`.normalize("NFKD").replace(/[^A-Za-z0-9.]/g, "");
    const kind = i % 6 === 3 ? "cr" : i % 6 === 4 ? "ap" : "both";
    counts[kind === "cr" ? "controlRoomOnly" : kind === "ap" ? "anypointOnly" : "both"]++;
    if (kind !== "ap") {
      cr.push({
        username: `${local.toLowerCase()}`,
        // Mixed case on Control Room; matched to Anypoint's lower-case email case-insensitively.
        email: `${local}@Example.com`,
        firstName,
        lastName,
        disabled: i % 7 === 0,
        roles: i % 5 === 0 ? ["AAE_Basic", "Bot Runner"] : i % 5 === 1 ? ["AAE_Bot Developer"] : ["AAE_Basic"],
        licenseFeatures: i % 4 === 0 ? ["DEVELOPMENT"] : i % 4 === 1 ? ["RUNTIME"] : [],
      });
    }
    if (kind !== "cr") {
      const noAccess = kind === "ap" && i % 30 === 4; // only a team from the identity provider
      if (noAccess) leftOut.push(`${local}.acme`);
      const roles: SeedUser["roles"] = noAccess ? [] : [{ role: "Exchange Viewer" }];
      if (!noAccess && i % 3 === 0) roles.push({ org: "Sales", role: "Exchange Contributor" });
      if (!noAccess && i % 4 === 0) roles.push({ org: "Platform", role: "API Creator" });
      if (!noAccess && i % 8 === 0) roles.push({ org: "Engineering", role: "Runtime Manager Read Only" });
      const teams: SeedUser["teams"] = [];
      if (!noAccess && i % 5 === 0) teams.push("Approvers");
      if (!noAccess && i % 10 === 2) teams.push("Everyone");
      if (i % 9 === 0 || noAccess) teams.push({ name: "Okta Engineers", viaExternalGroups: true });
      ap.push({
        username: `${local}.acme`,
        email: `${local}@example.com`.toLowerCase(),
        firstName,
        lastName,
        enabled: i % 11 !== 0,
        roles,
        teams,
      });
    }
  }
  return {
    anypoint: {
      businessGroups: ["Sales", "Engineering", { name: "Platform", parent: "Engineering" }, { name: "Edge", parent: "Platform" }],
      teams: [
        { name: "Approvers", roles: [{ org: "Sales", role: "Exchange Viewer" }] },
        {
          name: "Everyone",
          roles: [
            { org: "Sales", role: "Business Group Viewer" },
            { org: "Engineering", role: "Business Group Viewer" },
          ],
        },
        { name: "Okta Engineers", roles: [{ org: "Edge", role: "Exchange Viewer" }] },
      ],
      users: ap,
    },
    controlRoom: { users: cr },
    leftOut,
    counts,
  };
}
