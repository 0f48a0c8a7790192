// One connection to Anypoint per provider process, shared by every resource: settings read in
// configure(), listings read once per process (users, team members) so that reads grow with pages
// rather than people, and the coalescers that turn deletions arriving together into bulk calls.
import { Coalescer } from "../../core/batch/coalescer";
import { readAnypointSettings, type ConfigGetter } from "../../core/config";
import type { AnypointUserRecord } from "./api";
import { AnypointClient } from "./client";
import { RoleAssignmentReader } from "./role-reader";
import { Lazy } from "../../core/util/lazy";

/**
 * A bulk call goes out when it is full, after a second with no new change, or once its first
 * change has waited 10 s. The engine starts deletes and updates as their diffs finish and as
 * workers free up, so they trickle in — at the pace of Control Room's rate limit when both
 * platforms change together. With a fixed window of 250 ms, removing 200 people took 6 bulk
 * DELETEs and disabling 40 took 5 bulk PUTs (test/e2e/anypoint-scale.test.ts); with a fixed 1 s,
 * disabling 500 of 5,000 people on both platforms took 18 bulk PUTs (src/tools/bench/scale.ts). A few
 * seconds per batch are nothing beside a run, and fill the batches.
 */
const BULK_WINDOW_MS = 2000;
const BULK_MAX_WAIT_MS = 30_000;

/** One platform connection per provider process, shared by every resource. */
export class AnypointSession {
  private config: ConfigGetter = () => undefined;
  private apiInstance?: AnypointClient;
  private roleReader?: RoleAssignmentReader;
  private deletions?: Coalescer<string, boolean>;
  private enablings?: Coalescer<{ id: string; enabled: boolean }, void>;
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

  api(): AnypointClient {
    this.apiInstance ??= new AnypointClient(readAnypointSettings(this.config));
    return this.apiInstance;
  }

  /**
   * Direct role assignments, searched per business group and checked against a sample of
   * per-person reads (role-reader.ts). The warning goes to the provider's stderr, which the engine
   * prints with the run's output: a dynamic provider process has no engine connection to log through.
   */
  roles(): RoleAssignmentReader {
    this.roleReader ??= new RoleAssignmentReader(this.api(), {
      search: readAnypointSettings(this.config).roleSearch,
      people: async () => new Map((await this.users.get()).map((u) => [u.id, u.username] as const)),
      warn: (message) => void process.stderr.write(`warning: ${message}\n`),
    });
    return this.roleReader;
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
      windowMs: BULK_WINDOW_MS,
      maxWaitMs: BULK_MAX_WAIT_MS,
      maxBatch: readAnypointSettings(this.config).bulkDeleteSize,
      sendBatch: async (ids) => {
        await this.api().deleteUsers(ids);
        return ids.map(() => true);
      },
      sendOne: (userId) => this.api().deleteUser(userId),
    });
    return this.deletions.submit(id);
  }

  /**
   * Disabling (soft offboarding, the default removal) or re-enabling a user: changes arriving
   * together go out as bulk PUTs of the whole users as listed in this process; a user the listing
   * does not hold, or a failed batch, is updated alone (GET, then PUT).
   */
  setEnabled(id: string, enabled: boolean): Promise<void> {
    this.enablings ??= new Coalescer<{ id: string; enabled: boolean }, void>({
      windowMs: BULK_WINDOW_MS,
      maxWaitMs: BULK_MAX_WAIT_MS,
      maxBatch: readAnypointSettings(this.config).bulkDeleteSize,
      sendBatch: async (changes) => {
        const listed = await this.usersById.get();
        const users = changes.map(({ id, enabled }) => {
          const u = listed.get(id);
          if (!u) throw new Error(`user ${id} is not in this run's listing`);
          return {
            id,
            email: u.email,
            firstName: u.firstName,
            lastName: u.lastName,
            enabled,
            ...(u.phoneNumber ? { phoneNumber: u.phoneNumber } : {}),
          };
        });
        await this.api().updateUsers(users);
        for (const { id, enabled } of changes) listed.get(id)!.enabled = enabled;
        return changes.map(() => undefined);
      },
      sendOne: async ({ id, enabled }) => void (await this.api().updateUser(id, { enabled })),
    });
    return this.enablings.submit({ id, enabled });
  }

  /** Business-group removals arriving together go out as one members DELETE per business group. */
  removeFromBusinessGroup(orgId: string, userId: string): Promise<void> {
    let coalescer = this.groupRemovals.get(orgId);
    if (!coalescer) {
      coalescer = new Coalescer<string, void>({
        windowMs: BULK_WINDOW_MS,
        maxWaitMs: BULK_MAX_WAIT_MS,
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
