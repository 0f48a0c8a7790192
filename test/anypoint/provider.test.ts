// AnypointUserProvider called directly against the simulator (real HTTP): the defences in depth the
// shim loads in the engine's provider process, behind the program's own guards — it never adopts
// another person's account, and it takes away only the roles rollcall granted (issue #19: each was
// a claim no test guarded). The provider session lists users once per process, so every platform
// user these tests meet exists before the first call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AnypointUserProvider,
  BusinessGroupAccessProvider,
  type AnypointUserInputs,
  type AnypointUserOutputs,
} from "../../src/providers/anypoint/provider";
import { AnypointSimulator, SIM_ANYPOINT_APP } from "../../src/sim/anypoint/simulator";
import { mutatingRequests } from "../../src/sim/harness";

const config = (values: Record<string, string>) => ({ config: { get: (k: string) => values[k], require: (k: string) => values[k]! } });

function inputs(over: Partial<AnypointUserInputs> = {}): AnypointUserInputs {
  return {
    username: "jane.acme",
    email: "jane@example.com",
    firstName: "Jane",
    lastName: "Doe",
    enabled: true,
    businessGroups: { Sales: { roles: ["Exchange Viewer"], teams: [] } },
    ...over,
  };
}

describe("AnypointUserProvider", () => {
  const sim = new AnypointSimulator({ seed: { businessGroups: ["Sales"] } });
  const provider = new AnypointUserProvider();
  let salesId = "";
  beforeAll(async () => {
    await sim.start();
    salesId = sim.state.orgByName("Sales")!.id;
    sim.state.addUser({ username: "bob.acme", email: "bob@other.com", firstName: "Bob", lastName: "Other" });
    // Kim already works in Sales with a role rollcall never granted.
    const kim = sim.state.addUser({ username: "kim.acme", email: "kim@example.com", firstName: "Kim", lastName: "Doe" });
    sim.state.assign(kim.id, sim.state.roleByName("Exchange Contributor")!.id, salesId);
    const lee = sim.state.addUser({ username: "lee.acme", email: "lee@example.com", firstName: "Lee", lastName: "Doe" });
    sim.state.assign(lee.id, sim.state.roleByName("Exchange Viewer")!.id, salesId);
    await provider.configure(
      config({
        "rollcall:anypointUrl": sim.url,
        "rollcall:anypointClientId": SIM_ANYPOINT_APP.clientId,
        "rollcall:anypointClientSecret": SIM_ANYPOINT_APP.clientSecret,
      }),
    );
  });
  afterAll(() => sim.stop());
  const roles = (username: string) =>
    sim.state
      .rolesOf(sim.state.findUser(username)!.id, salesId)
      .map((r) => r.name)
      .sort();

  it("refuses to adopt a user with the same username but another email, without any write", async () => {
    sim.server.clearLog();
    await expect(provider.create(inputs({ username: "bob.acme", email: "alice@example.com" }))).rejects.toThrow(
      /bob\.acme.*bob@other\.com/s,
    );
    expect(sim.state.findUser("bob.acme")!.email).toBe("bob@other.com");
    expect(mutatingRequests(sim.requests)).toEqual([]);
  });

  it("an adopted user keeps the roles rollcall never granted: only what it granted is taken away", async () => {
    const { id, outs } = await provider.create(inputs({ username: "kim.acme", email: "kim@example.com", firstName: "Kim" }));
    expect(outs.adopted).toBe(true);
    expect(roles("kim.acme")).toEqual(["Exchange Contributor", "Exchange Viewer"]);
    // users.yaml now gives Kim another role in Sales instead: rollcall's own grant goes, the older one stays.
    await provider.update(
      id,
      outs as AnypointUserOutputs,
      inputs({
        username: "kim.acme",
        email: "kim@example.com",
        firstName: "Kim",
        businessGroups: { Sales: { roles: ["API Creator"], teams: [] } },
      }),
    );
    expect(roles("kim.acme")).toEqual(["API Creator", "Exchange Contributor"]);
  });

  it("the retired access kind keeps the access, and fails, when the person's AnypointUser was not reconciled in the same run", async () => {
    const access = new BusinessGroupAccessProvider();
    const lee = sim.state.findUser("lee.acme")!;
    sim.server.clearLog();
    const stored = {
      username: "lee.acme",
      userId: lee.id,
      businessGroup: "Sales",
      businessGroupId: salesId,
      roles: ["Exchange Viewer"],
      teams: [],
    };
    await expect(access.delete(`${lee.id}:Sales`, stored as never)).rejects.toThrow(
      /Anypoint user 'lee\.acme': kept their access in business group 'Sales' .* because their AnypointUser was not reconciled in this run/,
    );
    expect(mutatingRequests(sim.requests)).toEqual([]);
    expect(roles("lee.acme")).toEqual(["Exchange Viewer"]);
  });
});
