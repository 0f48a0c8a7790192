// The engine floor: a minimal Pulumi program with FLOOR_RESOURCES do-nothing dynamic resources
// (one per platform user rollcall would manage), serialized the ordinary way by
// pulumi.dynamic.Resource. What the engine alone costs for that many resources.
//
// FLOOR_SDK_TUNED=true gives it the SDK tuning rollcall's program applies (src/pulumi/sdk-costs.ts,
// called first thing in src/program/index.ts), so that rollcall ÷ this floor measures rollcall's own code and
// not that tuning; src/tools/bench/scale.ts measures the floor both ways.
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
  constructor(name: string) {
    super(nothing, name, { name }, {}, "floor", "Nothing");
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
  const count = Number(process.env.FLOOR_RESOURCES ?? 0);
  for (let i = 0; i < count; i++) new Nothing(`r${i}`);
  return { count };
};
