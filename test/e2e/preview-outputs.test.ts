// `rollcall preview` through the real engine on the simulators: what it needs from the program
// travels through a file, so a plain `pulumi preview` prints people and messages, no JSON; and the
// results a workflow decides from — $GITHUB_OUTPUT, the exit code, the comment, the job summary and
// the artifact — come out for each kind of change.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runPreviewReport } from "../../src/features/report/command";
import { mutatingRequests } from "../../src/sim/harness";
import { controlRoomStack, expectOk, usersYaml, type ControlRoomStackFixture, type TestPerson } from "../support/stack";

const ada: TestPerson = { key: "ada", controlRoom: { roles: ["AAE_Basic"] } };
const grace: TestPerson = { key: "grace", controlRoom: { roles: ["AAE_Basic", "Bot Runner"] } };
const alan: TestPerson = { key: "alan", controlRoom: { roles: ["AAE_Basic"] } };

describe("rollcall preview's outputs, through the real engine", () => {
  let f: ControlRoomStackFixture;
  let dir: string;
  const env = () => ({
    GITHUB_OUTPUT: path.join(dir, "output"),
    GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
    GITHUB_SHA: "abc123",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "acme/people",
    GITHUB_RUN_ID: "9",
  });
  const run = async (extra: { commentFile?: string; artifactDir?: string } = {}) => {
    for (const file of ["output", "summary.md"]) writeFileSync(path.join(dir, file), "");
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const code = await runPreviewReport(f.stack, { stack: "previewout", detailedExitcode: true, ...extra }, env());
      return { code, output: readFileSync(path.join(dir, "output"), "utf8"), summary: readFileSync(path.join(dir, "summary.md"), "utf8") };
    } finally {
      write.mockRestore();
      err.mockRestore();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rollcall-previewout-"));
    f = await controlRoomStack("previewout", undefined, { ROLLCALL_REMOVAL_LIMITS: JSON.stringify({ controlRoomUsers: { count: 1 } }) });
    f.writeUsers(usersYaml([ada, grace, alan]));
    expectOk(await f.stack.up(), "up");
  });
  afterAll(async () => {
    await f?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("no access change: exit 0, label no-access-change", async () => {
    const r = await run();
    expect(r.output).toBe("removed=0\nreduced=0\nchanged=0\nrefused=false\nlabel=no-access-change\n");
    expect(r.code).toBe(0);
  });

  it("a plain pulumi preview shows people and messages, no JSON blobs; rollcall preview still reports the adopt and the undeclared", async () => {
    f.sim.addUser({ username: "mary", email: "mary@example.com", roles: ["AAE_Basic"] });
    f.sim.addUser({ username: "zed", email: "zed@example.com", roles: ["AAE_Basic"] });
    f.writeUsers(usersYaml([ada, grace, alan, { key: "mary", controlRoom: {} }]));
    const plain = await f.stack.preview();
    expectOk(plain, "pulumi preview");
    const text = `${plain.stdout}${plain.stderr}`;
    expect(text).toContain("mary: adopts the existing Control Room user 'mary'");
    expect(text).not.toMatch(/rollcall:(identity|undeclared|report) /);
    expect(text).not.toMatch(/\{"(version|adopted|steps)"/);
    const comment = path.join(dir, "comment.md");
    const r = await run({ commentFile: comment });
    expect(r.code).toBe(2);
    expect(r.output).toBe("removed=0\nreduced=0\nchanged=1\nrefused=false\nlabel=access-change\n");
    const md = readFileSync(comment, "utf8");
    expect(md).toContain("  - Control Room `mary`: adopted (roles: +AAE_Basic)");
    expect(md).toContain("> - Control Room user `zed` is on the platform but not in users.yaml");
    expect(md).toContain("· commit `abc123` · [run](https://github.com/acme/people/actions/runs/9)");
  });

  it("a removed user and a lost role: access-removal, reduced counted, the full report in the summary and the artifact", async () => {
    f.writeUsers(usersYaml([ada, { ...grace, controlRoom: { roles: ["AAE_Basic"] } }]));
    const comment = path.join(dir, "comment.md");
    const artifact = path.join(dir, "artifact");
    const r = await run({ commentFile: comment, artifactDir: artifact });
    expect(r.output).toBe("removed=1\nreduced=1\nchanged=2\nrefused=false\nlabel=access-removal\n");
    expect(r.code).toBe(2);
    const md = readFileSync(comment, "utf8");
    expect(md).toContain(
      "> **Access will be REMOVED** for 1 person:\n> - **alan**: Control Room user `alan`\n>\n> **Reduced for 1 person:**\n> - **grace**: Control Room −Bot Runner\n",
    );
    expect(r.summary).toBe(readFileSync(path.join(artifact, "report.md"), "utf8"));
    expect(r.summary).toContain("> - **grace**: Control Room −Bot Runner");
    const saved = JSON.parse(readFileSync(path.join(artifact, "preview.json"), "utf8"));
    expect(saved.steps.some((s: { op: string; urn: string }) => s.op === "delete" && s.urn.endsWith("::alan"))).toBe(true);
    expect(saved.rollcall.report.undeclared).toEqual([
      { platform: "Control Room", username: "mary" },
      { platform: "Control Room", username: "zed" },
    ]);
  });

  it("refused by a removal guard: exit 3 and refused=true, nothing sent", async () => {
    f.writeUsers(usersYaml([grace]));
    f.sim.server.clearLog();
    const r = await run();
    // The guard stops the program before it declares anyone: no steps to count, yet a removal refused.
    expect(r.output).toBe("removed=0\nreduced=0\nchanged=0\nrefused=true\nlabel=access-removal\n");
    expect(r.code).toBe(3);
    expect(mutatingRequests(f.sim.requests)).toEqual([]);
  });

  it("any other failure: exit 1", async () => {
    f.writeUsers("version: 1\nusers:\n  - key: ada\n    email: not-an-email\n");
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.output).toContain("refused=false\n");
    expect(existsSync(path.join(dir, "output"))).toBe(true);
  });
});
