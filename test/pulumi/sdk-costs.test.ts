// The SDK's per-resource costs turned down: internal promises without a stack each (same settling,
// same leak tracking), and no registration debug messages (any other still goes through).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { skipOutputProperties, skipRegistrationDebugLogs, trackPromisesWithoutStacks } from "../../src/pulumi/sdk-costs";

// The modules the SDK itself calls (CommonJS: the exports objects its code reads at call time).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable: { debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T> } = require("@pulumi/pulumi/runtime/debuggable");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const state: { getStore: () => { leakCandidates: Set<Promise<unknown>> } } = require("@pulumi/pulumi/runtime/state");

describe("trackPromisesWithoutStacks", () => {
  it("keeps each promise's settling and the SDK's leak tracking, without a stack or description", async () => {
    trackPromisesWithoutStacks();
    trackPromisesWithoutStacks(); // idempotent: a second call does not wrap the wrapper
    debuggable.debuggablePromise(Promise.resolve(0), "first: the SDK's own, which schedules the leak report");

    let resolve!: (v: number) => void;
    const pending = new Promise<number>((r) => (resolve = r));
    const wrapped = debuggable.debuggablePromise(pending, "transferProperty(r, roles, [...])");
    expect(state.getStore().leakCandidates.has(pending)).toBe(true);
    expect(Object.getOwnPropertyNames(pending)).toEqual([]); // no _debugStackTrace, _debugCtx, _debugId
    resolve(42);
    expect(await wrapped).toBe(42);
    expect(state.getStore().leakCandidates.has(pending)).toBe(false);

    const failure = new Error("registration failed");
    const rejected = Promise.reject(failure);
    const wrappedRejection = debuggable.debuggablePromise(rejected, "x");
    await expect(wrappedRejection).rejects.toBe(failure);
    expect(state.getStore().leakCandidates.has(rejected)).toBe(false);
    expect((failure as { promise?: unknown }).promise).toBe(rejected);
  });
});

describe("skipRegistrationDebugLogs", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdkLog: { debug: (msg: string) => Promise<void> } = require("@pulumi/pulumi/log");

  it("drops the SDK's three messages per resource and passes every other debug message on", async () => {
    const original = sdkLog.debug;
    const sent: string[] = [];
    sdkLog.debug = async (msg: string) => void sent.push(msg); // where the SDK would send a Log RPC
    try {
      skipRegistrationDebugLogs({});
      skipRegistrationDebugLogs({}); // idempotent
      for (const msg of [
        "Registering resource: t=rollcall:AnypointUser, name=p1",
        "RegisterResource RPC prepared: t=x, name=p1",
        "RegisterResource RPC finished: resource:p1; err: null",
        "Reading resource: t=x",
        "Resource RPC serialization requested: x",
      ])
        await sdkLog.debug(msg);
      expect(sent).toEqual(["Reading resource: t=x", "Resource RPC serialization requested: x"]);
    } finally {
      sdkLog.debug = original;
    }
  });

  it("sends them all with ROLLCALL_SDK_DEBUG=true", async () => {
    const original = sdkLog.debug;
    const sent: string[] = [];
    sdkLog.debug = async (msg: string) => void sent.push(msg);
    try {
      skipRegistrationDebugLogs({ ROLLCALL_SDK_DEBUG: "true" });
      await sdkLog.debug("Registering resource: t=x, name=p1");
      expect(sent).toEqual(["Registering resource: t=x, name=p1"]);
    } finally {
      sdkLog.debug = original;
    }
  });
});

describe("skipOutputProperties", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rpc: {
    transferProperties: (onto: object, label: string, props: Record<string, unknown>) => Record<string, unknown>;
  } = require("@pulumi/pulumi/runtime/rpc");

  it("gives a dynamic resource no Output per input property, and any other resource its Outputs as before", () => {
    const original = rpc.transferProperties;
    try {
      skipOutputProperties();
      skipOutputProperties(); // idempotent
      const dynamic: Record<string, unknown> = { __pulumiType: "pulumi-nodejs:dynamic/rollcall:AnypointUser" };
      expect(rpc.transferProperties(dynamic, "resource:p1", { username: "p1", roles: ["a"] })).toEqual({});
      expect(Object.keys(dynamic)).toEqual(["__pulumiType"]);

      const other: Record<string, unknown> = { __pulumiType: "aws:s3/bucket:Bucket" };
      const resolvers = rpc.transferProperties(other, "resource:b", { bucket: "b" });
      expect(Object.keys(resolvers)).toEqual(["bucket"]);
      expect(Object.keys(other)).toEqual(["__pulumiType", "bucket"]);
    } finally {
      rpc.transferProperties = original;
    }
  });
});

describe("the SDK calls what rollcall replaces (an upgrade that moves them fails here, not silently)", () => {
  const source = (file: string) => readFileSync(require.resolve(`@pulumi/pulumi/${file}`), "utf8");

  it("registers through log.debug, debuggable_1.debuggablePromise and the parent's __childResources", () => {
    const resource = source("runtime/resource.js");
    for (const message of ["Registering resource: ", "RegisterResource RPC prepared: ", "RegisterResource RPC finished: "])
      expect(resource).toContain(`log.debug(\`${message}`);
    expect(resource).toContain("debuggable_1.debuggablePromise(");
    expect(source("runtime/rpc.js")).toContain("debuggable_1.debuggablePromise(");
    expect(source("resource.js")).toContain("this.__parentResource.__childResources.add(this)");
    // skipOutputProperties: the one call that makes a resource's Outputs, and the type it reads, set before it.
    expect(resource).toContain("resolvers = rpc_1.transferProperties(res, label, props);");
    expect(source("resource.js")).toContain("this.__pulumiType = t;");
  });
});
