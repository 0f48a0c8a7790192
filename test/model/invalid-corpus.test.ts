// Every file in test/fixtures/invalid-users must be refused with exactly the problems recorded in
// its .expected.txt (one formatted problem per line, file name relative to the folder).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseUsersYaml } from "../../src/core/model/load";
import { UsersFileError, formatProblem } from "../../src/core/model/problems";

const dir = path.join(__dirname, "..", "fixtures", "invalid-users");
const cases = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("invalid users.yaml corpus", () => {
  it("has at least 30 files, each with its expected problems", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) expect(readFileSync(path.join(dir, c.replace(/\.yaml$/, ".expected.txt")), "utf8").trim()).not.toBe("");
  });

  for (const name of cases) {
    it(`refuses ${name}`, () => {
      const expected = readFileSync(path.join(dir, name.replace(/\.yaml$/, ".expected.txt")), "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => l.trim());
      let error: unknown;
      try {
        parseUsersYaml(readFileSync(path.join(dir, name), "utf8"), name);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UsersFileError);
      const problems = (error as UsersFileError).problems.map(formatProblem).map((l) => l.replaceAll(`${dir}/`, ""));
      expect([...problems].sort()).toEqual([...expected].sort());
    });
  }
});
