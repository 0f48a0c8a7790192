// Preflight through the real engine: credentials that cannot do what the change needs fail
// `pulumi preview` with a clear message, before any mutating call.
import { afterEach, describe, expect, it } from "vitest";
import { SIM_ANYPOINT_VIEWER_APP } from "../../src/sim/anypoint/simulator";
import { mutatingRequests } from "../../src/sim/harness";
import { controlRoomStack, expectOk, platformsStack, usersYaml, type ControlRoomStackFixture } from "../support/stack";

const out = (r: { stdout: string; stderr: string }) => `${r.stdout}${r.stderr}`;
const KEY = "viewer-api-key-0123456789abcdef012345678";

describe("preflight through the real engine", () => {
  let f: ControlRoomStackFixture | undefined;
  afterEach(async () => {
    await f?.dispose();
    f = undefined;
  });

  it("Control Room: a login whose role cannot create users fails the preview naming the permission; with it the preview passes", async () => {
    f = await controlRoomStack("crpreflight", undefined, {
      ROLLCALL_CONTROLROOM_USERNAME: "viewer-bot",
      ROLLCALL_CONTROLROOM_API_KEY: KEY,
    });
    const bot = f.sim.addUser({ username: "viewer-bot", apiKey: KEY, roles: ["User Viewer"] });
    f.writeUsers(usersYaml([{ key: "ada", controlRoom: {} }]));
    f.sim.server.clearLog();
    const preview = await f.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(out(preview)).toMatch(
      /Control Room preflight \(http:\/\/127\.0\.0\.1:\d+\): the login 'viewer-bot' \(roles 'User Viewer'\) lacks 'Create users' \(this change creates 'ada'\); nothing was sent\. Give its role those permissions/,
    );
    expect(mutatingRequests(f.sim.requests)).toEqual([]);
    expect(f.sim.findUser("ada")).toBeUndefined();

    // The same login without View users cannot even list: said so, before anything else.
    bot.roleIds = [[...f.sim.roles.values()].find((r) => r.name === "AAE_Basic")!.id];
    const blind = await f.stack.preview();
    expect(blind.code).not.toBe(0);
    expect(out(blind)).toContain(
      "the login 'viewer-bot' may not list users (POST …/usermanagement/users/list answered 403): its role lacks 'View users'",
    );

    bot.roleIds = [[...f.sim.roles.values()].find((r) => r.name === "AAE_Admin")!.id];
    expectOk(await f.stack.preview(), "preview as an admin");
  });

  it("ROLLCALL_PREFLIGHT=preview: a read-only identity previews (reporting what the apply identity will need); its up is refused by the full check, nothing sent", async () => {
    const p = await platformsStack("readonlypreview", undefined, {
      ROLLCALL_PREFLIGHT: "preview",
      ROLLCALL_CONTROLROOM_USERNAME: "viewer-bot",
      ROLLCALL_CONTROLROOM_API_KEY: KEY,
      ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_VIEWER_APP.clientId,
      ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_VIEWER_APP.clientSecret,
    });
    f = p;
    p.sim.addUser({ username: "viewer-bot", apiKey: KEY, roles: ["User Viewer"] });
    p.writeUsers(
      usersYaml([{ key: "ada", controlRoom: {}, anypoint: { businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } } }]),
    );
    p.sim.server.clearLog();
    p.anypoint.server.clearLog();
    const preview = await p.stack.preview();
    expectOk(preview, "preview by the read-only identity");
    expect(out(preview)).toMatch(
      /preflight: this preview checked only what reading needs; the apply identity will need Control Room: 'View users', 'View roles', 'Create users' \(this change creates 'ada'\); Anypoint: Organization Administrator of the master organization 'Acme Corp' \(the apply checks that with its own credentials\)\./,
    );
    const up = await p.stack.up();
    expect(up.code).not.toBe(0);
    expect(out(up)).toMatch(
      /Control Room preflight \(http:\/\/127\.0\.0\.1:\d+\): the login 'viewer-bot' \(roles 'User Viewer'\) lacks 'Create users' \(this change creates 'ada'\); nothing was sent\./,
    );
    expect(mutatingRequests(p.sim.requests)).toEqual([]);
    expect(mutatingRequests(p.anypoint.requests)).toEqual([]);
    expect(p.sim.findUser("ada")).toBeUndefined();
  });

  it("Anypoint: credentials without Organization Administrator fail the preview, before any mutating call", async () => {
    const p = await platformsStack("appreflight", undefined, {
      ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_VIEWER_APP.clientId,
      ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_VIEWER_APP.clientSecret,
    });
    f = p;
    p.writeUsers(usersYaml([{ key: "ada", anypoint: { businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } } }]));
    p.anypoint.server.clearLog();
    const preview = await p.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(out(preview)).toMatch(
      /Anypoint preflight \(http:\/\/127\.0\.0\.1:\d+\): the connected app 'viewer' \([\w-]+\) is not Organization Administrator of the master organization 'Acme Corp', which managing users needs; nothing was sent\./,
    );
    expect(mutatingRequests(p.anypoint.requests)).toEqual([]);
    expect(p.anypoint.state.findUser("ada.acme")).toBeUndefined();
  });

  it("both platforms failing preflight are both named in one preview; a Control Room login missing from its own listing fails closed", async () => {
    const p = await platformsStack("bothpreflight", undefined, {
      ROLLCALL_ANYPOINT_CLIENT_ID: SIM_ANYPOINT_VIEWER_APP.clientId,
      ROLLCALL_ANYPOINT_CLIENT_SECRET: SIM_ANYPOINT_VIEWER_APP.clientSecret,
    });
    f = p;
    p.writeUsers(
      usersYaml([{ key: "ada", controlRoom: {}, anypoint: { businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } } }]),
    );
    // A listing scoped so that rollcall's own login is not in it: nothing says what that login may do.
    p.sim.server.injectFault({
      path: "/usermanagement/users/list$",
      status: 200,
      body: { page: { offset: 0, total: 0, totalFilter: 0 }, list: [] },
      times: 5,
    });
    p.sim.server.clearLog();
    p.anypoint.server.clearLog();
    const preview = await p.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(out(preview)).toMatch(
      /Control Room preflight \(http:\/\/127\.0\.0\.1:\d+\): the login 'rollcall-bot' is not among the users it can list, so its role's permissions cannot be checked; nothing was sent\./,
    );
    expect(out(preview)).toMatch(
      /Anypoint preflight \(http:\/\/127\.0\.0\.1:\d+\): the connected app 'viewer' \([\w-]+\) is not Organization Administrator/,
    );
    expect([...mutatingRequests(p.sim.requests), ...mutatingRequests(p.anypoint.requests)]).toEqual([]);
  });

  it("Anypoint: a user login is checked through its roles in the master organization (role groups and teams included)", async () => {
    const p = await platformsStack(
      "apuserpreflight",
      { seed: { users: [{ username: "ops", email: "ops@example.com", password: "Passw0rd-ops" }] } },
      {
        ROLLCALL_ANYPOINT_CLIENT_ID: "",
        ROLLCALL_ANYPOINT_CLIENT_SECRET: "",
        ROLLCALL_ANYPOINT_USERNAME: "ops",
        ROLLCALL_ANYPOINT_PASSWORD: "Passw0rd-ops",
      },
    );
    f = p;
    p.writeUsers(
      usersYaml([
        {
          key: "ops",
          email: "ops@example.com",
          anypoint: { username: "ops", businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } },
        },
      ]),
    );
    const preview = await p.stack.preview();
    expect(preview.code).not.toBe(0);
    expect(out(preview)).toContain("the user 'ops' is not Organization Administrator of the master organization 'Acme Corp'");
    expect(mutatingRequests(p.anypoint.requests)).toEqual([]);
  });
});
