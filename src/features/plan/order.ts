// The order resources are declared in: people whose resources will call the platforms first.
//
// Why: the engine works through registrations as they arrive (a window at a time,
// src/pulumi/registration-window.ts), and a removal or a new person waits for the platform's rate
// limit — 500 Control Room PUTs take 25 s at 20 a second. Declared last (users.yaml's order puts
// the people leaving at the end), those calls start only when the engine has been through
// everyone else; declared first, they run while it does. Measured at 5,000 people removing 500
// (src/tools/bench/scale.ts "remove 10%"): see docs/scale.md.
import type { Roster } from "../safety/roster";
import type { Person, UsersModel } from "../../core/model/types";

/** The model with the people being offboarded, then those new since the last deployment, first; otherwise users.yaml's order. */
export function callsFirst(model: UsersModel, offboarded: ReadonlySet<string>, previous: Roster | undefined): UsersModel {
  const rank = (p: Person) => (offboarded.has(p.key) ? 0 : previous && !(p.key in previous) ? 1 : 2);
  // Array.prototype.sort is stable: within a rank, users.yaml's order.
  return { ...model, people: [...model.people].sort((a, b) => rank(a) - rank(b)) };
}
