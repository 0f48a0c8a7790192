// AnypointBusinessGroupAccess: a person's roles and teams in one business group. Removing it removes
// every permission the person has there (the platform's way of removing someone from a business
// group); the user stays.
import type * as pulumi from "@pulumi/pulumi";
import { closestNames } from "../../src/model/suggest";
import type { ShimTarget } from "../../src/pulumi/shim";
import { session } from "./session";
import type { BusinessGroupAccessInputs, BusinessGroupAccessOutputs } from "./types";

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
    // Adoption (an exported users.yaml): what the person already holds is not granted again.
    const held = await this.held(businessGroupId, inputs);
    await this.apply(businessGroupId, inputs, held);
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

  /** The declared roles and teams the user holds already (nothing else is touched on create). */
  private async held(orgId: string, inputs: BusinessGroupAccessInputs): Promise<{ roles: string[]; teams: string[] }> {
    const api = session.api();
    const roles = new Set((await api.listUserRoles(orgId, inputs.userId)).map((r) => r.name));
    const teams = new Set((await api.listUserTeams(inputs.userId)).map((t) => t.name));
    return { roles: inputs.roles.filter((r) => roles.has(r)), teams: inputs.teams.filter((t) => teams.has(t)) };
  }

  /** Moves the user's roles and teams in one business group from `from` to `to`. */
  private async apply(orgId: string, to: BusinessGroupAccessInputs, from: { roles: string[]; teams: string[] }): Promise<void> {
    const api = session.api();
    await this.roleIds(orgId, to.roles, to); // every declared name must exist, held or not
    const roleIds = await this.roleIds(orgId, to.roles.filter((r) => !from.roles.includes(r)), to);
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

