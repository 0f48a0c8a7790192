// One connection to Anypoint per provider process, shared by every resource: settings read in
// configure(), listings read once per process (users, team members) so that reads grow with pages
// rather than people, and the coalescers that turn deletions arriving together into bulk calls.
import { Coalescer } from "../../src/batch/coalescer";
import { readAnypointSettings, type ConfigGetter } from "../../src/config";
import type { AnypointApi, AnypointUserRecord } from "./api";
import { createAnypointApi } from "./client";
import { Lazy } from "../../src/util/lazy";

/** One platform connection per provider process, shared by every resource. */
export class AnypointSession {
  private config: ConfigGetter = () => undefined;
  private apiInstance?: AnypointApi;
  private deletions?: Coalescer<string, boolean>;
  private groupRemovals = new Map<string, Coalescer<string, void>>();
  private readonly users = new Lazy(() => this.api().listUsers());
  private readonly usersByName = new Lazy(async () => new Map((await this.users.get()).map((u) => [u.username.toLowerCase(), u] as const)));
  private readonly usersById = new Lazy(async () => new Map((await this.users.get()).map((u) => [u.id, u] as const)));
  private readonly teamMembers = new Map<string, Lazy<Set<string>>>();
  /** Business groups each AnypointUser carries in this run, by user id (see the retired access kind's delete). */
  private readonly carried = new Map<string, Set<string>>();

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

  /** Existing users by lower-cased username, listed once per process (adoption without one search per user). */
  existingUsers(): Promise<Map<string, AnypointUserRecord>> {
    return this.usersByName.get();
  }

  /** A user from the same one listing (refresh without one GET per person); undefined when gone. */
  async listedUser(id: string): Promise<AnypointUserRecord | undefined> {
    return (await this.usersById.get()).get(id);
  }

  /** Ids of a team's members, listed once per process; kept current with the changes made here. */
  async teamMemberIds(teamId: string): Promise<Set<string>> {
    let members = this.teamMembers.get(teamId);
    if (!members) {
      members = new Lazy(async () => new Set((await this.api().listTeamMembers(teamId)).map((m) => m.id)));
      this.teamMembers.set(teamId, members);
    }
    return members.get();
  }

  /** Records that the user's AnypointUser resource carries these business groups in this run. */
  carries(userId: string, groups: string[]): void {
    if (userId) this.carried.set(userId, new Set(groups));
  }

  /** The business groups the user's AnypointUser carries, or undefined when it was not seen in this process. */
  carriedGroups(userId: string): Set<string> | undefined {
    return this.carried.get(userId);
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
