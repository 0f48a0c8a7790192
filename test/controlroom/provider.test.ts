// ControlRoomUserProvider called directly against the simulator (real HTTP): the logic the shim
// loads in the engine's provider process.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ControlRoomUserProvider, type ControlRoomUserInputs, type ControlRoomUserOutputs } from "../../src/providers/controlroom/provider";
import { ControlRoomSimulator, SIM_ADMIN } from "../../src/sim/controlroom/simulator";

const config = (values: Record<string, string>) => ({ config: { get: (k: string) => values[k], require: (k: string) => values[k]! } });

function inputs(over: Partial<ControlRoomUserInputs> = {}): ControlRoomUserInputs {
  return {
    username: "jane",
    email: "jane@example.com",
    firstName: "Jane",
    lastName: "Doe",
    roles: ["AAE_Basic"],
    licenseFeatures: [],
    disabled: false,
    ...over,
  };
}

describe("ControlRoomUserProvider", () => {
  const sim = new ControlRoomSimulator();
  let provider: ControlRoomUserProvider;
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());
  beforeEach(async () => {
    provider = new ControlRoomUserProvider();
    await provider.configure(
      config({
        "rollcall:controlRoomUrl": sim.url,
        "rollcall:controlRoomUsername": SIM_ADMIN.username,
        "rollcall:controlRoomApiKey": SIM_ADMIN.apiKey,
      }),
    );
    sim.server.clearLog();
  });

  it("diff is offline and names replace only for a username change", async () => {
    const olds = { ...inputs(), userId: 1, roleIds: [2], adopted: false } as ControlRoomUserOutputs;
    expect(await provider.diff("1", olds, inputs({ email: "JANE@example.com " }))).toEqual({ changes: false });
    expect(await provider.diff("1", olds, inputs({ roles: ["Bot Runner"] }))).toEqual({
      changes: undefined,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(await provider.diff("1", olds, inputs({ username: "JANE" }))).toEqual({ changes: false });
    expect(await provider.diff("1", olds, inputs({ username: "jane2" }))).toMatchObject({ replaces: ["username"] });
    expect(sim.requests).toEqual([]);
  });

  it("creates a new user with role ids resolved from names", async () => {
    const { id, outs } = await provider.create(inputs());
    const user = sim.users.get(Number(id))!;
    expect(user.username).toBe("jane");
    expect(outs).toMatchObject({ userId: Number(id), adopted: false, roleIds: [2] });
  });

  it("adopts an existing user case-insensitively, without any write when it already matches", async () => {
    const existing = sim.addUser({ username: "MAX", email: "max@example.com", firstName: "Max", lastName: "Doe", roles: ["AAE_Basic"] });
    const { id, outs } = await provider.create(inputs({ username: "max", email: "max@example.com", firstName: "Max" }));
    expect(id).toBe(String(existing.id));
    expect(outs.adopted).toBe(true);
    expect(sim.requests.filter((r) => r.method !== "POST" || !r.path.endsWith("/list"))).toEqual([
      expect.objectContaining({ path: "/v2/authentication" }),
    ]);
  });

  it("adopts a user created by someone else after the existing users were listed (409 on create)", async () => {
    await provider.create(inputs({ username: "first" }));
    sim.addUser({ username: "racer", email: "racer@example.com", roles: ["AAE_Basic"] });
    const { outs } = await provider.create(inputs({ username: "racer", email: "racer@example.com" }));
    expect(outs.adopted).toBe(true);
    expect(sim.requests.filter((r) => r.status === 409)).toHaveLength(1);
  });

  it("refuses to adopt a user with the same username but another email, without any write", async () => {
    sim.addUser({ username: "bob", email: "bob@other.com", roles: ["AAE_Basic"] });
    await expect(provider.create(inputs({ username: "bob", email: "alice@example.com" }))).rejects.toThrow(
      /Control Room user 'bob' \(id \d+\) belongs to bob@other\.com, not alice@example\.com: rollcall does not take over another person's account; nothing was changed\..*previousEmail: bob@other\.com/,
    );
    expect(sim.findUser("bob")!.email).toBe("bob@other.com");
    expect(sim.requests.filter((r) => r.method === "PUT" || (r.method === "POST" && r.path === "/v2/usermanagement/users"))).toEqual([]);
  });

  it("adopts a user whose email changed only when previousEmail names its current email", async () => {
    const carol = sim.addUser({ username: "carol", email: "carol@old.example.com", roles: ["AAE_Basic"] });
    const { id, outs } = await provider.create(
      inputs({ username: "carol", email: "carol@example.com", previousEmail: "Carol@Old.example.com" }),
    );
    expect(id).toBe(String(carol.id));
    expect(outs.adopted).toBe(true);
    expect(sim.findUser("carol")!.email).toBe("carol@example.com");
  });

  it("rejects an unknown role name with the closest valid names", async () => {
    await expect(provider.create(inputs({ username: "zed", roles: ["Bot Runer"] }))).rejects.toThrow(
      /Control Room user 'zed': no role named 'Bot Runer' \(did you mean 'Bot Runner'\?\) on http:\/\/127\.0\.0\.1:\d+\. Fix the role names in users\.yaml/,
    );
    expect(sim.findUser("zed")).toBeUndefined();
  });

  it("read returns the live user, and an empty id once it is gone; delete tolerates 404", async () => {
    const { id, outs } = await provider.create(inputs({ username: "gone", email: "gone@example.com" }));
    const live = await provider.read(id, outs as ControlRoomUserOutputs);
    expect(live.props).toMatchObject({ username: "gone", roles: ["AAE_Basic"] });
    await provider.delete(id);
    await provider.delete(id);
    expect(await provider.read(id, outs as ControlRoomUserOutputs)).toEqual({ id: "" });
  });

  it("a refresh reads pages, not people: many reads share one listing, and nothing it lists is trusted twice", async () => {
    const listed = [1, 2, 3, 4].map((n) => sim.addUser({ username: `page${n}`, email: `page${n}@example.com`, roles: ["AAE_Basic"] }));
    const fresh = new ControlRoomUserProvider();
    await fresh.configure(
      config({
        "rollcall:controlRoomUrl": sim.url,
        "rollcall:controlRoomUsername": SIM_ADMIN.username,
        "rollcall:controlRoomApiKey": SIM_ADMIN.apiKey,
      }),
    );
    const reads = await Promise.all(
      listed.slice(0, 3).map((u) => fresh.read(String(u.id), { ...inputs(), userId: u.id, roleIds: [], adopted: true })),
    );
    expect(reads.map((r) => r.props?.username)).toEqual(["page1", "page2", "page3"]);
    const perUser = () => sim.requests.filter((r) => r.method === "GET" && /\/usermanagement\/users\/\d+$/.test(r.path));
    expect(sim.requests.filter((r) => r.path.endsWith("/usermanagement/users/list"))).toHaveLength(1);
    expect(perUser()).toEqual([]);
    // Changed outside since the listing: a second read of the same user asks the API again.
    sim.users.get(listed[0]!.id)!.description = "changed after the listing";
    expect((await fresh.read(String(listed[0]!.id), reads[0]!.props as ControlRoomUserOutputs)).props).toMatchObject({
      description: "changed after the listing",
    });
    // Created after the listing: looked up by id, not declared gone.
    const late = sim.addUser({ username: "late", email: "late@example.com", roles: ["AAE_Basic"] });
    expect((await fresh.read(String(late.id), { ...inputs(), userId: late.id, roleIds: [], adopted: true })).id).toBe(String(late.id));
    expect(perUser()).toHaveLength(2);
    // Updated by this process before any read: the listing's old record is not handed out.
    const page4 = { ...inputs(), userId: listed[3]!.id, roleIds: [], adopted: true };
    await fresh.update(
      String(listed[3]!.id),
      page4,
      inputs({ username: "page4", email: "page4@example.com", description: "set by rollcall" }),
    );
    expect((await fresh.read(String(listed[3]!.id), page4)).props).toMatchObject({ description: "set by rollcall" });
    expect(perUser()).toHaveLength(3);
  });

  it("names the missing settings when credentials are not configured", async () => {
    const bare = new ControlRoomUserProvider();
    await bare.configure(config({ "rollcall:controlRoomUrl": sim.url }));
    await expect(bare.create(inputs({ username: "nobody" }))).rejects.toThrow(
      /missing setting rollcall:controlRoomUsername, rollcall:controlRoomApiKey \(or rollcall:controlRoomPassword\)/,
    );
  });
});
