// A refresh or a removal that fails prints the failure once, without a stack trace: the Node.js
// dynamic-provider process echoes every read/delete error as `${e}: ${e.stack}` before the engine
// prints it (src/pulumi/provider-errors.ts drops that echo). Through the real engine, against both
// simulators answering 403 to reads and 500 to deletes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

const grant = { businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"] } } };
const people: TestPerson[] = ["ada", "bea"].map((key) => ({ key, controlRoom: { roles: ["AAE_Basic"] }, anypoint: grant }));

/**
 * How often `needle` appears in the engine's Diagnostics (where it lists each resource's messages
 * once; its progress lines repeat them by design), and the stack-trace lines printed anywhere.
 */
function printed(r: { stdout: string; stderr: string }, needle: RegExp): { times: number; stackLines: string[] } {
  const out = `${r.stdout}\n${r.stderr}`;
  const diagnostics = out.slice(out.indexOf("\nDiagnostics:\n")).split(/\n(?:Outputs|Resources):\n/)[0]!;
  return {
    times: diagnostics.match(new RegExp(needle.source, "g"))?.length ?? 0,
    stackLines: out.split("\n").filter((l) => /\sat .*\.[cm]?[jt]s:\d+:\d+/.test(l)),
  };
}

describe("a failing refresh or delete prints its message once, without a stack", () => {
  let f: AnypointStackFixture;
  beforeAll(async () => {
    f = await platformsStack("errprint");
    f.writeUsers(usersYaml(people));
    expectOk(await f.stack.up(), "pulumi up");
  });
  afterAll(async () => f?.dispose());

  it("refresh: a 403 on listing the Control Room users (every read shares the listing)", async () => {
    f.sim.server.injectFault({
      method: "POST",
      path: "/usermanagement/users/list$",
      status: 403,
      body: { code: "FORBIDDEN", message: "Access denied" },
      times: 100,
    });
    const r = await f.stack.refresh();
    f.sim.server.clearFaults();
    expect(r.code).not.toBe(0);
    // The user still learns which platform, which call, what came back and what to do, once per person.
    const p = printed(
      r,
      /Control Room: POST http:\S+\/usermanagement\/users\/list failed: HTTP 403: FORBIDDEN — Access denied\. The Control Room account rollcall uses lacks a permission/,
    );
    expect(p, r.stdout + r.stderr).toEqual({ times: people.length, stackLines: [] });
  });

  it("refresh: a 403 on listing the Anypoint users (every read shares one list, so one error for two people)", async () => {
    f.anypoint.server.injectFault({
      method: "GET",
      path: "/organizations/[^/]+/users$",
      status: 403,
      body: { message: "Forbidden" },
      times: 100,
    });
    const r = await f.stack.refresh();
    f.anypoint.server.clearFaults();
    expect(r.code).not.toBe(0);
    const p = printed(
      r,
      /Anypoint: GET http:\S+\/users\?\S* failed: HTTP 403: Forbidden\. Managing users needs the Organization Administrator role/,
    );
    expect(p, r.stdout + r.stderr).toEqual({ times: people.length, stackLines: [] });
  });

  it("delete: a 500 on removing a person from both platforms", async () => {
    f.writeUsers(usersYaml(people.slice(0, 1)));
    f.sim.server.injectFault({
      method: "DELETE",
      path: "/usermanagement/users/",
      status: 500,
      body: { code: "ERR", message: "Internal error" },
      times: 100,
    });
    f.anypoint.server.injectFault({ method: "DELETE", path: "/users", status: 500, body: { message: "Internal error" }, times: 100 });
    const r = await f.stack.up(["--continue-on-error"]);
    f.sim.server.clearFaults();
    f.anypoint.server.clearFaults();
    expect(r.code).not.toBe(0);
    const cr = printed(r, /Control Room: DELETE http:\S+ failed: HTTP 500: ERR — Internal error\./);
    const ap = printed(r, /Anypoint: DELETE http:\S+ failed: HTTP 500: Internal error\./);
    expect({ controlRoom: cr.times, anypoint: ap.times, stackLines: cr.stackLines }, r.stdout + r.stderr).toEqual({
      controlRoom: 1,
      anypoint: 1,
      stackLines: [],
    });
  });
});
