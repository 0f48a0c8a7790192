// The one table of rollcall's resource kinds and their Pulumi type tokens. The token is what the
// engine stores in every state (`pulumi-nodejs:dynamic/rollcall:<Kind>`): the report, the apply
// summary, drift, migrate-state and the shim all name kinds through this table, so a new or retired
// kind is one edit, never five.

export type PlatformModule = "controlroom" | "anypoint";

export interface ResourceKind {
  /** Which platform's provider module (dist/providers/<platform>/provider.js) serves it. */
  platform: PlatformModule;
  /** The platform as people read it. */
  platformName: "Control Room" | "Anypoint";
  /** What one resource of the kind is, for summaries ("Control Room user"). */
  label: string;
  /** Kept only so states deployed before the kind was retired still read, report and delete. */
  retired?: true;
}

/** The `module` part of the token: `pulumi-nodejs:dynamic/<module>:<Kind>`. */
export const TYPE_MODULE = "rollcall";
export const TYPE_PREFIX = `pulumi-nodejs:dynamic/${TYPE_MODULE}:`;

export const RESOURCE_KINDS = {
  ControlRoomUser: { platform: "controlroom", platformName: "Control Room", label: "Control Room user" },
  AnypointUser: { platform: "anypoint", platformName: "Anypoint", label: "Anypoint user" },
  // Retired: access moved onto AnypointUser; older states still hold these.
  AnypointBusinessGroupAccess: { platform: "anypoint", platformName: "Anypoint", label: "Anypoint business-group access", retired: true },
} as const satisfies Record<string, ResourceKind>;

export type KindName = keyof typeof RESOURCE_KINDS;

/** The type token of a kind. */
export function typeOf(kind: KindName): string {
  return `${TYPE_PREFIX}${kind}`;
}

export const TYPES = {
  controlRoomUser: typeOf("ControlRoomUser"),
  anypointUser: typeOf("AnypointUser"),
  anypointAccess: typeOf("AnypointBusinessGroupAccess"),
} as const;

/** The kind a type token names, or undefined for anything that is not a rollcall resource. */
export function kindOfType(type: string | undefined): (ResourceKind & { kind: KindName }) | undefined {
  if (!type?.startsWith(TYPE_PREFIX)) return undefined;
  const kind = type.slice(TYPE_PREFIX.length);
  return Object.hasOwn(RESOURCE_KINDS, kind) ? { kind: kind as KindName, ...RESOURCE_KINDS[kind as KindName] } : undefined;
}
