// Whose roles, where: the one place rollcall reads direct role assignments (adoption, refresh,
// drift, export). By default one search per business group, in pages (role-search.ts) — but trust,
// then verify: MuleSoft's description leaves the search's semantics partly open, so before a
// business group's search answers anyone, a random sample of its people (1 %, at least 5) is also
// read one by one, as rollcall always did, and compared. Any difference — a role missing, an extra
// one, another environment — or a search refused (403, 404, 405) makes the run read one person at
// a time, for everyone, with a single warning naming the person, the difference and the setting
// that turns the search off. No search answers while any check is still running, and callers ask
// for all the business groups they need at once (liveGrants, export's prepare), so a difference
// found in one group also holds back the answers of the others. Only a business group first asked
// about after others were answered is checked on its own: a difference there switches the rest of
// the run.
import type { AnypointClient, RoleAssignment } from "./client";
import { searchRoleAssignments } from "./role-search";

export const ROLE_SEARCH_SETTING = "rollcall:anypointRoleSearch=off (or ROLLCALL_ANYPOINT_ROLE_SEARCH=off)";
const SAMPLE_SHARE = 0.01;
const SAMPLE_MIN = 5;

export interface RoleReaderOptions {
  /** false: one read per person and business group, as before the search (rollcall:anypointRoleSearch=off). */
  search: boolean;
  /** Every user of the master organization by id → username (the run's one listing). */
  people: () => Promise<Map<string, string>>;
  /** Where the single warning goes (the provider's log, export's progress). */
  warn: (message: string) => void;
  /** For tests of the sample's choice; Math.random otherwise. */
  random?: () => number;
}

type Searched = Map<string, RoleAssignment[]> | undefined;

export class RoleAssignmentReader {
  private fellBack = false;
  private readonly groups = new Map<string, Promise<Searched>>();
  /** People whose roles this run changes: a search read before the change is stale for them. */
  private readonly changed = new Set<string>();

  constructor(
    private readonly client: AnypointClient,
    private readonly options: RoleReaderOptions,
  ) {}

  /** Whether this run has stopped trusting the search (a difference, or a refusal). */
  get usesSearch(): boolean {
    return this.options.search && !this.fellBack;
  }

  /** Before this run changes someone's roles: from then on they are read one by one, and left out of the comparison. */
  changing(userId: string): void {
    this.changed.add(userId);
  }

  /** Searches and checks these business groups now (export knows them all before it reads anyone). */
  async prepare(orgIds: string[]): Promise<void> {
    if (this.usesSearch) await Promise.allSettled(orgIds.map((id) => this.searched(id)));
  }

  /** The user's direct role assignments in this organization or business group. */
  async rolesIn(orgId: string, userId: string): Promise<RoleAssignment[]> {
    if (this.usesSearch && !this.changed.has(userId)) {
      const searched = await this.searched(orgId);
      // No answer from the search while another business group's check is still running: if that
      // one disagrees, everyone is read one by one, including the people of this group.
      await Promise.allSettled([...this.groups.values()]);
      if (searched && this.usesSearch && !this.changed.has(userId)) return searched.get(userId) ?? [];
    }
    return this.perPerson(orgId, userId);
  }

  private perPerson(orgId: string, userId: string): Promise<RoleAssignment[]> {
    // An entry that is not a record stays, so the export can name the user it concerns (src/features/export/records.ts).
    return this.client
      .listRoleAssignments(orgId, userId)
      .then((roles) => roles.filter((r) => typeof r !== "object" || r === null || r.org === orgId));
  }

  private searched(orgId: string): Promise<Searched> {
    let group = this.groups.get(orgId);
    if (!group) {
      group = this.searchAndVerify(orgId);
      // A failed call is forgotten, so the next reader tries again instead of reusing the error.
      group.catch(() => this.groups.delete(orgId));
      this.groups.set(orgId, group);
    }
    return group;
  }

  private async searchAndVerify(orgId: string): Promise<Searched> {
    const found = await searchRoleAssignments(this.client, orgId);
    const groupName = await this.groupName(orgId);
    if (!(found instanceof Map)) {
      this.fallBack(
        `Anypoint: the role-assignment search (POST /accounts/api/roles/users/search) answered ${found.refused} for business ` +
          `group '${groupName}', so this run reads every person's roles one by one (GET ` +
          `/accounts/api/organizations/{businessGroup}/users/{user}/roles). To skip the search from the start, set ` +
          `${ROLE_SEARCH_SETTING}.`,
      );
      return undefined;
    }
    const people = await this.options.people();
    const master = (await this.client.masterOrganization()).id;
    // Drawn from the people the platform lists in the business group as well as those the search
    // returned, so that a person the search leaves out entirely can be drawn too.
    const listed = orgId === master ? [...people.keys()] : (await this.client.listBusinessGroupUsers(orgId)).map((u) => u.id);
    const population = [...new Set([...listed, ...found.keys()])].filter((id) => !this.changed.has(id));
    const sample = pick(
      population,
      Math.min(population.length, Math.max(SAMPLE_MIN, Math.ceil(population.length * SAMPLE_SHARE))),
      this.options.random ?? Math.random,
    );
    await Promise.all(
      sample.map(async (userId) => {
        const difference = compare(await this.perPerson(orgId, userId), found.get(userId) ?? []);
        // Someone this run gave or took a role meanwhile differs for that reason alone.
        if (!difference || this.changed.has(userId)) return;
        this.fallBack(
          `Anypoint: the role-assignment search (POST /accounts/api/roles/users/search) and the per-person read (GET ` +
            `/accounts/api/organizations/{businessGroup}/users/{user}/roles) disagree for '${people.get(userId) ?? userId}' in ` +
            `business group '${groupName}': ${difference}. ` +
            `This run reads every person's roles one by one instead. The per-person read is the one rollcall trusts; if the ` +
            `search keeps disagreeing, set ${ROLE_SEARCH_SETTING} to skip it.`,
        );
      }),
    );
    return found;
  }

  private fallBack(warning: string): void {
    if (this.fellBack) return; // one warning per run
    this.fellBack = true;
    this.options.warn(warning);
  }

  private async groupName(orgId: string): Promise<string> {
    const find = (n: Awaited<ReturnType<AnypointClient["organizationTree"]>>): string | undefined =>
      n.id === orgId ? n.name : n.children.map(find).find(Boolean);
    return find(await this.client.organizationTree()) ?? orgId;
  }
}

/** What the search says differently from the per-person read, in words; undefined when they agree. */
export function compare(perPerson: RoleAssignment[], searched: RoleAssignment[]): string | undefined {
  const key = (r: RoleAssignment) => `${r.id}|${r.envId ?? ""}`;
  const text = (r: RoleAssignment) => `'${r.name}'${r.envId ? ` in environment ${r.envId}` : ""}`;
  const bySearch = new Set(searched.map(key));
  const byPerson = new Set(perPerson.map(key));
  const missing = perPerson.filter((r) => !bySearch.has(key(r))).map(text);
  const extra = searched.filter((r) => !byPerson.has(key(r))).map(text);
  const parts = [
    missing.length ? `the search misses ${missing.join(", ")}` : "",
    extra.length ? `the search adds ${extra.join(", ")}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join("; ") : undefined;
}

/** `n` distinct items chosen at random (a partial Fisher–Yates shuffle). */
function pick<T>(items: T[], n: number, random: () => number): T[] {
  const pool = [...items];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}
