// The engine floor: a minimal Pulumi program with FLOOR_RESOURCES do-nothing dynamic resources
// (one per platform user rollcall would manage), serialized the ordinary way by
// pulumi.dynamic.Resource. What the engine alone costs for that many resources.
//
// FLOOR_SDK_TUNED=true gives it the SDK tuning rollcall's program applies (src/pulumi/sdk-costs.ts,
// called first thing in src/program/index.ts), so that rollcall ÷ this floor measures rollcall's own code and
// not that tuning; src/tools/bench/scale.ts measures the floor both ways.
//
// FLOOR_INPUTS=FILE (a JSON array of input objects) declares one resource per entry with those
// inputs instead of a name alone: given the inputs of rollcall's own resources, it is the floor
// for rollcall's data — the same properties through the same SDK and engine, with no rollcall code.
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import {
  omitSourcePositions,
  skipOutputProperties,
  skipRegistrationDebugLogs,
  trackPromisesWithoutStacks,
  useNativeStackTraces,
} from "../../pulumi/sdk-costs";

const nothing: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: String(inputs.name), outs: inputs };
  },
  async diff() {
    return { changes: false };
  },
  async read(id, props) {
    return { id, props };
  },
  async delete() {},
};

class Nothing extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: Record<string, unknown> = {}) {
    super(nothing, name, { ...inputs, name }, {}, "floor", "Nothing");
  }
}

export = () => {
  if (process.env.FLOOR_SDK_TUNED === "true") {
    useNativeStackTraces();
    omitSourcePositions();
    trackPromisesWithoutStacks();
    skipRegistrationDebugLogs();
    skipOutputProperties();
  }
  const inputs = process.env.FLOOR_INPUTS
    ? (JSON.parse(readFileSync(process.env.FLOOR_INPUTS, "utf8")) as Record<string, unknown>[])
    : Array.from({ length: Number(process.env.FLOOR_RESOURCES ?? 0) }, () => ({}));
  inputs.forEach((input, i) => new Nothing(`r${i}`, input));
  return { count: inputs.length };
};
