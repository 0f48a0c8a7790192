// Identity through the real engine, on both platforms: a username that exists for another email is
// never taken over (preview and up fail naming both people, zero mutating calls, state unchanged);
// previousEmail adopts an email change explicitly; the preview says adopt vs create; undeclared
// members warn, or fail with rollcall:undeclaredMembers=fail.
import { afterEach, describe, expect, it } from "vitest";
import { previewWithProgramData } from "../../src/features/report/command";
import { mutatingRequests } from "../../src/sim/harness";
import { controlRoomStack, expectOk, platformsStack, usersYaml, type ControlRoomStackFixture } from "../support/stack";

const out = (r: { stdout: string; stderr: string }) => `${r.stdout}${r.stderr}`;
const stateResources = async (f: ControlRoomStackFixture) =>
  ((await f.stack.exportState()).deployment.resources ?? []).filter((r) => r.type.includes("rollcall:"));

describe("identity through the real engine", () => {
  let f: ControlRoomStackFixture | undefined;
  afterEach(async () => {
    await f?.dispose();
    f = undefined;
  });

  it("Control Room: a username that belongs to another email fails preview and up, naming both, with zero mutating calls", async () => {
    f = await controlRoomStack("crtakeover");
    f.sim.addUser({ username: "bob", email: "bob@other.com", roles: ["AAE_Basic"] });
    f.writeUsers(usersYaml([{ key: "alice", email: "alice@example.com", controlRoom: { username: "bob" } }]));
    f.sim.server.clearLog();
    const preview = await f.stack.preview();
    const up = await f.stack.up();
    for (const r of [preview, up]) {
      expect(r.code).not.toBe(0);
      expect(out(r)).toMatch(
        /users\.yaml:\d+:\d+ users\[0\]\.controlRoom\.username: alice: the Control Room username 'bob' already belongs to bob@other\.com \(Control Room user id \d+\), not to alice@example\.com; rollcall will not take over another person's account\..*previousEmail: bob@other\.com/s,
      );
    }
    expect(mutatingRequests(f.sim.requests)).toEqual([]);
    expect(f.sim.findUser("bob")!.email).toBe("bob@other.com");
    expect(await stateResources(f)).toEqual([]);
  });

  it("Control Room: previousEmail adopts a user whose email changed, and the preview says the email changes", async () => {
    f = await controlRoomStack("cradoptemail");
    f.sim.addUser({ username: "bob", email: "bob@other.com", roles: ["AAE_Basic"] });
    // The explicit way: previousEmail adopts it and changes its email; the preview says so.
    f.writeUsers(
      usersYaml([{ key: "alice", email: "alice@example.com", controlRoom: { username: "bob", previousEmail: "bob@other.com" } }]),
    );
    const adopt = await f.stack.preview();
    expectOk(adopt, "preview with previousEmail");
    expect(out(adopt)).toContain("alice: adopts the existing Control Room user 'bob'");
    expect(out(adopt)).toContain("changes its email from bob@other.com to alice@example.com");
    expectOk(await f.stack.up(), "up with previousEmail");
    expect(f.sim.findUser("bob")!.email).toBe("alice@example.com");
    expect([...f.sim.users.values()].filter((u) => u.username === "bob")).toHaveLength(1);
  });

  it("Anypoint: a username that belongs to another email fails preview and up, naming both, with zero mutating calls", async () => {
    const p = await platformsStack("aptakeover", { seed: { users: [{ username: "bob", email: "bob@other.com" }] } });
    f = p;
    p.writeUsers(
      usersYaml([
        {
          key: "alice",
          email: "alice@example.com",
          anypoint: { username: "bob", businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } },
        },
      ]),
    );
    p.anypoint.server.clearLog();
    const preview = await p.stack.preview();
    const up = await p.stack.up();
    for (const r of [preview, up]) {
      expect(r.code).not.toBe(0);
      expect(out(r)).toMatch(
        /users\.yaml:\d+:\d+ users\[0\]\.anypoint\.username: alice: the Anypoint username 'bob' already belongs to bob@other\.com \(Anypoint user id [\w-]+\), not to alice@example\.com; rollcall will not take over another person's account\..*previousEmail: bob@other\.com/s,
      );
    }
    expect(mutatingRequests(p.anypoint.requests)).toEqual([]);
    expect(p.anypoint.state.findUser("bob")!.email).toBe("bob@other.com");
    expect(await stateResources(p)).toEqual([]);
  });

  it("Anypoint: previousEmail adopts a user whose email changed, and up changes its email", async () => {
    const p = await platformsStack("apadoptemail", { seed: { users: [{ username: "bob", email: "bob@other.com" }] } });
    f = p;
    p.writeUsers(
      usersYaml([
        {
          key: "alice",
          email: "alice@example.com",
          anypoint: { username: "bob", previousEmail: "bob@other.com", businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } },
        },
      ]),
    );
    const adopt = await p.stack.preview();
    expectOk(adopt, "preview with previousEmail");
    expect(out(adopt)).toContain("alice: adopts the existing Anypoint user 'bob'");
    expectOk(await p.stack.up(), "up with previousEmail");
    expect(p.anypoint.state.findUser("bob")!.email).toBe("alice@example.com");
    expect(p.anypoint.requests.filter((r) => r.method === "POST" && /\/users$/.test(r.path))).toEqual([]);
  });

  it("the preview tells adopt from create, and lists undeclared members per platform and business group; fail mode fails it", async () => {
    const p = await platformsStack("adoptcreate", {
      seed: {
        businessGroups: ["Sales"],
        users: [
          { username: "ada.acme", email: "ada@example.com" },
          { username: "zed.acme", email: "zed@example.com", roles: [{ role: "Exchange Viewer", org: "Sales" }] },
        ],
      },
    });
    f = p;
    p.sim.addUser({ username: "ada", email: "ada@example.com", roles: ["AAE_Basic"] });
    p.sim.addUser({ username: "stranger", email: "stranger@example.com", roles: ["AAE_Basic"] });
    p.writeUsers(
      usersYaml([
        { key: "ada", controlRoom: {}, anypoint: { businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } } },
        { key: "grace", controlRoom: {}, anypoint: { businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } } },
      ]),
    );
    const { result, digest, data } = await previewWithProgramData(p.stack);
    expectOk(result, "preview --json");
    // The program's data file carries them (src/features/report/program-data.ts), not log lines.
    expect((digest.diagnostics ?? []).map((d) => d.message).join("\n")).not.toMatch(/rollcall:(identity|undeclared|report) \{/);
    const identity = data.identity!;
    expect(
      identity.steps.map((s: { key: string; platform: string; action: string }) => `${s.key} ${s.platform} ${s.action}`).sort(),
    ).toEqual(["ada anypoint adopt", "ada controlRoom adopt", "grace anypoint create", "grace controlRoom create"]);
    expect(data.undeclared).toEqual({
      mode: "warn",
      controlRoom: { count: 1, usernames: ["stranger"] },
      anypoint: { count: 1, usernames: ["zed.acme"], businessGroups: { Sales: ["zed.acme"] } },
    });
    const warnings = (digest.diagnostics ?? [])
      .filter((d) => d.severity === "warning")
      .map((d) => d.message)
      .join("\n");
    expect(warnings).toContain("undeclared members: Control Room: 1 user is not in users.yaml: stranger.");
    expect(warnings).toContain("undeclared members: Anypoint business group 'Sales': 1 of them: zed.acme.");

    expectOk(await p.stack.setConfig("rollcall:undeclaredMembers", "fail"), "config set");
    p.sim.server.clearLog();
    const strict = await p.stack.preview();
    expect(strict.code).not.toBe(0);
    expect(out(strict)).toContain("rollcall:undeclaredMembers is fail, so this preview fails");
    expect(out(strict)).toContain("rollcall export");
    expect(mutatingRequests(p.sim.requests)).toEqual([]);
  });
});
