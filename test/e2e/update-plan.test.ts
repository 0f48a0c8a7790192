// Do the engine's update plans (`pulumi preview --save-plan` then `pulumi up --plan`) work with
// rollcall's dynamic providers in the pinned engine? The merge-time workflow depends on the answer
// (docs/workflows.md "From a fresh clone"). Real engine, Control Room simulator.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlRoomStack, expectOk, usersYaml, type ControlRoomStackFixture } from "../support/stack";

describe("pulumi update plans with dynamic providers", () => {
  let f: ControlRoomStackFixture;
  beforeAll(async () => {
    f = await controlRoomStack("plans");
    f.writeUsers(
      usersYaml([
        { key: "ada", controlRoom: { roles: ["AAE_Admin"] } },
        { key: "alan", controlRoom: { roles: ["Bot Runner"] } },
      ]),
    );
    expectOk(await f.stack.up(), "pulumi up");
  });
  afterAll(async () => f?.dispose());

  it("preview --save-plan then up --plan applies the reviewed removal", async () => {
    f.writeUsers(usersYaml([{ key: "ada", controlRoom: { roles: ["AAE_Admin"] } }]));
    const plan = path.join(f.dir, "plan.json");
    const saved = await f.stack.preview(["--save-plan", plan]);
    const applied = await f.stack.up(["--plan", plan]);
    expectOk(saved, "pulumi preview --save-plan");
    expectOk(applied, "pulumi up --plan");
    expect(f.sim.findUser("alan")).toBeUndefined();
  });

  it("up --plan refuses to apply more than was reviewed: a removal added after the preview fails the up", async () => {
    f.writeUsers(
      usersYaml([
        { key: "ada", controlRoom: { roles: ["AAE_Admin"] } },
        { key: "grace", controlRoom: { roles: ["Bot Runner"] } },
      ]),
    );
    const plan = path.join(f.dir, "plan2.json");
    expectOk(await f.stack.preview(["--save-plan", plan]), "pulumi preview --save-plan");
    f.writeUsers(usersYaml([{ key: "grace", controlRoom: { roles: ["Bot Runner"] } }]));
    const applied = await f.stack.up(["--plan", plan]);
    expect(applied.code).not.toBe(0);
    expect(`${applied.stdout}${applied.stderr}`).toMatch(/plan/i);
    expect(f.sim.findUser("ada")).toBeDefined();
  });
});
