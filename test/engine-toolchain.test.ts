// Which engine rollcall's processes run (src/pulumi/engine/toolchain.ts): an installed CLI of at least the
// SDK's version as it is, else rollcall's cached build first on PATH; the SDK's dynamic-provider
// plugin only for an installed CLI that ships without one.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chooseEngine, compareVersions, engineCacheBin } from "../src/pulumi/engine/toolchain";

const work = mkdtempSync(path.join(os.tmpdir(), "rollcall-toolchain-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const exe = (file: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "#!/bin/sh\n");
  chmodSync(file, 0o755);
};
const LAUNCHER = "pulumi-resource-pulumi-nodejs";
const cache = path.join(work, "cache");
const root = path.join(work, "project");
const sdk = path.join(root, "node_modules/@pulumi/pulumi");
exe(path.join(sdk, LAUNCHER));
exe(path.join(engineCacheBin("3.259.0", { ROLLCALL_CACHE: cache }), "pulumi"));
const full = path.join(work, "official");
exe(path.join(full, "pulumi"));
exe(path.join(full, LAUNCHER));
const bare = path.join(work, "bare");
exe(path.join(bare, "pulumi"));

const choose = (PATH: string, version: string) => {
  const env: NodeJS.ProcessEnv = { ROLLCALL_CACHE: cache, PATH };
  return { engine: chooseEngine(root, "3.259.0", env, () => version), PATH: env.PATH };
};

describe("chooseEngine", () => {
  it("uses an installed CLI of the SDK's version or newer as it is, PATH unchanged", () => {
    for (const v of ["3.259.0", "3.260.1", "4.0.0"]) {
      expect(choose(`${full}:/usr/bin`, v)).toEqual({
        engine: { pulumi: path.join(full, "pulumi"), version: v, source: "installed" },
        PATH: `${full}:/usr/bin`,
      });
    }
  });

  it("puts rollcall's cached build first when the installed CLI is older, or there is none", () => {
    const bin = engineCacheBin("3.259.0", { ROLLCALL_CACHE: cache });
    expect(choose(`${full}:/usr/bin`, "3.258.9")).toEqual({
      engine: { pulumi: path.join(bin, "pulumi"), version: "3.259.0", source: "rollcall's build" },
      PATH: `${bin}:${full}:/usr/bin`,
    });
    expect(choose("/usr/bin", "").PATH).toBe(`${bin}:/usr/bin`);
  });

  it("adds the SDK's dynamic-provider plugin to PATH only for a CLI that ships without one", () => {
    expect(choose(`${bare}:/usr/bin`, "3.259.0").PATH).toBe(`${bare}:/usr/bin:${sdk}`);
    expect(choose(`${bare}:${full}`, "3.259.0").PATH).toBe(`${bare}:${full}`);
  });

  it("compares versions numerically", () => {
    expect(compareVersions("3.259.0", "3.99.0")).toBe(1);
    expect(compareVersions("v3.259.0", "3.259.0")).toBe(0);
    expect(compareVersions("3.258.10", "3.259.0")).toBe(-1);
  });
});
