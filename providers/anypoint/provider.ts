// The logic behind AnypointUser and AnypointBusinessGroupAccess, loaded at run time by the
// serialized shim. The platform's rules, as the seed article states them:
// - users are deleted only from the master organization, and deleting removes the membership,
//   not the account; removals arriving together are sent as bulk deletes;
// - in a business group, removing a user means removing all of their permissions there;
// - usernames are never reusable, even after deletion.
import type * as pulumi from "@pulumi/pulumi";
import { Coalescer } from "../../src/batch/coalescer";
import { readAnypointSettings, type ConfigGetter } from "../../src/config";
import { closestNames } from "../../src/model/suggest";
import type { ShimTarget } from "../../src/pulumi/shim";
import type { AnypointApi, AnypointUserRecord } from "./api";
import { createAnypointApi } from "./client";

export interface AnypointUserInputs {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  enabled: boolean;
}

export interface AnypointUserOutputs extends AnypointUserInputs {
  /** The platform's user id; "" while an invitation is pending. */
  userId: string;
  adopted: boolean;
  /** Set while the person has been invited and has not signed in yet. */
  inviteId?: string;
}

/** Resource ids of people invited but not yet signed in: `invite:<invite id>`. */
const INVITE_PREFIX = "invite:";

export interface BusinessGroupAccessInputs {
  /** The person's username, for messages. */
  username: string;
  /** Id of the person's Anypoint user (an output of their AnypointUser). */
  userId: string;
  businessGroup: string;
  roles: string[];
  teams: string[];
}

export interface BusinessGroupAccessOutputs extends BusinessGroupAccessInputs {
  businessGroupId: string;
}

/** One platform connection per provider process, shared by both resource kinds. */
class AnypointSession {
  private config: ConfigGetter = () => undefined;
  private apiInstance?: AnypointApi;
  private deletions?: Coalescer<string, boolean>;
  private groupRemovals = new Map<string, Coalescer<string, void>>();
  private usersByName?: Promise<Map<string, AnypointUserRecord>>;

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
    this.usersByName ??= this.api()
      .listUsers()
      .then((users) => new Map(users.map((u) => [u.username.toLowerCase(), u])));
    return this.usersByName.catch((err) => {
      this.usersByName = undefined;
      throw err;
    });
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

const session = new AnypointSession();

const sameText = (a: string | undefined, b: string | undefined) => (a ?? "").trim() === (b ?? "").trim();

export class AnypointUserProvider implements ShimTarget {
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    session.configure((k) => req.config.get(k));
  }

  async diff(_id: string, olds: AnypointUserOutputs, news: AnypointUserInputs): Promise<pulumi.dynamic.DiffResult> {
    const usernameChanged = olds.username.toLowerCase() !== news.username.toLowerCase();
    const changed = usernameChanged || olds.email.toLowerCase() !== news.email.toLowerCase() || !sameText(olds.firstName, news.firstName) || !sameText(olds.lastName, news.lastName) || olds.enabled !== news.enabled;
    if (!changed) return { changes: false };
    return { changes: undefined, replaces: usernameChanged ? ["username"] : [], deleteBeforeReplace: true };
  }

  /**
   * Adopts a user with the same username (case-insensitive); otherwise creates one in the master
   * organization, or — with rollcall:anypointOnboarding=invite — invites the person by email.
   */
  async create(inputs: AnypointUserInputs): Promise<pulumi.dynamic.CreateResult> {
    const api = session.api();
    const existing = (await session.existingUsers()).get(inputs.username.toLowerCase());
    if (existing) {
      const patch = userPatch(existing, inputs);
      const record = Object.keys(patch).length ? await api.updateUser(existing.id, patch) : existing;
      return { id: record.id, outs: { ...inputs, userId: record.id, adopted: true } };
    }
    if (session.onboarding() === "invite") {
      const inviteId = await api.inviteUser(inputs.email);
      return { id: `${INVITE_PREFIX}${inviteId}`, outs: { ...inputs, userId: "", adopted: false, inviteId } };
    }
    let record = await api.createUser({ username: inputs.username, email: inputs.email, firstName: inputs.firstName, lastName: inputs.lastName });
    if (!inputs.enabled) record = await api.updateUser(record.id, { enabled: false });
    return { id: record.id, outs: { ...inputs, userId: record.id, adopted: false } };
  }

