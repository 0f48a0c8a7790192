// From `pulumi preview --json` to who gains, keeps, changes or loses access, per platform and
// (on Anypoint) per business group. Pure: no I/O, no clock. Reads only the access fields of each
// resource (an allow-list), so provider text (`__provider`) and credentials never reach a report.
//
// Two Anypoint models are understood: business-group access as separate
// `AnypointBusinessGroupAccess` resources (one per person and group), and the folded model where
// one `AnypointUser` carries a `businessGroups` map input ({ group: { roles, teams } }).
import type { PreviewDigest, PreviewStep } from "../../pulumi/engine/pulumi-cli";
import { TYPES } from "../../pulumi/resource-types";

export type Platform = "Control Room" | "Anypoint";
export type Op = "added" | "adopted" | "removed" | "changed";

export interface FieldChange {
  field: string;
  before: string;
  after: string;
  /** For a set (roles, teams, licenses): what leaves it and what joins it, sorted. */
  lost?: string[];
  gained?: string[];
}

export interface PersonChange {
  platform: Platform;
  /** The person's key in users.yaml (the resource name), else their username. */
  person: string;
  username: string;
  op: Op;
  /** Anypoint business group this change is about; undefined for the platform user itself. */
  businessGroup?: string;
  fields: FieldChange[];
}

const { controlRoomUser: CONTROL_ROOM_USER, anypointUser: ANYPOINT_USER, anypointAccess: ANYPOINT_ACCESS } = TYPES;

/** The only inputs a report may show, per resource type; everything else is bookkeeping or secret. */
const SHOWN: Record<string, string[]> = {
  [CONTROL_ROOM_USER]: ["roles", "licenseFeatures", "disabled", "email"],
  [ANYPOINT_USER]: ["enabled", "email"],
  [ANYPOINT_ACCESS]: ["roles", "teams"],
};

/** What a person can do (shown old → new for people added and removed too). */
const ACCESS = ["roles", "teams", "licenseFeatures"];

type Inputs = Record<string, unknown>;

export interface ChangeOptions {
  /** Person keys (or usernames) whose `create` adopts an existing platform user (from `identity`). */
  adopted?: Set<string>;
}

export function personChanges(digest: PreviewDigest, opts: ChangeOptions = {}): PersonChange[] {
  const out: PersonChange[] = [];
  for (const step of digest.steps ?? []) {
    const type = step.newState?.type ?? step.oldState?.type ?? "";
    if (!(type in SHOWN)) continue;
    const op = opOf(step);
    if (!op) continue;
    const before: Inputs = step.oldState?.inputs ?? {};
    const after: Inputs = step.newState?.inputs ?? {};
    const name = step.urn.split("::").pop() ?? "";
    const platform: Platform = type === CONTROL_ROOM_USER ? "Control Room" : "Anypoint";
    const username = text(after.username ?? before.username ?? name);
    // The resource name of a group access is "<person>/<group>" or similar: the person is the user's key.
    const person = type === ANYPOINT_ACCESS ? personOfAccess(name, username) : name;
    const adopted = op === "added" && (opts.adopted?.has(person) || opts.adopted?.has(username) || after.adopt === true);
    const change: PersonChange = {
      platform,
      person,
      username,
      op: adopted ? "adopted" : op,
      ...(type === ANYPOINT_ACCESS ? { businessGroup: text(after.businessGroup ?? before.businessGroup) } : {}),
      fields:
        op === "changed"
          ? fieldChanges(SHOWN[type]!, before, after)
          : op === "added"
            ? fieldChanges(ACCESS, {}, after)
            : fieldChanges(ACCESS, before, {}),
    };
    if (op === "changed" && change.fields.length === 0 && !hasGroups(before, after)) continue;
    out.push(change);
    // Folded Anypoint model: each business group of the map is reported like a separate access.
    if (type === ANYPOINT_USER && hasGroups(before, after)) out.push(...groupChanges(change, groups(before), groups(after), op));
  }
  return out.filter((c) => !(c.platform === "Anypoint" && !c.businessGroup && c.op === "changed" && c.fields.length === 0)).sort(byPlace);
}

function opOf(step: PreviewStep): Op | undefined {
  switch (step.op) {
    case "create":
      return "added";
    case "delete":
      return "removed";
    case "update":
    case "replace":
      return "changed";
    default:
      return undefined;
  }
}

function personOfAccess(name: string, username: string): string {
  const cut = name.search(/[/:@]/);
  return cut > 0 ? name.slice(0, cut) : username;
}

type Groups = Record<string, { roles?: unknown; teams?: unknown }>;

function hasGroups(before: Inputs, after: Inputs): boolean {
  return typeof before.businessGroups === "object" || typeof after.businessGroups === "object";
}

function groups(inputs: Inputs): Groups {
  const g = inputs.businessGroups;
  return g && typeof g === "object" ? (g as Groups) : {};
}

function groupChanges(user: PersonChange, before: Groups, after: Groups, userOp: Op): PersonChange[] {
  const out: PersonChange[] = [];
  for (const group of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const b = before[group];
    const a = after[group];
    const op: Op | undefined = userOp === "removed" || !a ? "removed" : !b ? (user.op === "adopted" ? "adopted" : "added") : "changed";
    const fields = fieldChanges(
      ["roles", "teams"],
      (op === "added" || op === "adopted" ? {} : (b ?? {})) as Inputs,
      (op === "removed" ? {} : (a ?? {})) as Inputs,
    );
    if (op === "changed" && fields.length === 0) continue;
    out.push({ platform: "Anypoint", person: user.person, username: user.username, op, businessGroup: group, fields });
  }
  return out;
}

function fieldChanges(shown: string[], before: Inputs, after: Inputs): FieldChange[] {
  return shown
    .filter((k) => text(before[k]) !== text(after[k]))
    .map((k) => ({
      field: k === "licenseFeatures" ? "licenses" : k,
      before: text(before[k]),
      after: text(after[k]),
      ...(SETS.has(k) ? setChange(before[k], after[k]) : {}),
    }));
}

/** Fields whose value is a set of grants: a reviewer reads them as −lost, +gained. */
const SETS = new Set(["roles", "teams", "licenseFeatures"]);

function setChange(before: unknown, after: unknown): { lost: string[]; gained: string[] } {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const b = new Set(list(before));
  const a = new Set(list(after));
  return { lost: [...b].filter((x) => !a.has(x)).sort(), gained: [...a].filter((x) => !b.has(x)).sort() };
}

/** A value as a reviewer reads it: lists sorted and comma-separated, nothing as "(none)". */
export function text(v: unknown): string {
  if (v === undefined || v === null || v === "") return "(none)";
  if (Array.isArray(v)) return v.length ? v.map(String).sort().join(", ") : "(none)";
  if (typeof v === "object") return "(unknown until apply)";
  return String(v);
}

function byPlace(a: PersonChange, b: PersonChange): number {
  return (
    a.platform.localeCompare(b.platform) || a.person.localeCompare(b.person) || (a.businessGroup ?? "").localeCompare(b.businessGroup ?? "")
  );
}
