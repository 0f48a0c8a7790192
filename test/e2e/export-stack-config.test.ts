// `rollcall export --stack NAME` reads the credentials the program would use: the stack's config,
// secrets decrypted through `pulumi config --show-secrets --json`, with nothing in the environment.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIM_ADMIN } from "../../src/sim/controlroom/simulator";
import { PROJECT_ROOT, engineEnv } from "../../src/pulumi/engine/pulumi-cli";
import { parseUsersYaml } from "../../src/core/model/load";
import { controlRoomStack, expectOk, type ControlRoomStackFixture } from "../support/stack";

describe("rollcall export --stack", () => {
  let f: ControlRoomStackFixture;
  beforeAll(async () => {
    f = await controlRoomStack("exportcfg");
    f.sim.seed({
      users: [
        {
          username: "Grace.Hopper",
          email: "Grace.Hopper@Example.com",
          firstName: "Grace",
          lastName: "Hopper",
          roles: ["Bot Runner"],
          licenseFeatures: ["DEVELOPMENT"],
        },
      ],
    });
    expectOk(await f.stack.setConfig("rollcall:controlRoomUrl", f.sim.url), "config set");
    expectOk(await f.stack.setConfig("rollcall:controlRoomUsername", SIM_ADMIN.username), "config set");
    expectOk(await f.stack.setConfig("rollcall:controlRoomApiKey", SIM_ADMIN.apiKey, true), "config set --secret");
  });
  afterAll(async () => f?.dispose());

  it("logs in with the stack's decrypted secret and exports one platform", async () => {
    const env = engineEnv(f.stack.opts);
    for (const k of Object.keys(env)) if (k.startsWith("ROLLCALL_")) delete env[k];
    const out = path.join(f.dir, "exported.yaml");
    await promisify(execFile)(
      "node",
      [
        path.join(PROJECT_ROOT, "dist/cli/rollcall.js"),
        "export",
        "--stack",
        "exportcfg",
        "--cwd",
        f.stack.opts.projectDir,
        "--platform",
        "controlroom",
        "--out",
        out,
      ],
      { env },
    );
    const model = parseUsersYaml(readFileSync(out, "utf8"), out);
    expect(model.people.map((p) => [p.key, p.email, p.controlRoom?.username, p.controlRoom?.roles, p.controlRoom?.licenses])).toEqual([
      ["grace.hopper", "grace.hopper@example.com", "Grace.Hopper", ["Bot Runner"], ["DEVELOPMENT"]],
    ]);
    const login = f.sim.requests.find((r) => r.path === "/v2/authentication")!;
    expect(login.body).toMatchObject({ username: SIM_ADMIN.username, apiKey: SIM_ADMIN.apiKey });
  });
});
