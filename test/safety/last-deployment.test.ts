// The last deployment fails CLOSED (src/features/safety/last-deployment.ts): when the engine cannot answer
// the read of the stack's outputs, the run stops with a message — the removal limits and protected
// identities are never checked against "nothing" (issue #19: a claim no test guarded). The engine is
// mocked here (unit test): its invoke fails as a broken state backend's would.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { LastDeploymentError, readLastDeployment } from "../../src/features/safety/last-deployment";

const engine = (call: (args: pulumi.runtime.MockCallArgs) => Record<string, unknown>) =>
  pulumi.runtime.setMocks(
    { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call },
    "rollcall",
    "unit",
    false,
    "organization",
  );

describe("reading the last deployment", () => {
  it("an engine error while reading the stack's outputs stops the run, naming the stack and what to check", async () => {
    await engine((args) => {
      if (args.token === "pulumi:pulumi:readStackOutputs") throw new Error("state backend unreachable");
      return {};
    });
    const error = await readLastDeployment().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LastDeploymentError);
    expect((error as Error).message).toMatch(
      /Could not read the last deployment of stack .*unit \(.+\), so the removal limits and protected identities cannot be checked; nothing was sent/,
    );
  });

  it("outputs that are read: the roster comes back (the same path, answering)", async () => {
    await engine(() => ({ outputs: { roster: { ada: { email: "ada@example.com", firstName: "Ada", lastName: "L", protected: false } } } }));
    const last = await readLastDeployment();
    expect(last?.roster).toHaveProperty("ada");
  });
});
