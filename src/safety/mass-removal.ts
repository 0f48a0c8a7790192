// A guard against removing many people by accident (a bad merge, a truncated file that is still
// valid YAML): more removals than rollcall:maxRemovals fail the run before any resource is
// registered, with the figures and how to allow it when it is intended.
export interface Memberships {
  controlRoom?: string[];
  anypoint?: string[];
}

export const DEFAULT_MAX_REMOVALS = 25;

/** The error message when the change removes more memberships than allowed, else undefined. */
export function massRemovalError(previous: Memberships | undefined, current: Memberships, maxRemovals: number): string | undefined {
  if (!previous) return undefined;
  const removed = (platform: keyof Memberships) => {
    const now = new Set((current[platform] ?? []).map((u) => u.toLowerCase()));
    return (previous[platform] ?? []).filter((u) => !now.has(u.toLowerCase()));
  };
  const controlRoom = removed("controlRoom");
  const anypoint = removed("anypoint");
  const total = controlRoom.length + anypoint.length;
  if (total <= maxRemovals) return undefined;
  const sample = [...controlRoom, ...anypoint].slice(0, 5).join(", ");
  return (
    `This change removes ${controlRoom.length} Control Room and ${anypoint.length} Anypoint users (${sample}${total > 5 ? ", …" : ""}), ` +
    `more than rollcall:maxRemovals (${maxRemovals}); nothing was sent. If that is intended, allow it for this run with ` +
    `ROLLCALL_MAX_REMOVALS=${total} pulumi up, or set it with \`pulumi config set rollcall:maxRemovals ${total}\`.`
  );
}
