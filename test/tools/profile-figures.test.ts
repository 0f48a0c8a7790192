// `make profile`'s split of CPU time: rollcall's own code against everything it runs on, per process.
import { describe, expect, it } from "vitest";
import { ownAndOther, processRole } from "../../src/tools/bench/profile";

describe("the profile's figures", () => {
  it("counts rollcall's modules and the libraries doing its work as its own, the SDK, gRPC, protobuf and GC as not", () => {
    const sources = new Map([
      ["rollcall providers/anypoint/grants.js", 300],
      ["yaml", 200],
      ["ajv", 100],
      ["undici", 100],
      ["@pulumi/pulumi", 1000],
      ["google-protobuf", 2000],
      ["(native / V8)", 700],
    ]);
    expect(ownAndOther(sources)).toEqual({ own: 0.7, other: 3.7 });
  });

  it("tells the program's process from the provider's by the rollcall code each ran", () => {
    expect(processRole(new Map([["reconcile rollcall program/index.js:70", 1]]))).toBe("program");
    expect(processRole(new Map([["read rollcall providers/anypoint/user-provider.js:80", 1]]))).toBe("provider");
    expect(processRole(new Map([["mb google-protobuf:92", 1]]))).toBeUndefined();
  });
});
