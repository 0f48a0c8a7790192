// The logic behind the ControlRoomUser resource. Loaded at run time through the serialized shim
// (src/pulumi/shim.ts, via provider.ts), so it always runs the installed code. diff never touches the network
// (Pulumi runs them serially per resource); create/read/update/delete do.
import type * as pulumi from "@pulumi/pulumi";
import { readControlRoomSettings, type ConfigGetter } from "../../core/config";
import { closestNames } from "../../core/model/suggest";
import type { ShimTarget } from "../../pulumi/shim";
import { HttpError } from "../../core/http/client";
import { ControlRoomClient, type ControlRoomUserRecord, type ControlRoomUserSpec } from "./client";
import { Lazy } from "../../core/util/lazy";
import { ControlRoomUserListing } from "./user-listing";

/** What users.yaml says about one Control Room user. Roles by name. */
export interface ControlRoomUserInputs {
  username: string;
  email: string;
  firstName?: string;
  lastName?: string;
  description?: string;
  roles: string[];
  licenseFeatures: string[];
  disabled: boolean;
  /** Adopt a user with this username whose email is this one (users.yaml's previousEmail): its email then changes to `email`. */
  previousEmail?: string;
}

export interface ControlRoomUserOutputs extends ControlRoomUserInputs {
  /** Control Room's numeric id (also the Pulumi resource id). */
  userId: number;
  roleIds: number[];
  /** True when create found the user already on the platform and took it over instead of creating it. */
  adopted: boolean;
}

/** The fields whose change means an API update; a username change means replace. */
const MANAGED_FIELDS = ["email", "firstName", "lastName", "description", "roles", "licenseFeatures", "disabled"] as const;

export function normalizeInputs(raw: Record<string, unknown>): ControlRoomUserInputs {
  const list = (v: unknown) => [...new Set((Array.isArray(v) ? v : []).map(String))].sort();
  const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
  const inputs: ControlRoomUserInputs = {
    username: String(raw.username ?? "").trim(),
    email: String(raw.email ?? "")
      .trim()
      .toLowerCase(),
    roles: list(raw.roles),
    licenseFeatures: list(raw.licenseFeatures).map((l) => l.toUpperCase()),
    disabled: raw.disabled === true,
  };
  for (const key of ["firstName", "lastName", "description", "previousEmail"] as const) {
    const value = text(raw[key]);
    if (value !== undefined) inputs[key] = key === "previousEmail" ? value.toLowerCase() : value;
  }
  return inputs;
}

export function changedFields(olds: Partial<ControlRoomUserInputs>, news: ControlRoomUserInputs): string[] {
  const changed: string[] = MANAGED_FIELDS.filter((f) => JSON.stringify(olds[f] ?? null) !== JSON.stringify(news[f] ?? null));
  if ((olds.username ?? "").toLowerCase() !== news.username.toLowerCase()) changed.unshift("username");
  return changed;
}

