import { describe, expect, it } from "vitest";
import { dutyHolders, orphanedDuties } from "../src/features/safety/duties";
import type { Person, UsersModel } from "../src/core/model/types";

const person = (key: string, roles: string[], anypoint?: Person["anypoint"]): Person => ({
  key,
  email: `${key}@example.com`,
  firstName: key,
  lastName: "T",
  protected: false,
  source: { file: "users.yaml", line: 1, column: 1 },
  controlRoom: { username: key, roles, licenses: [], disabled: false },
  ...(anypoint ? { anypoint } : {}),
});
const model = (...people: Person[]): UsersModel => ({ file: "users.yaml", people });

describe("duties", () => {
  it("maps each role and team to the people holding it", () => {
    const holders = dutyHolders(
      model(
        person("ada", ["AAE_Admin"]),
        person("bob", ["AAE_Admin", "Approver"], {
          username: "bob",
          disabled: false,
          businessGroups: { Sales: { roles: ["API Creator"], teams: ["Approvers"] } },
        }),
      ),
    );
    expect(holders).toEqual({
      "Anypoint role 'API Creator' in business group 'Sales'": ["bob"],
      "Anypoint team 'Approvers'": ["bob"],
      "Control Room role 'AAE_Admin'": ["ada", "bob"],
      "Control Room role 'Approver'": ["bob"],
    });
  });

  it("warns only for duties that lose their last holder", () => {
    const before = dutyHolders(model(person("ada", ["AAE_Admin"]), person("bob", ["AAE_Admin", "Approver"])));
    const after = dutyHolders(model(person("ada", ["AAE_Admin"])));
    expect(orphanedDuties(before, after)).toEqual([
      "Control Room role 'Approver' was held by bob; after this change nobody in users.yaml holds it. Make sure someone else takes over its duties (for example approvals) before merging.",
    ]);
    expect(orphanedDuties(undefined, after)).toEqual([]);
    expect(orphanedDuties(before, before)).toEqual([]);
  });
});
