// Moving a person between the shares of a split (src/features/split/share.ts) — re-sharding one stack into
// two, or moving a platform to its own stack — must be an adopt, not a delete-and-create: the stack
// that gains the person adopts the platform user (`create` adopts), and the stack that loses them
// must only forget them. Pulumi runs `delete` for a resource the program no longer declares, so
// the providers' `delete` asks here first: a user that users.yaml still declares, but in another
// stack's share, is handed over — dropped from this stack's state without any call.
//
// Within one stack's own share nothing changes: a person removed from users.yaml, a removed
// business group, a replaced username are all deleted as before.
import path from "node:path";
import { setting, GENERAL_KEYS, type ConfigGetter } from "../../core/config";
import { loadUsersFile } from "../../core/model/load";
import type { UsersModel } from "../../core/model/types";
import type { ShimTarget } from "../../pulumi/shim";
import { inShare, isWholeFile, readShare, type Platform } from "./share";

let config: ConfigGetter = () => undefined;
let model: UsersModel | undefined;

/** The person declaring `username` on `platform` in users.yaml, if that person belongs to another stack's share. */
export function handedOverTo(platform: Platform, username: string, get: ConfigGetter = config): string | undefined {
  const share = readShare(get);
  if (isWholeFile(share)) return undefined;
  model ??= loadUsersFile(path.resolve(setting(get, "usersFile", GENERAL_KEYS.usersFile) ?? "users.yaml"));
  const person = model.people.find((p) => p[platform]?.username.toLowerCase() === username.toLowerCase());
  return person && !inShare(share, person.key, platform) ? person.key : undefined;
}

/** The platform's providers, with `delete` handing over users another stack's share now declares. */
export function handingOver(platform: Platform, providers: Record<string, ShimTarget>): Record<string, ShimTarget> {
  const out: Record<string, ShimTarget> = {};
  for (const [kind, provider] of Object.entries(providers)) {
    // Every method called on the provider itself (it keeps per-run caches on `this`).
    out[kind] = {
      configure: (req) => {
        config = (k) => req.config.get(k);
        return provider.configure(req);
      },
      diff: (id, olds, news) => provider.diff(id, olds, news),
      create: (inputs) => provider.create(inputs),
      read: (id, props) => provider.read(id, props),
      update: (id, olds, news) => provider.update(id, olds, news),
      delete: async (id, props) => {
        const key = typeof props.username === "string" ? handedOverTo(platform, props.username) : undefined;
        if (key) {
          process.stderr.write(
            `rollcall: ${kind} '${props.username}' (${key}) now belongs to another stack's share of users.yaml: forgotten here, ` +
              `not deleted\n`,
          );
          return;
        }
        return provider.delete(id, props);
      },
    };
  }
  return out;
}
