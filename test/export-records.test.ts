// Property-style: `rollcall export` over platform records with any field null, missing, empty or of
// another type (issue #19: a Control Room user with a null email crashed the export after minutes of
// reads and wrote nothing). For every record the export must not throw; each user is either in the
// file or named in its "Not exported" list with a reason; and the file loads with the program's own
// loader. Records go through the same read → plan → render path as the command, from a stand-in
// client that returns them as the API would (over JSON, so `undefined` means a missing field).
import { describe, expect, it } from "vitest";
import type { AnypointClient } from "../src/providers/anypoint/client";
import type { ControlRoomClient } from "../src/providers/controlroom/client";
import { readAnypoint, readControlRoom } from "../src/features/export/inventory";
import { planExport, type LeftOut } from "../src/features/export/people";
import { recordLabel } from "../src/features/export/records";
import { renderUsersYaml } from "../src/features/export/render";
import { parseUsersYaml } from "../src/core/model/load";

const MISSING = Symbol("missing");
/** Null, missing, empty and every other JSON type, plus text users.yaml cannot hold. */
const BAD: unknown[] = [null, MISSING, "", "   ", 7, true, {}, [], "line\nbreak", "x".repeat(300)];

type Raw = Record<string, unknown>;
const withField = (base: Raw, field: string, value: unknown): Raw => {
  const copy: Raw = { ...base };
  if (value === MISSING) delete copy[field];
  else copy[field] = value;
  return copy;
};

/** A small deterministic generator (mulberry32), so a failure names a reproducible seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every listed user is in the file or left out by name with a reason, and the file loads. */
function expectAccounted(
  raws: unknown[],
  platform: LeftOut["platform"],
  usernames: (text: string) => string[],
  text: string,
  leftOut: LeftOut[],
): void {
  const model = parseUsersYaml(text, "exported users.yaml");
  const exported = new Set(
    usernames(text).length
      ? model.people.flatMap((p) => [p.controlRoom?.username, p.anypoint?.username]).filter((u): u is string => !!u)
      : [],
  );
  raws.forEach((raw, i) => {
    const label = recordLabel(raw, i);
    const out = leftOut.find((l) => l.platform === platform && l.username === label);
    if (exported.has(label)) return;
    expect(
      out,
      `${platform} record ${i + 1} (${JSON.stringify(raw)?.slice(0, 200)}) is neither exported nor left out by name`,
    ).toBeDefined();
    expect(out!.reason.length).toBeGreaterThan(10);
  });
}

const crBase = (i: number): Raw => ({
  id: 1000 + i,
  username: `cr${i}`,
  email: `cr${i}@example.com`,
  firstName: "Ada",
  lastName: "Lovelace",
  description: "Analyst",
  disabled: false,
  roles: [{ id: 12, name: "AAE_Basic" }],
  licenseFeatures: ["DEVELOPMENT"],
  version: 1,
});
const CR_FIELDS = Object.keys(crBase(0));
const CR_NESTED: [string, unknown][] = [
  ["roles", [null]],
  ["roles", [{ id: 12, name: null }]],
  ["roles", [{ id: 12 }]],
  ["roles", [{ id: 12, name: "" }]],
  ["roles", [{ id: 12, name: 7 }]],
  ["roles", [{ id: 12, name: "bad\u0007role" }]],
  ["licenseFeatures", [null]],
  ["licenseFeatures", [7]],
  ["licenseFeatures", [""]],
  ["licenseFeatures", ["not a license"]],
];

async function exportControlRoom(raws: unknown[]): Promise<{ text: string; leftOut: LeftOut[] }> {
  const wire = JSON.parse(JSON.stringify(raws)) as unknown[];
  const client = { listUsers: async () => wire } as unknown as ControlRoomClient;
  const unreadable: LeftOut[] = [];
  const accounts = await readControlRoom(client, () => undefined, unreadable);
  const plan = planExport({ controlRoom: accounts, unreadable });
  return { text: renderUsersYaml(plan, ["test"]), leftOut: plan.leftOut };
}

