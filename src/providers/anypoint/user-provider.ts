// AnypointUser: one resource per platform user — the user in the master organization and their
// roles and teams per business group. Users are created (or invited) and deleted only in the
// master organization — deletion removes the membership, not the account — and usernames are never
// reusable. Adoption takes over an existing user only when username and email both match.
import type * as pulumi from "@pulumi/pulumi";
import type { ShimTarget } from "../../pulumi/shim";
import type { AnypointUserRecord } from "./api";
import { applyGrants, changedGroups, liveGrants, normalizeGrants } from "./grants";
import { session } from "./session";
import { INVITE_PREFIX, type AnypointUserInputs, type AnypointUserOutputs } from "./types";

const sameText = (a: string | undefined, b: string | undefined) => (a ?? "").trim() === (b ?? "").trim();
const sameEmail = (a: string | undefined, b: string | undefined) => (a ?? "").trim().toLowerCase() === (b ?? "").trim().toLowerCase();

export class AnypointUserProvider implements ShimTarget {
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    session.configure((k) => req.config.get(k));
  }

  /** A change of username replaces the user; any other field, or any business group's access, is an update
   *  (changes left to the engine, whose input diff names each field and business group: businessGroups.Sales). */
  async diff(id: string, olds: AnypointUserOutputs, news: AnypointUserInputs): Promise<pulumi.dynamic.DiffResult> {
    const usernameChanged = olds.username.toLowerCase() !== news.username.toLowerCase();
    const userChanged =
      usernameChanged ||
      !sameEmail(olds.email, news.email) ||
      !sameText(olds.firstName, news.firstName) ||
      !sameText(olds.lastName, news.lastName) ||
      olds.enabled !== news.enabled;
    const groups = changedGroups(olds.businessGroups, news.businessGroups ?? {});
    if (!userChanged && !groups.length) {
      session.carries(olds.userId ?? id, Object.keys(news.businessGroups ?? {}));
      return { changes: false };
    }
    return { changes: undefined, replaces: usernameChanged ? ["username"] : [], deleteBeforeReplace: true };
  }

  /**
   * Adopts the existing user with the same username and email (case-insensitive); refuses one whose
   * email differs. Otherwise creates the user in the master organization, or — with
   * rollcall:anypointOnboarding=invite — invites the person by email (access follows once they join).
   */
  async create(inputs: AnypointUserInputs): Promise<pulumi.dynamic.CreateResult> {
    const api = session.api();
    const existing = (await session.existingUsers()).get(inputs.username.toLowerCase());
    const businessGroups = normalizeGrants(inputs.businessGroups) ?? {};
    if (existing) {
      // The same person: the same email, or the one users.yaml names as previousEmail (then, and
      // only then, the email changes — declared, and shown in the preview by the identity check).
      const declaredMove = !!inputs.previousEmail && sameEmail(existing.email, inputs.previousEmail);
      if (!sameEmail(existing.email, inputs.email) && !declaredMove) throw new Error(takenByAnother(existing, inputs));
      const patch = userPatch(existing, inputs);
      if (!declaredMove) delete patch.email; // equal but for case: never rewrite an adopted user's email
      if (Object.keys(patch).length) await api.updateUser(existing.id, patch);
      await applyGrants({ username: inputs.username, userId: existing.id }, businessGroups, undefined);
      session.carries(existing.id, Object.keys(businessGroups));
      return { id: existing.id, outs: { ...inputs, businessGroups, userId: existing.id, adopted: true } };
    }
    if (session.onboarding() === "invite") {
      const inviteId = await api.inviteUser(inputs.email);
      return { id: `${INVITE_PREFIX}${inviteId}`, outs: { ...inputs, businessGroups, userId: "", adopted: false, inviteId } };
    }
    let record = await api.createUser({
      username: inputs.username,
      email: inputs.email,
      firstName: inputs.firstName,
      lastName: inputs.lastName,
    });
    if (!inputs.enabled) record = await api.updateUser(record.id, { enabled: false });
    await applyGrants({ username: inputs.username, userId: record.id }, businessGroups, undefined, true);
    session.carries(record.id, Object.keys(businessGroups));
    return { id: record.id, outs: { ...inputs, businessGroups, userId: record.id, adopted: false } };
  }

  /**
   * The live user and their live access in the business groups rollcall manages, from listings
   * read once per process. An invited person who has signed in since becomes their user
   * (`pulumi up --refresh`), holding nothing yet.
   */
  async read(id: string, props: AnypointUserOutputs): Promise<pulumi.dynamic.ReadResult> {
    if (id.startsWith(INVITE_PREFIX)) {
      const joined = [...(await session.existingUsers()).values()].find(
        (u) => u.username.toLowerCase() === props.username.toLowerCase() || sameEmail(u.email, props.email),
      );
      if (!joined) return { id, props };
      id = joined.id;
    }
    const record = await session.listedUser(id);
    if (!record) return { id: "" };
    const businessGroups = props.businessGroups && (await liveGrants({ username: record.username, userId: id }, props.businessGroups));
    const live: AnypointUserInputs = {
      username: record.username,
      email: record.email.toLowerCase(),
      firstName: record.firstName,
      lastName: record.lastName,
      enabled: record.enabled,
      businessGroups,
    };
    return { id, props: { ...live, userId: id, adopted: props.adopted ?? false }, inputs: live as unknown as Record<string, unknown> };
  }

  async update(id: string, olds: AnypointUserOutputs, news: AnypointUserInputs): Promise<pulumi.dynamic.UpdateResult> {
    const businessGroups = normalizeGrants(news.businessGroups) ?? {};
    if (id.startsWith(INVITE_PREFIX)) return { outs: { ...news, businessGroups, userId: "", adopted: false, inviteId: olds.inviteId } };
    const patch = userPatch(olds, news);
    // Only enabled changes (offboarding by disable, and back): coalesced into bulk PUTs.
    if (Object.keys(patch).length === 1 && patch.enabled !== undefined) await session.setEnabled(id, patch.enabled);
    else if (Object.keys(patch).length) await session.api().updateUser(id, patch);
    // State of the old model has no businessGroups: its access resources held them; then only
    // what is missing is granted (their retired provider's delete takes nothing away).
    await applyGrants({ username: news.username, userId: id }, businessGroups, olds.businessGroups);
    session.carries(id, Object.keys(businessGroups));
    return { outs: { ...news, businessGroups, userId: id, adopted: olds.adopted ?? false } };
  }

  /** DELETE in the master organization (coalesced into bulk calls), never against a business group; a pending invitation is cancelled. */
  async delete(id: string): Promise<void> {
    if (id.startsWith(INVITE_PREFIX)) await session.api().cancelInvite(id.slice(INVITE_PREFIX.length));
    else await session.deleteUser(id);
  }
}

function takenByAnother(existing: AnypointUserRecord, wanted: AnypointUserInputs): string {
  return (
    `Anypoint username '${wanted.username}' already belongs to a user with email '${existing.email}', but users.yaml declares '` +
    `${wanted.email}' for it: ` +
    `rollcall adopts an existing user only when username and email both match, so it neither takes over nor changes that account. ` +
    `If it is the same person and only the email changed, add \`previousEmail: ${existing.email.toLowerCase()}\` to their ` +
    `anypoint block; otherwise choose a username nobody has on Anypoint.`
  );
}

function userPatch(current: { email: string; firstName: string; lastName: string; enabled: boolean }, wanted: AnypointUserInputs) {
  const patch: Partial<AnypointUserRecord> = {};
  if (!sameEmail(current.email, wanted.email)) patch.email = wanted.email;
  if (!sameText(current.firstName, wanted.firstName)) patch.firstName = wanted.firstName;
  if (!sameText(current.lastName, wanted.lastName)) patch.lastName = wanted.lastName;
  if (current.enabled !== wanted.enabled) patch.enabled = wanted.enabled;
  return patch;
}
