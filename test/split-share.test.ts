// The split settings (src/features/split/share.ts) and the engine's fast path (src/pulumi/engine/fast-path.ts).
import { describe, expect, it } from "vitest";
import { slowPathWarning, withFastPath } from "../src/pulumi/engine/fast-path";
import { SettingsError } from "../src/core/config";
import { inShare, readShare, shareOf } from "../src/features/split/share";
import type { UsersModel } from "../src/core/model/types";

const none = () => undefined;

describe("stack shares", () => {
  it("defaults to the whole file; the stack config wins over the environment", () => {
    const whole = readShare(none, {});
    expect([...whole.platforms]).toEqual(["controlRoom", "anypoint"]);
    expect(whole.shard).toEqual({ index: 0, count: 1 });
    const s = readShare((k) => (k === "rollcall:platforms" ? "anypoint" : undefined), { ROLLCALL_PLATFORMS: "controlRoom" });
    expect([...s.platforms]).toEqual(["anypoint"]);
  });

  it("rejects what it cannot read, naming the setting", () => {
    expect(() => readShare(none, { ROLLCALL_PLATFORMS: "salesforce" })).toThrow(SettingsError);
    expect(() => readShare(none, { ROLLCALL_SHARD: "2/2" })).toThrow(/rollcall:shard.*0 <= i < n/);
    expect(() => readShare(none, { ROLLCALL_SHARD: "half" })).toThrow(/rollcall:shard/);
  });

  it("puts every person in exactly one shard, by key alone", () => {
    const keys = Array.from({ length: 200 }, (_, i) => `person${i}`);
    const shards = [0, 1, 2].map((i) => readShare(none, { ROLLCALL_SHARD: `${i}/3` }));
    for (const k of keys) expect(shards.filter((s) => inShare(s, k, "anypoint"))).toHaveLength(1);
    const sizes = shards.map((s) => keys.filter((k) => inShare(s, k, "anypoint")).length);
    for (const n of sizes) expect(n).toBeGreaterThan(40);
  });

  it("a platform share keeps only that platform's blocks", () => {
    const model = {
      file: "users.yaml",
      people: [
        { key: "ada", controlRoom: { username: "ada" }, anypoint: { username: "ada.acme" } },
        { key: "bob", controlRoom: { username: "bob" } },
      ],
    } as unknown as UsersModel;
    const ap = shareOf(model, readShare(none, { ROLLCALL_PLATFORMS: "anypoint" }));
    expect(ap.people.map((p) => [p.key, !!p.controlRoom, !!p.anypoint])).toEqual([["ada", false, true]]);
  });
});

describe("the engine's fast path", () => {
  it("is filled in where unset, and an explicit choice wins", () => {
    expect(withFastPath({}).PULUMI_SKIP_CHECKPOINTS).toBe("true");
    expect(withFastPath({}).PULUMI_PARALLEL).toBe("4096");
    expect(withFastPath({}).GOGC).toBe("50");
    expect(withFastPath({ PULUMI_SKIP_CHECKPOINTS: "false", PULUMI_PARALLEL: "4" })).toMatchObject({
      PULUMI_SKIP_CHECKPOINTS: "false",
      PULUMI_PARALLEL: "4",
    });
  });

  it("the program warns on the slow path only when the stack is large", () => {
    expect(slowPathWarning(5000, {})).toMatch(/SLOW PATH.*5000 resources.*PULUMI_SKIP_CHECKPOINTS=true/);
    expect(slowPathWarning(5000, { PULUMI_SKIP_CHECKPOINTS: "true" })).toBeUndefined();
    expect(slowPathWarning(20, {})).toBeUndefined();
  });
});
