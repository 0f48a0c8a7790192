// `rollcall expire --prune`: the rewritten users.yaml, byte for byte — comments, order and style kept,
// only the expired entries gone — and the command's output and refusals.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pruneExpired } from "../../src/features/expiry/prune";
import { runExpire } from "../../src/features/expiry/command";
import { parseUsersYaml } from "../../src/core/model/load";
import { applyExpiry } from "../../src/features/expiry/apply";

const before = `# yaml-language-server: $schema=./schema/users.schema.json
# Who has access.
version: 1
defaults:
  controlRoom:
    roles: [AAE_Basic]
users:
  - key: ada # the admin
    email: ada@example.com
    firstName: Ada
    lastName: Lovelace
    controlRoom:
      roles: [AAE_Admin, { name: Bot Runner, expires: 2027-03-31 }]
      licenses:
        - name: DEVELOPMENT # for the migration project
          expires: 2027-03-31
    anypoint:
      username: ada.acme
      businessGroups:
        # temporary: the Sales launch
        Sales:
          roles: [Exchange Viewer]
          expires: 2027-03-31
        Engineering:
          roles: [API Creator]
  # Contractors
  - key: carol
    email: carol@example.com
    firstName: Carol
    lastName: Contractor
    expires: 2027-03-31 # end of contract
    controlRoom:
      roles: [Bot Runner]
  - key: dave
    email: dave@example.com
    firstName: Dave
    lastName: Later
    expires: 2027-04-01
    controlRoom:
      roles:
        - name: Bot Runner
          expires: 2027-03-30
`;

const after = `# yaml-language-server: $schema=./schema/users.schema.json
# Who has access.
version: 1
defaults:
  controlRoom:
    roles: [AAE_Basic]
users:
  - key: ada # the admin
    email: ada@example.com
    firstName: Ada
    lastName: Lovelace
    controlRoom:
      roles: [AAE_Admin]
      licenses: []
    anypoint:
      username: ada.acme
      businessGroups:
        Engineering:
          roles: [API Creator]
`;

describe("pruneExpired", () => {
  it("deletes exactly the expired entries and keeps the rest of the file as written", () => {
    const { text, removed } = pruneExpired(before, "2027-03-31");
    expect(text).toBe(after);
    expect(removed).toEqual([
      { person: "ada", grant: "role", platform: "controlRoom", name: "Bot Runner", expires: "2027-03-31" },
      { person: "ada", grant: "license", platform: "controlRoom", name: "DEVELOPMENT", expires: "2027-03-31" },
      { person: "ada", grant: "businessGroup", platform: "anypoint", name: "Sales", expires: "2027-03-31" },
      { person: "carol", grant: "person", expires: "2027-03-31" },
      { person: "dave", grant: "role", platform: "controlRoom", name: "Bot Runner", expires: "2027-03-30" },
    ]);
  });

  it("the pruned file declares what the program already declares on that date (applying it changes nothing)", () => {
    const program = applyExpiry(parseUsersYaml(before, "users.yaml"), "2027-03-31").model.people.filter((p) => p.controlRoom || p.anypoint);
    const pruned = parseUsersYaml(pruneExpired(before, "2027-03-31").text, "users.yaml").people;
    const strip = (ps: typeof pruned) => ps.map(({ key, controlRoom, anypoint }) => ({ key, controlRoom, anypoint }));
    expect(strip(pruned)).toEqual(strip(program));
  });

  it("leaves the file byte for byte when nothing has expired", () => {
    expect(pruneExpired(before, "2027-03-29")).toEqual({ text: before, removed: [] });
  });
});

describe("rollcall expire", () => {
  const run = async (args: string[], now: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runExpire(args, { out: (s) => out.push(s), err: (s) => err.push(s) }, { ROLLCALL_TEST_NOW: now });
    return { code, out: out.join("").trimEnd(), err: err.join("").trimEnd() };
  };
  const temp = (text: string) => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "rollcall-expire-")), "users.yaml");
    writeFileSync(file, text);
    return file;
  };

  it("lists, then with --prune deletes, what expired once the date has begun in every time zone", async () => {
    const file = temp(before);
    // 2027-03-31 11:00 UTC is still 2027-03-30 at UTC-12: only dave's role has expired everywhere.
    expect(await run([file], "2027-03-31T11:00:00Z")).toEqual({
      code: 0,
      out: `${file}: 1 expired entry (today is 2027-03-30 in Etc/GMT+12); --prune deletes them:\n- dave: Control Room role 'Bot Runner' (expired 2027-03-30)`,
      err: "",
    });
    expect(readFileSync(file, "utf8")).toBe(before);
    const r = await run(["--prune", file], "2027-03-31T12:00:00Z");
    expect(r.out.split("\n")[0]).toBe(`${file}: 5 expired entries (today is 2027-03-31 in Etc/GMT+12), deleted:`);
    expect(readFileSync(file, "utf8")).toBe(after);
    expect(await run([file, "--prune"], "2027-03-31T12:00:00Z")).toMatchObject({
      code: 0,
      out: `${file}: nothing has expired (today is 2027-03-31 in Etc/GMT+12).`,
    });
  });

  it("--time-zone takes today in that zone", async () => {
    const r = await run(["--time-zone", "UTC", temp(before)], "2027-03-31T00:00:00Z");
    expect(r.out).toMatch(/5 expired entries \(today is 2027-03-31 in UTC\)/);
  });

  it("never rewrites a file that does not load", async () => {
    const bad = `${before}  - key: Bad Key\n`;
    const file = temp(bad);
    const r = await run(["--prune", file], "2027-04-30T00:00:00Z");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not a valid key/);
    expect(readFileSync(file, "utf8")).toBe(bad);
  });
});
