// Credentials never reach the state or the engine's output, for both platforms, whether they are
// given with `pulumi config set --secret` or through the environment (the CI and demo path).
// After preview, up, refresh and failing runs (a platform error, a refused login), every
// credential and every token the simulators issued is searched for in: the exported state, each
// resource's stored provider (`__provider`), every file the backend wrote (checkpoints, history,
// backups), the stack's config file, and everything the engine printed, errors included.
// Seen red: with the shim copying the ROLLCALL_* environment into itself (CONTRIBUTING.md).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveFigures } from "../../src/tools/figures/live";
import type { RecordedRequest } from "../../src/sim/harness";
import { expectOk, platformsStack, usersYaml, type AnypointStackFixture, type TestPerson } from "../support/stack";

type Channel = "config" | "environment";

/** Distinctive values: no fixture default, no substring of another, never blanked. */
function credentials(channel: Channel) {
  const tag = channel === "config" ? "CFG" : "ENV";
  return {
    crUsername: `svc-rollcall-${channel}`,
    crApiKey: `crApiKey-${tag}-5a1f9e0c77d2b4`,
    crPassword: `crPassword-${tag}-Q8v!r2Lm`,
    apClientId: `ap-app-${channel}`,
    apClientSecret: `apClientSecret-${tag}-0d93b1c6aa`,
    apUsername: `svc-anypoint-${channel}`,
    apPassword: `apPassword-${tag}-Zx7#kP4w`,
  };
}

/** Every string the simulators answered under a key like token / access_token: the issued tokens. */
function issuedTokens(log: RecordedRequest[]): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (/token/i.test(k) && typeof x === "string" && x.length >= 8) found.add(x);
        else walk(x);
      }
  };
  for (const r of log) walk(r.response);
  return [...found];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => statSync(file).size < 20_000_000);
}

const people: TestPerson[] = [
  { key: "ada", controlRoom: {}, anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } },
  { key: "bob", controlRoom: { roles: ["Bot Runner"] }, anypoint: { businessGroups: { Sales: { roles: ["Exchange Contributor"] } } } },
];

