// `rollcall validate` and expiry: a date that has come is a warning with line:column (the file is
// valid, exit 0); an expiry on a protected person warns what that date will do.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runValidate } from "../../src/features/validate-command";

const text = `version: 1
users:
  - key: ada
    email: ada@example.com
    firstName: Ada
    lastName: Lovelace
    protected: true
    expires: 2027-06-30
    controlRoom:
      roles: [AAE_Basic, { name: Bot Runner, expires: 2027-03-31 }]
      licenses: [{ name: DEVELOPMENT, expires: 2027-04-01 }]
`;

describe("rollcall validate with expiry dates", () => {
  afterEach(() => vi.unstubAllEnvs());
  it("warns, with where, about each date that has come and about a protected person's expiry; exit 0", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "rollcall-validate-")), "users.yaml");
    writeFileSync(file, text);
    vi.stubEnv("ROLLCALL_TEST_NOW", "2027-03-31T00:00:00Z");
    const out: string[] = [];
    const err: string[] = [];
    expect(await runValidate([file], { out: (s) => out.push(s), err: (s) => err.push(s) })).toBe(0);
    expect(err).toEqual([
      `warning: ${file}:8:14: ada is protected and expires on 2027-06-30: from that date every run of the stack refuses, as removing a protected person does. Remove protected: true before that date, or remove the expiry.\n`,
      `warning: ${file}:10:55: ada's Control Room role 'Bot Runner' expired on 2027-03-31: rollcall removes it as if it were deleted here. Delete it from the file (rollcall expire --prune does).\n`,
    ]);
    expect(out).toEqual([`${file}: OK, 1 people (1 on Control Room, 0 on Anypoint)\n`]);
  });
});
