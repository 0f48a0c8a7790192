// One connection to Anypoint per provider process, shared by both resource kinds: settings read in
// configure(), existing users listed once per run, and the coalescers that turn deletions arriving
// together into bulk calls.
import { Coalescer } from "../../src/batch/coalescer";
import { readAnypointSettings, type ConfigGetter } from "../../src/config";
import type { AnypointApi, AnypointUserRecord } from "./api";
import { createAnypointApi } from "./client";
import { Lazy } from "../../src/util/lazy";

/** One platform connection per provider process, shared by both resource kinds. */
export class AnypointSession {
  private config: ConfigGetter = () => undefined;
  private apiInstance?: AnypointApi;
  private deletions?: Coalescer<string, boolean>;
  private groupRemovals = new Map<string, Coalescer<string, void>>();
  private readonly usersByName = new Lazy(async () => new Map((await this.api().listUsers()).map((u) => [u.username.toLowerCase(), u] as const)));

  configure(config: ConfigGetter): void {
    this.config = config;
  }

  onboarding(): "create" | "invite" {
    return readAnypointSettings(this.config).onboarding;
  }

  api(): AnypointApi {
    this.apiInstance ??= createAnypointApi(readAnypointSettings(this.config));
    return this.apiInstance;
  }

  /** Existing users by lower-cased username, listed once per run (adoption without one search per user). */
  existingUsers(): Promise<Map<string, AnypointUserRecord>> {
    return this.usersByName.get();
  }

  /** Master-org deletions that arrive together go out as bulk DELETEs; on a failed batch, one by one. */
  deleteUser(id: string): Promise<boolean> {
    this.deletions ??= new Coalescer<string, boolean>({
      windowMs: 250,
      maxBatch: readAnypointSettings(this.config).bulkDeleteSize,
      sendBatch: async (ids) => {
        await this.api().deleteUsers(ids);
        return ids.map(() => true);
      },
      sendOne: (userId) => this.api().deleteUser(userId),
    });
    return this.deletions.submit(id);
  }

  /** Business-group removals arriving together go out as one members DELETE per business group. */
  removeFromBusinessGroup(orgId: string, userId: string): Promise<void> {
    let coalescer = this.groupRemovals.get(orgId);
    if (!coalescer) {
      coalescer = new Coalescer<string, void>({
        windowMs: 250,
        maxBatch: readAnypointSettings(this.config).bulkDeleteSize,
        sendBatch: async (ids) => {
          await this.api().removeBusinessGroupMembers(orgId, ids);
          return ids.map(() => undefined);
        },
        sendOne: (id) => this.api().removeBusinessGroupAccess(orgId, id),
      });
      this.groupRemovals.set(orgId, coalescer);
    }
    return coalescer.submit(userId);
  }
}

export const session = new AnypointSession();
