// Declaration order: the people leaving, then the new ones, then everyone else in users.yaml's order.
import { describe, expect, it } from "vitest";
import { callsFirst } from "../../src/features/plan/order";
import type { UsersModel } from "../../src/core/model/types";
import type { Roster } from "../../src/features/safety/roster";

const model = (keys: string[]) => ({ file: "users.yaml", people: keys.map((key) => ({ key })) }) as unknown as UsersModel;
const roster = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, {}])) as Roster;

describe("callsFirst", () => {
  it("puts the people being offboarded first, then those new since the last deployment, each in users.yaml's order", () => {
    const ordered = callsFirst(
      model(["a", "b", "new1", "c", "gone2", "new2", "gone1"]),
      new Set(["gone1", "gone2"]),
      roster(["a", "b", "c", "gone1", "gone2"]),
    );
    expect(ordered.people.map((p) => p.key)).toEqual(["gone2", "gone1", "new1", "new2", "a", "b", "c"]);
  });

  it("keeps users.yaml's order on a first deployment (no roster: nobody is new)", () => {
    expect(callsFirst(model(["b", "a"]), new Set(), undefined).people.map((p) => p.key)).toEqual(["b", "a"]);
  });
});