export class ControlRoomUserProvider implements ShimTarget {
  private config: ConfigGetter = () => undefined;
  private clientInstance?: ControlRoomClient;
  private readonly roleIndex = new Lazy(async () => new Map((await this.client().listRoles()).map((r) => [r.name, r.id] as const)));
  /** Existing users, listed once per provider process: adoption and refresh cost pages, not one call per user. */
  private readonly users = new ControlRoomUserListing(() => this.client());

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    // Credentials are read in the provider process from the decrypted stack config: never
    // captured into the serialized provider, so they never land in the state. Missing settings
    // are reported by the first call that needs the API, so diff (offline) still works.
    this.config = (k) => req.config.get(k);
  }

  private client(): ControlRoomClient {
    this.clientInstance ??= new ControlRoomClient(readControlRoomSettings(this.config));
    return this.clientInstance;
  }

  /** Role name → id, fetched once per provider process. */
  private async roleIds(names: string[], username: string): Promise<number[]> {
    const index = await this.roleIndex.get();
    const unknown = names.filter((n) => !index.has(n));
    if (unknown.length) {
      const hints = unknown.map((n) => {
        const close = closestNames(n, [...index.keys()], 3);
        return `'${n}'${close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(" or ")}?)` : ""}`;
      });
      throw new Error(
        `Control Room user '${username}': no role named ${hints.join(", ")} on ${this.client().url}. Fix the role names in ` +
          `users.yaml; role names are case-sensitive.`,
      );
    }
    return names.map((n) => index.get(n)!);
  }

  private async spec(inputs: ControlRoomUserInputs): Promise<ControlRoomUserSpec> {
    return {
      username: inputs.username,
      email: inputs.email,
      firstName: inputs.firstName,
      lastName: inputs.lastName,
      description: inputs.description,
      disabled: inputs.disabled,
      licenseFeatures: inputs.licenseFeatures,
      roleIds: await this.roleIds(inputs.roles, inputs.username),
    };
  }

  async diff(_id: string, olds: ControlRoomUserOutputs, news: ControlRoomUserInputs): Promise<pulumi.dynamic.DiffResult> {
    const changed = changedFields(olds, normalizeInputs(news as unknown as Record<string, unknown>));
    if (changed.length === 0) return { changes: false };
    // `changes: undefined` lets the engine diff the (normalized) inputs itself, so previews name
    // exactly the fields that change; the shim's __provider text is constant, so it never shows.
    return { changes: undefined, replaces: changed.includes("username") ? ["username"] : [], deleteBeforeReplace: true };
  }

  /**
   * Adopts an existing user with the same username (case-insensitive) and the same email — or the
   * declared previousEmail — since `pulumi import` cannot work for dynamic resources. A username
   * held by another email is someone else's account: refused, whatever the program checked before
   * (defence in depth: a user created between the preview and the merge).
   */
  async create(raw: ControlRoomUserInputs): Promise<pulumi.dynamic.CreateResult> {
    const inputs = normalizeInputs(raw as unknown as Record<string, unknown>);
    const spec = await this.spec(inputs);
    let existing = await this.users.byUsername(inputs.username);
    let record: ControlRoomUserRecord | undefined;
    if (!existing) {
      try {
        record = await this.client().createUser(spec);
      } catch (err) {
        // Created by someone else since the list was taken: adopt it after all.
        if (!(err instanceof HttpError && err.status === 409)) throw err;
        existing = await this.client().findUserByUsername(inputs.username);
        if (!existing) throw err;
      }
    }
    if (existing) {
      assertSamePerson(existing, inputs);
      record = sameAsSpec(existing, spec)
        ? existing
        : await this.client().updateUser(existing.id, { ...spec, username: existing.username });
    }
    this.users.forget(record!.id);
    return { id: String(record!.id), outs: outputs(inputs, record!, !!existing) };
  }

  /** The live user, from the process's listing the first time (`pulumi refresh` reads pages, not people). */
  async read(id: string, props: ControlRoomUserOutputs): Promise<pulumi.dynamic.ReadResult> {
    const record = await this.users.read(Number(id));
    // An empty id tells the engine the user is gone: `pulumi refresh` drops it from the state.
    if (!record) return { id: "" };
    const live: ControlRoomUserInputs = normalizeInputs({
      username: record.username,
      email: record.email,
      firstName: record.firstName,
      lastName: record.lastName,
      description: record.description,
      roles: record.roles.map((r) => r.name),
      licenseFeatures: record.licenseFeatures,
      disabled: record.disabled,
    });
    const outs = outputs(live, record, props.adopted ?? false);
    return { id, props: outs, inputs: live as unknown as Record<string, unknown> };
  }

  async update(id: string, _olds: ControlRoomUserOutputs, news: ControlRoomUserInputs): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = normalizeInputs(news as unknown as Record<string, unknown>);
    const record = await this.client().updateUser(Number(id), await this.spec(inputs));
    this.users.forget(record.id);
    return { outs: outputs(inputs, record, _olds.adopted ?? false) };
  }

  /** Sends DELETE /v2/usermanagement/users/{id}; a user already gone (404) counts as deleted. */
  async delete(id: string): Promise<void> {
    await this.client().deleteUser(Number(id));
    this.users.forget(Number(id));
  }
}

/** Adoption needs the same email (case-insensitive), or the one users.yaml names as previousEmail. */
export function assertSamePerson(existing: ControlRoomUserRecord, inputs: ControlRoomUserInputs): void {
  const theirs = existing.email.trim().toLowerCase();
  if (theirs === inputs.email || (inputs.previousEmail && theirs === inputs.previousEmail)) return;
  throw new Error(
    `Control Room user '${existing.username}' (id ${existing.id}) belongs to ${existing.email}, not ${inputs.email}: rollcall ` +
      `does not take over another person's account; nothing was changed. ` +
      `Choose another username in users.yaml, or, if it is the same person whose email changed, add \`previousEmail: ${theirs}` +
      `\` to their controlRoom block.`,
  );
}

function sameAsSpec(record: ControlRoomUserRecord, spec: ControlRoomUserSpec): boolean {
  const sorted = (xs: (string | number)[]) => JSON.stringify([...xs].sort());
  return (
    record.email.toLowerCase() === spec.email &&
    (record.firstName ?? undefined) === spec.firstName &&
    (record.lastName ?? undefined) === spec.lastName &&
    (record.description ?? undefined) === spec.description &&
    record.disabled === spec.disabled &&
    sorted(record.licenseFeatures) === sorted(spec.licenseFeatures) &&
    sorted(record.roles.map((r) => r.id)) === sorted(spec.roleIds)
  );
}

function outputs(inputs: ControlRoomUserInputs, record: ControlRoomUserRecord, adopted: boolean): ControlRoomUserOutputs {
  return { ...inputs, userId: record.id, roleIds: record.roles.map((r) => r.id).sort((a, b) => a - b), adopted };
}

/** The instances the shim loads, by resource kind. One per provider process. */
/** Control Room's providers by resource kind, undecorated: the program decorates them (src/program/providers.ts). */
export const controlRoomKinds: Record<string, ShimTarget> = {
  ControlRoomUser: new ControlRoomUserProvider(),
};