describe("export over malformed Control Room records", () => {
  it("every field null, missing, empty or of another type: no crash, each user exported or left out by name, the file loads", async () => {
    const raws: unknown[] = [crBase(0), null, 7, "user", []];
    for (const field of CR_FIELDS) for (const bad of BAD) raws.push(withField(crBase(raws.length), field, bad));
    for (const [field, bad] of CR_NESTED) raws.push(withField(crBase(raws.length), field, bad));
    const { text, leftOut } = await exportControlRoom(raws);
    expectAccounted(raws, "Control Room", () => ["any"], text, leftOut);
    // The crash of #19, named: the user, the field and what it held.
    expect(leftOut).toContainEqual({
      platform: "Control Room",
      username: `cr${5 + CR_FIELDS.indexOf("email") * BAD.length}`,
      reason: expect.stringMatching(/^its email is null, not an email/),
    });
    expect(text).toContain("  - key: cr0\n");
  });

  it("random combinations of broken fields (seeded)", async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const raws: unknown[] = [crBase(0)];
      for (let i = 1; i < 200; i++) {
        let r = crBase(i);
        for (let k = Math.floor(next() * 4); k > 0; k--)
          r = withField(r, CR_FIELDS[Math.floor(next() * CR_FIELDS.length)]!, BAD[Math.floor(next() * BAD.length)]);
        raws.push(r);
      }
      const { text, leftOut } = await exportControlRoom(raws);
      expectAccounted(raws, "Control Room", () => ["any"], text, leftOut);
    }
  });
});

const apBase = (i: number): Raw => ({
  id: `u-${i}`,
  username: `ap${i}.acme`,
  email: `ap${i}@example.com`,
  firstName: "Ada",
  lastName: "Lovelace",
  enabled: true,
});
const AP_FIELDS = Object.keys(apBase(0));

/** A stand-in Anypoint client: one master organization; per user, its role entries; one team. */
function anypointClient(users: unknown[], rolesOf: (userId: string) => unknown[], team: unknown, members: unknown[]): AnypointClient {
  const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  return {
    organizationTree: async () => ({ id: "org-1", name: "Acme Corp", path: ["Acme Corp"], children: [] }),
    listUsers: async () => wire(users),
    listBusinessGroupUsers: async () => [],
    listRoleAssignments: async (_org: string, userId: string) => wire(rolesOf(userId)),
    listTeams: async () => wire([team]),
    listTeamRoles: async () => [{ id: "r-1", name: "Exchange Viewer", org: "org-1" }],
    listTeamMembers: async () => wire(members),
  } as unknown as AnypointClient;
}

async function exportAnypoint(client: AnypointClient): Promise<{ text: string; leftOut: LeftOut[] }> {
  const unreadable: LeftOut[] = [];
  const accounts = await readAnypoint(client, () => undefined, false, 4, unreadable);
  const plan = planExport({ anypoint: accounts, unreadable });
  return { text: renderUsersYaml(plan, ["test"]), leftOut: plan.leftOut };
}

describe("export over malformed Anypoint records", () => {
  const role = { id: "r-1", name: "Exchange Viewer", org: "org-1" };

  it("every user field null, missing, empty or of another type: no crash, each user exported or left out by name, the file loads", async () => {
    const raws: unknown[] = [apBase(0), null, 7];
    for (const field of AP_FIELDS) for (const bad of BAD) raws.push(withField(apBase(raws.length), field, bad));
    const { text, leftOut } = await exportAnypoint(anypointClient(raws, () => [role], { id: "t-1", name: "Readers" }, []));
    expectAccounted(raws, "Anypoint", () => ["any"], text, leftOut);
    expect(leftOut).toContainEqual({
      platform: "Anypoint",
      username: `ap${3 + AP_FIELDS.indexOf("email") * BAD.length}.acme`,
      reason: expect.stringMatching(/^its email is null/),
    });
  });

  it("role, team and member entries that are null or lack their names: the users they concern are left out, named", async () => {
    // ap4 is in no team and has a usable role: the file always keeps someone.
    const raws = [apBase(0), apBase(1), apBase(2), apBase(3), apBase(4)];
    const brokenRoles: Record<string, unknown[]> = {
      "u-1": [null],
      "u-2": [{ id: "r-2", org: "org-1" }],
      "u-3": [{ id: "r-3", name: 7, org: "org-1" }],
    };
    for (const team of [{ id: "t-1", name: null }, { id: "t-1" }, null, { id: "t-1", name: "Readers" }]) {
      const { text, leftOut } = await exportAnypoint(
        anypointClient(raws, (id) => brokenRoles[id] ?? [role], team, [
          null,
          { id: "u-0", identity_type: "user" },
          { identity_type: "user" },
        ]),
      );
      expectAccounted(raws, "Anypoint", () => ["any"], text, leftOut);
      for (const u of ["ap1.acme", "ap2.acme", "ap3.acme"]) expect(leftOut.map((l) => l.username)).toContain(u);
    }
  });
});
