// AnypointUser: a person's user in the master organization. Created (or invited) and deleted only
// there — deletion removes the membership, not the account — and usernames are never reusable.
import type * as pulumi from "@pulumi/pulumi";
import type { ShimTarget } from "../../src/pulumi/shim";
import type { AnypointUserRecord } from "./api";
import { session } from "./session";
import { INVITE_PREFIX, type AnypointUserInputs, type AnypointUserOutputs } from "./types";

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