  /** The live user. An invited person who has signed in since becomes their user (`pulumi up --refresh`). */
  async read(id: string, props: AnypointUserOutputs): Promise<pulumi.dynamic.ReadResult> {
    const api = session.api();
    if (id.startsWith(INVITE_PREFIX)) {
      const joined = (await api.listUsers()).find((u) => u.username.toLowerCase() === props.username.toLowerCase() || u.email.toLowerCase() === props.email.toLowerCase());
      if (!joined) return { id, props };
      id = joined.id;
    }
    const record = await api.getUser(id);
    if (!record) return { id: "" };
    const live: AnypointUserInputs = { username: record.username, email: record.email.toLowerCase(), firstName: record.firstName, lastName: record.lastName, enabled: record.enabled };
    return { id, props: { ...live, userId: id, adopted: props.adopted ?? false }, inputs: live as unknown as Record<string, unknown> };
  }

  async update(id: string, olds: AnypointUserOutputs, news: AnypointUserInputs): Promise<pulumi.dynamic.UpdateResult> {
    if (id.startsWith(INVITE_PREFIX)) return { outs: { ...news, userId: "", adopted: false, inviteId: olds.inviteId } };
    const patch = userPatch(olds, news);
    if (Object.keys(patch).length) await session.api().updateUser(id, patch);
    return { outs: { ...news, userId: id, adopted: olds.adopted ?? false } };
  }

  /** DELETE in the master organization (coalesced into bulk calls), never against a business group; a pending invitation is cancelled. */
  async delete(id: string): Promise<void> {
    if (id.startsWith(INVITE_PREFIX)) await session.api().cancelInvite(id.slice(INVITE_PREFIX.length));
    else await session.deleteUser(id);
  }
}

function userPatch(current: { email: string; firstName: string; lastName: string; enabled: boolean }, wanted: AnypointUserInputs) {
  const patch: Partial<AnypointUserRecord> = {};
  if (current.email.toLowerCase() !== wanted.email.toLowerCase()) patch.email = wanted.email;
  if (!sameText(current.firstName, wanted.firstName)) patch.firstName = wanted.firstName;
  if (!sameText(current.lastName, wanted.lastName)) patch.lastName = wanted.lastName;
  if (current.enabled !== wanted.enabled) patch.enabled = wanted.enabled;
  return patch;
}

