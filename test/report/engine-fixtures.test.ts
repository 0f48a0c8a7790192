// The report's fixtures come from the real engine: this test runs `pulumi preview --json` against
// the simulators and checks that the report of the live JSON equals the report of the committed
// fixture (the renderer ignores ids, URNs' stack part and timestamps). With
// ROLLCALL_WRITE_FIXTURES=1 it rewrites test/fixtures/preview/*.json from the live run instead.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PreviewDigest } from "../../src/pulumi/engine/pulumi-cli";
import { buildReport } from "../../src/features/report/report";
import { renderText } from "../../src/features/report/render";
import { expectOk, platformsStack, type AnypointStackFixture } from "../support/stack";

const FIXTURES = path.resolve(__dirname, "../fixtures/preview");
const WRITE = process.env.ROLLCALL_WRITE_FIXTURES === "1";

type Person = {
  key: string;
  controlRoom?: { roles?: string[]; licenses?: string[] };
  anypoint?: { businessGroups: Record<string, { roles?: string[]; teams?: string[] }> };
};

function checkFixture(name: string, digest: PreviewDigest): void {
  const file = path.join(FIXTURES, `${name}.json`);
  if (WRITE) writeFileSync(file, `${JSON.stringify(digest, null, 2)}\n`);
  const committed = JSON.parse(readFileSync(file, "utf8")) as PreviewDigest;
  expect(renderText(buildReport(digest))).toBe(renderText(buildReport(committed)));
}

describe("preview fixtures captured from the real engine", () => {
  let f: AnypointStackFixture;
  const base = parse(readFileSync(path.resolve(__dirname, "../../users.yaml"), "utf8")) as { users: Person[] };
  beforeAll(async () => {
    f = await platformsStack("reportfix", { seed: { businessGroups: [{ name: "Sales" }, { name: "Engineering" }], teams: ["Approvers"] } });
    f.writeUsers(stringify(base));
    expectOk(await f.stack.up(), "pulumi up (the checkout's users.yaml)");
  });
  afterAll(async () => f?.dispose());

  it("mixed: one person removed, one changed on both platforms, one added", async () => {
    const next = structuredClone(base);
    next.users = next.users.filter((p) => p.key !== "alan");
    const grace = next.users.find((p) => p.key === "grace")!;
    grace.controlRoom!.roles = ["Bot Runner"];
    grace.controlRoom!.licenses = [];
    grace.anypoint!.businessGroups = {
      Sales: { roles: ["Exchange Viewer"], teams: ["Approvers"] },
      Engineering: { roles: ["API Creator"] },
    };
    const katherine = next.users.find((p) => p.key === "katherine")!;
    delete katherine.anypoint!.businessGroups.Engineering;
    next.users.push({
      key: "mary",
      email: "mary.jackson@example.com",
      firstName: "Mary",
      lastName: "Jackson",
      controlRoom: { username: "mary.jackson", roles: ["Bot Runner"] },
    } as Person);
    f.writeUsers(stringify(next));
    const { result, digest } = await f.stack.previewJson();
    expectOk(result, "pulumi preview --json");
    checkFixture("mixed", digest);
  });

  it("nothing to do: the stack matches users.yaml", async () => {
    f.writeUsers(stringify(base));
    const { result, digest } = await f.stack.previewJson();
    expectOk(result, "pulumi preview --json");
    checkFixture("unchanged", digest);
  });
});
