// Set-up never touches a Pulumi CLI the user installed: with a writable fake install (a `pulumi`
// that reports v3.259.0, beside fake plugins) first on PATH, scripts/setup.sh uses it as it is and
// leaves every file of it byte for byte the same. Runs the real set-up with the real cache, in a copy
// of the checkout whose node_modules links to this one's (so it compiles its own dist/, never the one
// other tests are running).
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../src/pulumi/engine/pulumi-cli";

const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => {
        const s = statSync(path.join(dir, f));
        return [f, { mode: s.mode, size: s.size, mtimeMs: s.mtimeMs, bytes: readFileSync(path.join(dir, f)).toString("base64") }];
      }),
  );

describe("scripts/setup.sh with an installed Pulumi CLI", () => {
  const work = mkdtempSync(path.join(os.tmpdir(), "rollcall-fake-pulumi-"));
  const install = path.join(work, "pulumi-install");
  const calls = path.join(work, "calls.log");
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("uses it as it is and changes none of its files", () => {
    spawnSync("mkdir", ["-p", install]);
    writeFileSync(path.join(install, "pulumi"), `#!/bin/sh\necho "$*" >> '${calls}'\n[ "$1" = version ] && echo v3.259.0\nexit 0\n`);
    writeFileSync(path.join(install, "pulumi-language-nodejs"), "#!/bin/sh\n# the user's own language host\nexit 1\n");
    writeFileSync(path.join(install, "pulumi-resource-pulumi-nodejs"), "#!/bin/sh\n# the user's own dynamic-provider plugin\nexit 1\n");
    for (const f of readdirSync(install)) chmodSync(path.join(install, f), 0o755);
    const before = snapshot(install);

    const checkout = path.join(work, "checkout");
    const skip = new Set(["node_modules", "dist", ".git", "bench-results"].map((d) => path.join(PROJECT_ROOT, d)));
    cpSync(PROJECT_ROOT, checkout, { recursive: true, filter: (src) => !skip.has(src) });
    symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(checkout, "node_modules"));
    const r = spawnSync("bash", [path.join(checkout, "scripts/setup.sh")], {
      cwd: checkout,
      encoding: "utf8",
      env: { ...process.env, PATH: `${install}${path.delimiter}${process.env.PATH}` },
      timeout: 600_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`setup: ready: node v`);
    expect(r.stderr).toContain(`pulumi ${install}/pulumi (v3.259.0, installed; used as it is)`);
    expect(snapshot(install)).toEqual(before);
    // Asked only for its version: set-up never ran it to change anything.
    expect(new Set(readFileSync(calls, "utf8").trim().split("\n"))).toEqual(new Set(["version"]));
  });
});