export class BusinessGroupAccessProvider implements ShimTarget {
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    session.configure((k) => req.config.get(k));
  }

  async diff(_id: string, olds: BusinessGroupAccessOutputs, news: BusinessGroupAccessInputs): Promise<pulumi.dynamic.DiffResult> {
    const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
    const moved = olds.businessGroup !== news.businessGroup || olds.userId !== news.userId;
    if (!moved && same(olds.roles, news.roles) && same(olds.teams, news.teams)) return { changes: false };
    return { changes: undefined, replaces: moved ? ["businessGroup"] : [], deleteBeforeReplace: true };
  }

  async create(inputs: BusinessGroupAccessInputs): Promise<pulumi.dynamic.CreateResult> {
    const businessGroupId = await session.api().businessGroupId(inputs.businessGroup);
    // An invited person has no user yet: the access is granted once they have joined and the
    // refreshed user id replaces this pending record.
    if (!inputs.userId) return { id: `pending@${businessGroupId}`, outs: { ...inputs, businessGroupId } };
    await this.apply(businessGroupId, inputs, { roles: [], teams: [] });
    return { id: `${inputs.userId}@${businessGroupId}`, outs: { ...inputs, businessGroupId } };
  }

  async read(id: string, props: BusinessGroupAccessOutputs): Promise<pulumi.dynamic.ReadResult> {
    if (!props.userId) return { id, props };
    const api = session.api();
    if (!(await api.getUser(props.userId))) return { id: "" };
    const roles = (await api.listUserRoles(props.businessGroupId, props.userId)).map((r) => r.name).sort();
    const declaredTeams = new Set(props.teams);
    const teams = (await api.listUserTeams(props.userId)).map((t) => t.name).filter((t) => declaredTeams.has(t)).sort();
    if (!roles.length && !teams.length) return { id: "" };
    const live = { ...props, roles, teams };
    return { id, props: live, inputs: { username: props.username, userId: props.userId, businessGroup: props.businessGroup, roles, teams } };
  }

  async update(_id: string, olds: BusinessGroupAccessOutputs, news: BusinessGroupAccessInputs): Promise<pulumi.dynamic.UpdateResult> {
    if (news.userId) await this.apply(olds.businessGroupId, news, olds);
    return { outs: { ...news, businessGroupId: olds.businessGroupId } };
  }

  /** Removing a person from a business group = removing all of their permissions there; the user stays. */
  async delete(_id: string, props: BusinessGroupAccessOutputs): Promise<void> {
    if (!props.userId) return; // never granted: the person had not joined
    // Batched with the other removals from the same business group that arrive together.
    await session.removeFromBusinessGroup(props.businessGroupId, props.userId);
    // Teams live in the master organization: leave only the ones this access declared.
    for (const teamId of await this.teamIds(props.teams, props, false)) await session.api().removeTeamMember(teamId, props.userId);
  }

  /** Moves the user's roles and teams in one business group from `from` to `to`. */
  private async apply(orgId: string, to: BusinessGroupAccessInputs, from: { roles: string[]; teams: string[] }): Promise<void> {
    const api = session.api();
    const roleIds = await this.roleIds(orgId, to.roles, to);
    const oldRoleIds = await this.roleIds(orgId, from.roles.filter((r) => !to.roles.includes(r)), to, false);
    if (roleIds.length) await api.assignRoles(orgId, to.userId, roleIds);
    if (oldRoleIds.length) await api.unassignRoles(orgId, to.userId, oldRoleIds);
    for (const teamId of await this.teamIds(to.teams.filter((t) => !from.teams.includes(t)), to)) await api.addTeamMember(teamId, to.userId);
    for (const teamId of await this.teamIds(from.teams.filter((t) => !to.teams.includes(t)), to, false)) await api.removeTeamMember(teamId, to.userId);
  }

  private async roleIds(orgId: string, names: string[], who: { username: string; businessGroup: string }, strict = true): Promise<string[]> {
    if (!names.length) return [];
    const roles = await session.api().listRoles(orgId);
    return resolveNames(names, roles, strict, (missing, known) => `Anypoint user '${who.username}': business group '${who.businessGroup}' has no role named ${missing}${hint(missing, known)}. Fix the role names in users.yaml.`);
  }

  private async teamIds(names: string[], who: { username: string }, strict = true): Promise<string[]> {
    if (!names.length) return [];
    const teams = await session.api().listTeams();
    return resolveNames(names, teams, strict, (missing, known) => `Anypoint user '${who.username}': no team named ${missing}${hint(missing, known)}. Fix the team names in users.yaml.`);
  }
}

function resolveNames(names: string[], known: { id: string; name: string }[], strict: boolean, message: (missing: string, known: string[]) => string): string[] {
  const byName = new Map(known.map((k) => [k.name, k.id]));
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length && strict) throw new Error(message(missing.map((m) => `'${m}'`).join(", "), known.map((k) => k.name)));
  return names.filter((n) => byName.has(n)).map((n) => byName.get(n)!);
}

function hint(missing: string, known: string[]): string {
  const close = closestNames(missing.replace(/'/g, "").split(", ")[0]!, known, 3);
  return close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(" or ")}?)` : "";
}

export const providers: Record<string, ShimTarget> = {
  AnypointUser: new AnypointUserProvider(),
  AnypointBusinessGroupAccess: new BusinessGroupAccessProvider(),
};