describe.each<Channel>(["config", "environment"])("credentials given through %s never reach the state or the output", (channel) => {
  let f: AnypointStackFixture;
  const c = credentials(channel);
  const outputs: { what: string; text: string }[] = [];
  const run = async (what: string, p: Promise<{ code: number; stdout: string; stderr: string }>) => {
    const r = await p;
    outputs.push({ what, text: `${r.stdout}\n${r.stderr}` });
    return r;
  };

  beforeAll(async () => {
    // The fixture's default simulator credentials are blanked: only this channel's can work.
    const blank = { ROLLCALL_CONTROLROOM_API_KEY: "", ROLLCALL_ANYPOINT_CLIENT_ID: "", ROLLCALL_ANYPOINT_CLIENT_SECRET: "" };
    // The environment path uses passwords on both platforms; the config path API key and connected app
    // (with the passwords set too: unused secrets must not leak either).
    const env =
      channel === "environment"
        ? {
            ...blank,
            ROLLCALL_CONTROLROOM_USERNAME: c.crUsername,
            ROLLCALL_CONTROLROOM_PASSWORD: c.crPassword,
            ROLLCALL_ANYPOINT_USERNAME: c.apUsername,
            ROLLCALL_ANYPOINT_PASSWORD: c.apPassword,
          }
        : { ...blank, ROLLCALL_CONTROLROOM_USERNAME: "" };
    f = await platformsStack(
      `secrets-${channel}`,
      {
        seed: {
          businessGroups: [{ name: "Sales" }],
          users: [{ username: c.apUsername, password: c.apPassword, roles: [{ role: "Organization Administrator" }] }],
        },
      },
      env,
    );
    f.sim.addUser({ username: c.crUsername, apiKey: c.crApiKey, password: c.crPassword, roles: ["AAE_Admin"] });
    f.anypoint.state.addConnectedApp({ clientId: c.apClientId, clientSecret: c.apClientSecret, name: "rollcall", orgAdmin: true });
    if (channel === "config") {
      for (const [key, value, secret] of [
        ["controlRoomUsername", c.crUsername, false],
        ["controlRoomApiKey", c.crApiKey, true],
        ["controlRoomPassword", c.crPassword, true],
        ["anypointClientId", c.apClientId, false],
        ["anypointClientSecret", c.apClientSecret, true],
        ["anypointUsername", c.apUsername, false],
        ["anypointPassword", c.apPassword, true],
      ] as const)
        expectOk(await f.stack.setConfig(`rollcall:${key}`, value, secret), `config set ${key}`);
    }

    f.writeUsers(usersYaml(people));
    expectOk(await run("preview", f.stack.preview(["--diff"])), "pulumi preview");
    expectOk(await run("up", f.stack.up()), "pulumi up");
    expectOk(await run("refresh", f.stack.refresh()), "pulumi refresh");
    // A person removed and one changed: deletes and updates run the stored provider.
    f.writeUsers(usersYaml([{ ...people[0]!, lastName: "Changed" }]));
    expectOk(await run("up (update + delete)", f.stack.up()), "pulumi up");
    // Failing runs: each platform answers an error to the create of a new person.
    f.writeUsers(
      usersYaml([
        people[0]!,
        { key: "cyd", controlRoom: {} },
        { key: "dee", anypoint: { businessGroups: { Sales: { roles: ["Exchange Viewer"] } } } },
      ]),
    );
    f.sim.server.injectFault({
      method: "POST",
      path: "/usermanagement/users$",
      status: 500,
      body: { code: "UM500", details: null, message: "Internal error" },
      times: 10,
    });
    f.anypoint.server.injectFault({
      method: "POST",
      path: "/users$",
      status: 500,
      body: { status: 500, message: "Internal error" },
      times: 10,
    });
    const failed = await run("up failing on the platforms", f.stack.up());
    expect(failed.code).not.toBe(0);
    f.sim.server.clearFaults();
    f.anypoint.server.clearFaults();
    // A refused login (wrong credentials, themselves secrets too).
    f.sim.server.injectFault({
      path: "/authentication$",
      status: 401,
      body: { code: "UM1110", details: null, message: "Invalid credentials" },
      times: 10,
    });
    f.anypoint.server.injectFault({ path: "/(oauth2/token|login)$", status: 401, body: { error: "invalid_client" }, times: 10 });
    const refused = await run("preview with logins refused", f.stack.preview());
    expect(refused.code).not.toBe(0);
    f.sim.server.clearFaults();
    f.anypoint.server.clearFaults();
    // Seven engine runs: a bound for a loaded machine, not a timing claim.
  }, 900_000);
  afterAll(async () => f?.dispose());

  const secrets = () => {
    const tokens = [...issuedTokens(f.sim.requests), ...issuedTokens(f.anypoint.requests)];
    return {
      "Control Room API key": c.crApiKey,
      "Control Room password": c.crPassword,
      "Anypoint client secret": c.apClientSecret,
      "Anypoint password": c.apPassword,
      ...Object.fromEntries(tokens.map((t, i) => [`issued token #${i + 1}`, t])),
    };
  };
  const leaks = (text: string) =>
    Object.entries(secrets())
      .filter(([, value]) => text.includes(value))
      .map(([name]) => name);

  it("the runs really authenticated with this channel's credentials and received tokens", () => {
    const crLogin = f.sim.requests.find((r) => r.path.endsWith("/authentication") && r.status === 200)!.body as Record<string, string>;
    expect(crLogin).toMatchObject(
      channel === "config" ? { username: c.crUsername, apiKey: c.crApiKey } : { username: c.crUsername, password: c.crPassword },
    );
    const apLogin = f.anypoint.requests.find((r) => /\/(oauth2\/token|login)$/.test(r.path) && r.status === 200)!;
    expect(JSON.stringify(apLogin.body)).toContain(channel === "config" ? c.apClientSecret : c.apPassword);
    expect(issuedTokens(f.sim.requests).length).toBeGreaterThan(0);
    expect(issuedTokens(f.anypoint.requests).length).toBeGreaterThan(0);
    expect(outputs.map((o) => o.what)).toHaveLength(6);
  });

  it("the exported state holds none of them, nor does any stored provider (__provider)", async () => {
    const state = await f.stack.exportState();
    expect(leaks(JSON.stringify(state))).toEqual([]);
    const providers = (state.deployment.resources ?? []).filter((r) => r.outputs?.__provider);
    expect(providers.length).toBeGreaterThan(0);
    for (const r of providers) expect({ urn: r.urn, leaks: leaks(String(r.outputs!.__provider)) }).toEqual({ urn: r.urn, leaks: [] });
  });

  // Its own test: a leak makes the stored text longer, and must fail the leak test above, not this one alone.
  it("each stored provider is the shim whose size the README quotes (src/tools/figures/live.ts)", async () => {
    const state = await f.stack.exportState();
    const providers = (state.deployment.resources ?? []).filter((r) => r.outputs?.__provider);
    expect(providers.length).toBeGreaterThan(0);
    const live = Object.entries(await liveFigures())
      .filter(([k]) => !/\.(min|max)$/.test(k))
      .map(([, v]) => v);
    for (const r of providers) expect(live).toContain(Buffer.byteLength(String(r.outputs!.__provider)));
  });

  it("no file the backend wrote (checkpoints, history, backups) and not the stack config file holds them", () => {
    const stateDir = f.stack.opts.stateDir!;
    const files = [...filesUnder(stateDir), ...filesUnder(f.stack.opts.projectDir).filter((p) => /Pulumi\..*\.yaml$/.test(p))];
    expect(files.some((p) => p.includes(`${path.sep}history${path.sep}`))).toBe(true);
    const found = files
      .map((file) => ({ file: path.relative(f.dir, file), leaks: leaks(readFileSync(file, "latin1")) }))
      .filter((x) => x.leaks.length);
    expect(found).toEqual([]);
  });

  it("nothing the engine printed holds them, error messages included", () => {
    expect(outputs.find((o) => o.what === "up failing on the platforms")!.text).toMatch(/HTTP 500/);
    expect(outputs.find((o) => o.what === "preview with logins refused")!.text).toMatch(/refused/);
    expect(outputs.map((o) => ({ run: o.what, leaks: leaks(o.text) }))).toEqual(outputs.map((o) => ({ run: o.what, leaks: [] })));
  });
});
