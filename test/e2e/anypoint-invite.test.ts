// Orgs whose people sign in through an external identity provider: rollcall invites instead of
// creating, grants business-group access once the person has joined, and cancels the invitation
// of someone removed before joining. Through the real engine against the simulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutatingRequests } from "../../src/sim/harness";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const dana: TestPerson = { key: "dana", anypoint: { username: "dana.acme", businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } };
const eli: TestPerson = { key: "eli", anypoint: { username: "eli.acme", businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } };

describe("Anypoint invitations through the real engine", () => {
  let f: AnypointStackFixture;
  const master = () => `/accounts/api/organizations/${f.anypoint.state.master.id}`;
  beforeAll(async () => {
    f = await platformsStack("apinvite", { seed: { businessGroups: [{ name: "Sales" }] } }, { ROLLCALL_ANYPOINT_ONBOARDING: "invite" });
  });
  afterAll(async () => f?.dispose());

  it("invites new people by email instead of creating users, and grants nothing before they join", async () => {
    f.writeUsers(usersYaml([dana, eli]));
    expectOk(await f.stack.up(), "pulumi up");
    const mutating = mutatingRequests(f.anypoint.requests);
    expect(mutating.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${master()}/invites`, `POST ${master()}/invites`]);
    expect(
      mutating
        .flatMap((r) => r.body as { email: string }[])
        .map((b) => b.email)
        .sort(),
    ).toEqual(["dana@example.com", "eli@example.com"]);
    const users = await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser");
    expect(users.map((u) => u.id).every((id) => id!.startsWith("invite:"))).toBe(true);
  });

  it("grants the declared access once the person has joined (pulumi up --refresh)", async () => {
    // The identity provider brings the same names users.yaml has, so only the access changes.
    const joined = f.anypoint.state.acceptInvite("dana@example.com", "dana.acme", { firstName: "Dana", lastName: "Tester" });
    f.anypoint.server.clearLog();
    expectOk(await f.stack.up(["--refresh"]), "pulumi up --refresh");
    const s = f.anypoint.state;
    expect(s.rolesOf(joined.id, s.orgByName("Sales")!.id).map((r) => r.name)).toEqual(["Exchange Viewer"]);
    const user = (await f.resources("pulumi-nodejs:dynamic/rollcall:AnypointUser")).find((u) => u.urn.endsWith("::dana"))!;
    expect(user.id).toBe(joined.id);
    expect(mutatingRequests(f.anypoint.requests).map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /accounts/api/organizations/${s.orgByName("Sales")!.id}/users/${joined.id}/roles`,
    ]);
  });

  it("removing someone who has not joined cancels their invitation", async () => {
    const invite = [...f.anypoint.state.invites.values()].find((i) => i.email === "eli@example.com")!;
    f.writeUsers(usersYaml([dana]));
    f.anypoint.server.clearLog();
    expectOk(await f.stack.up(), "pulumi up");
    expect(mutatingRequests(f.anypoint.requests).map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`)).toEqual([
      `DELETE ${master()}/invites [${invite.id}]`,
    ]);
    expect(invite.status).toBe("CANCELED");
  });
});
