// One stack's share of users.yaml when an organization is split across stacks that run in
// parallel (on separate CI runners, one shared backend). Every stack reads the whole file; each
// declares, guards and reports only its share:
//
//   rollcall:platforms  (ROLLCALL_PLATFORMS)  controlRoom, anypoint, or both (default): which platforms
//   rollcall:shard      (ROLLCALL_SHARD)      i/n: people whose key hashes to i of n (default 0/1: everyone)
//
// A person's place in a share depends only on their key (and the platform), never on the rest of
// the file, so adding someone moves nobody else.
import { setting, SettingsError, type ConfigGetter } from "../../core/config";
import type { UsersModel } from "../../core/model/types";

export type Platform = "controlRoom" | "anypoint";
export const PLATFORMS: readonly Platform[] = ["controlRoom", "anypoint"];

export interface Share {
  platforms: ReadonlySet<Platform>;
  shard: { index: number; count: number };
}

export const SPLIT_KEYS = { platforms: "ROLLCALL_PLATFORMS", shard: "ROLLCALL_SHARD" } as const;

export function readShare(config: ConfigGetter, env: NodeJS.ProcessEnv = process.env): Share {
  const platformsText = setting(config, "platforms", SPLIT_KEYS.platforms, env);
  const platforms = new Set<Platform>();
  for (const word of (platformsText ?? PLATFORMS.join(",")).split(/[,|\s]+/).filter(Boolean)) {
    const platform = PLATFORMS.find((p) => p.toLowerCase() === word.toLowerCase());
    if (!platform)
      throw new SettingsError(
        `rollcall:platforms (or ROLLCALL_PLATFORMS): unknown platform '${word}'. Write controlRoom, anypoint, or both separated ` +
          `by a comma.`,
      );
    platforms.add(platform);
  }
  const shardText = setting(config, "shard", SPLIT_KEYS.shard, env) ?? "0/1";
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(shardText);
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
  if (!shard || shard.count < 1 || shard.index >= shard.count)
    throw new SettingsError(
      `rollcall:shard (or ROLLCALL_SHARD) must be i/n with 0 <= i < n, e.g. 0/2 and 1/2 for two stacks, not '${shardText}'.`,
    );
  return { platforms, shard };
}

/** FNV-1a of the key: stable across runs, machines and Node versions. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function inShare(share: Share, personKey: string, platform: Platform): boolean {
  return share.platforms.has(platform) && hash(personKey) % share.shard.count === share.shard.index;
}

export const isWholeFile = (share: Share) => share.shard.count === 1 && PLATFORMS.every((p) => share.platforms.has(p));

/** The model this stack manages: only its people, and of them only its platforms' blocks. */
export function shareOf(model: UsersModel, share: Share): UsersModel {
  if (isWholeFile(share)) return model;
  const people = model.people
    .map((p) => ({
      ...p,
      controlRoom: inShare(share, p.key, "controlRoom") ? p.controlRoom : undefined,
      anypoint: inShare(share, p.key, "anypoint") ? p.anypoint : undefined,
    }))
    .filter((p) => p.controlRoom || p.anypoint);
  return { ...model, people };
}

export function describeShare(share: Share): string {
  return (
    `${[...share.platforms].join(" and ")}` +
    `${share.shard.count > 1 ? `, shard ${share.shard.index}/${share.shard.count} of the people` : ""}`
  );
}
