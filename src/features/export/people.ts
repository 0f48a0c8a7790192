// From platform accounts to users.yaml entries: one entry per person, people matched across the
// platforms by email (case-insensitive), a stable key per person, and a comment wherever the
// export had to guess or leave something out. Pure: no network, deterministic for the same input.
import type { AnypointAccount, ControlRoomAccount } from "./inventory";

export interface ExportEntry {
  key: string;
  email: string;
  firstName: string;
  lastName: string;
  protected?: boolean;
  controlRoom?: { username: string; roles: string[]; licenses: string[]; disabled: boolean; description?: string };
  anypoint?: { username: string; disabled: boolean; businessGroups: Record<string, { roles: string[]; teams: string[] }> };
  /** Lines written as `# …` above the entry. */
  comments: string[];
}

/** A platform user the file cannot declare as it is, with the reason (written as a comment). */
export interface LeftOut {
  platform: "Control Room" | "Anypoint";
  username: string;
  reason: string;
}

export interface ExportPlan {
  entries: ExportEntry[];
  leftOut: LeftOut[];
}

export interface ExportInput {
  controlRoom?: ControlRoomAccount[];
  anypoint?: AnypointAccount[];
  /** Accounts rollcall signs in as: never exported (rollcall must not manage its own access). */
  callers?: { controlRoom?: string; anypoint?: string };
  /** Users already left out while reading the platforms (records.ts), with why. */
  unreadable?: LeftOut[];
  /** The users.yaml being re-exported: its keys and `protected` flags are kept for the people it already has. */
  previous?: PreviousEntry[];
}

export interface PreviousEntry {
  key: string;
  email: string;
  protected: boolean;
  controlRoomUsername?: string;
  anypointUsername?: string;
}

// The schema's rules, applied here so that the file the export writes always validates.
const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@\\-]*$/;
const NAME_OK = (s: string | undefined): s is string => !!s && s.trim() !== "" && s.length <= 50 && !/[\u0000-\u001f\u007f]/.test(s);

const lower = (s: string) => s.trim().toLowerCase();
const fold = (s: string) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
const sameName = (a: { firstName?: string; lastName?: string }, b: { firstName?: string; lastName?: string }) =>
  !!a.firstName &&
  !!b.firstName &&
  lower(fold(a.firstName)) === lower(fold(b.firstName)) &&
  lower(fold(a.lastName ?? "")) === lower(fold(b.lastName ?? ""));

/** A key from the email's local part: ASCII letters, digits, '.', '_', '-' (accents dropped). */
export function baseKey(email: string, fallback: string): string {
  const make = (s: string) =>
    fold(s)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^[^a-z0-9]+/, "")
      .replace(/-+$/, "")
      .slice(0, 60);
  return make(email.split("@")[0] ?? "") || make(fallback) || "person";
}

/** The first name in an account's access that users.yaml cannot hold (schema: 1-100 characters, no control characters), as a reason. */
function undeclarable(what: string, names: string[], ok: (s: string) => boolean = NAME_FITS): string | undefined {
  const bad = names.find((n) => !ok(n));
  return bad === undefined
    ? undefined
    : `${what} ${JSON.stringify(bad.slice(0, 60))} is not a name users.yaml accepts; rename it on the platform and export again`;
}
const NAME_FITS = (s: string) => s.trim() !== "" && s.length <= 100 && !/[\u0000-\u001f\u007f]/.test(s);
const LICENSE = /^[A-Z][A-Z_]{0,63}$/;

export function planExport(input: ExportInput): ExportPlan {
  const leftOut: LeftOut[] = [...(input.unreadable ?? [])];
  const people = new Map<string, { email: string; cr?: ControlRoomAccount; ap?: AnypointAccount; comments: string[] }>();
  const take = <A extends { username: string; email: string }>(
    accounts: A[] | undefined,
    platform: LeftOut["platform"],
    caller: string | undefined,
    slot: "cr" | "ap",
  ) => {
    for (const a of [...(accounts ?? [])].sort((x, y) => cmp(lower(x.username), lower(y.username)))) {
      if (caller && lower(a.username) === lower(caller)) {
        leftOut.push({
          platform,
          username: a.username,
          reason: "the account rollcall signs in as: manage it outside users.yaml, so a change here can never lock rollcall out",
        });
        continue;
      }
      if (!USERNAME.test(a.username) || a.username.length > 255) {
        leftOut.push({
          platform,
          username: a.username,
          reason:
            a.username.length > 255
              ? "its username is longer than the 255 characters users.yaml accepts"
              : "its username has characters users.yaml does not accept",
        });
        continue;
      }
      if (!EMAIL.test(a.email.trim()) || a.email.length > 254) {
        leftOut.push({
          platform,
          username: a.username,
          reason: `its email ${JSON.stringify(a.email)} is not one users.yaml accepts; fix it on the platform and export again`,
        });
        continue;
      }
      const email = lower(a.email);
      const person = people.get(email) ?? { email, comments: [] };
      if (person[slot]) {
        leftOut.push({
          platform,
          username: a.username,
          reason:
            `same email (${email}) as ${platform} user '${person[slot]!.username}': users.yaml has one entry per email; give one ` +
            `of them its own email`,
        });
        continue;
      }
      (person as Record<string, unknown>)[slot] = a;
      people.set(email, person);
    }
  };
  take(input.controlRoom, "Control Room", input.callers?.controlRoom, "cr");
  take(input.anypoint, "Anypoint", input.callers?.anypoint, "ap");

  // Same name, different emails: matched by email only, so two entries, and both say why.
  const onlyCr = [...people.values()].filter((p) => p.cr && !p.ap);
  const onlyAp = [...people.values()].filter((p) => p.ap && !p.cr);
  for (const c of onlyCr) {
    for (const a of onlyAp) {
      if (!sameName(c.cr!, a.ap!)) continue;
      c.comments.push(
        `Anypoint user '${a.ap!.username}' has the same name but another email (${a.email}): people are matched by email, so ` +
          `they are two entries. If they are one person, merge the entries (the first up then changes the email on one platform).`,
      );
      a.comments.push(`Control Room user '${c.cr!.username}' has the same name but another email (${c.email}): see that entry.`);
    }
  }

  const entries: ExportEntry[] = [];
  for (const p of [...people.values()].sort((x, y) => cmp(x.email, y.email))) {
    const comments = [...p.comments];
    const { cr, ap } = p;
    let controlRoom: ExportEntry["controlRoom"];
    if (cr) {
      const unfit = undeclarable("its role", cr.roles) ?? undeclarable("its license", cr.licenses, (l) => LICENSE.test(l));
      if (unfit) leftOut.push({ platform: "Control Room", username: cr.username, reason: unfit });
      else if (!cr.roles.length)
        leftOut.push({
          platform: "Control Room",
          username: cr.username,
          reason: "it has no role, and users.yaml requires at least one; give it a role on the platform (or here) and export again",
        });
      else
        controlRoom = {
          username: cr.username,
          roles: cr.roles,
          licenses: cr.licenses,
          disabled: cr.disabled,
          ...(cr.description && cr.description.length <= 255 && !/[\u0000-\u001f]/.test(cr.description)
            ? { description: cr.description }
            : {}),
        };
    }
    let anypoint: ExportEntry["anypoint"];
    if (ap) {
      const groups = Object.entries(ap.businessGroups).filter(([, g]) => g.roles.length || g.teams.length);
      const unfit = groups
        .map(
          ([name, g]) =>
            undeclarable("its business group", [name]) ??
            undeclarable(`its role in '${name}'`, g.roles) ??
            undeclarable(`its team in '${name}'`, g.teams),
        )
        .find(Boolean);
      if (unfit) {
        leftOut.push({ platform: "Anypoint", username: ap.username, reason: unfit });
      } else if (!groups.length) {
        leftOut.push({
          platform: "Anypoint",
          username: ap.username,
          reason:
            `it holds no role or team rollcall can declare` +
            `${ap.externalTeams.length ? ` (only teams from identity-provider groups: ${ap.externalTeams.join(", ")})` : ""}; ` +
            `users.yaml requires at least one business group`,
        });
      } else {
        anypoint = { username: ap.username, disabled: ap.disabled, businessGroups: Object.fromEntries(groups) };
      }
      if (anypoint && ap.externalTeams.length)
        comments.push(
          `Anypoint teams from identity-provider groups, not declared (only the identity provider can change them): ` +
            `${ap.externalTeams.join(", ")}.`,
        );
    }
    if (!controlRoom && !anypoint) continue;
    // Names: Control Room's when both platforms have them (they must agree for a no-op).
    const source = controlRoom && cr && NAME_OK(cr.firstName) && NAME_OK(cr.lastName) ? cr : anypoint && ap ? ap : cr!;
    let firstName = source.firstName?.trim() ?? "";
    let lastName = source.lastName?.trim() ?? "";
    if (!NAME_OK(firstName) || !NAME_OK(lastName)) {
      const username = (controlRoom ?? anypoint)!.username;
      comments.push(
        `GUESSED: the platform has no usable first or last name for '${username}'; the first pulumi up writes these. Correct ` +
          `them before merging.`,
      );
      if (!NAME_OK(firstName)) firstName = username.slice(0, 50);
      if (!NAME_OK(lastName)) lastName = "-";
    }
    if (controlRoom && anypoint && ap && cr && (ap.firstName.trim() !== firstName || ap.lastName.trim() !== lastName)) {
      comments.push(
        `Names differ: Anypoint has '${ap.firstName} ${ap.lastName}', Control Room '${cr.firstName ?? ""} ${cr.lastName ?? ""}` +
          `'. This file keeps one name; the first pulumi up changes it on Anypoint.`,
      );
    }
    entries.push({
      key: "",
      email: p.email,
      firstName,
      lastName,
      ...(controlRoom ? { controlRoom } : {}),
      ...(anypoint ? { anypoint } : {}),
      comments,
    });
  }

  // Keys: a person already in the file keeps theirs (and `protected`), matched by username, then email;
  // the others get one from the email, unique, with a suffix where two would share one (in email order, so stable).
  const used = new Set<string>();
  const byUsername = new Map<string, PreviousEntry>();
  const byEmail = new Map<string, PreviousEntry>();
  for (const p of input.previous ?? []) {
    if (p.controlRoomUsername) byUsername.set(`cr:${lower(p.controlRoomUsername)}`, p);
    if (p.anypointUsername) byUsername.set(`ap:${lower(p.anypointUsername)}`, p);
    byEmail.set(lower(p.email), p);
  }
  for (const e of entries) {
    const kept =
      (e.controlRoom && byUsername.get(`cr:${lower(e.controlRoom.username)}`)) ||
      (e.anypoint && byUsername.get(`ap:${lower(e.anypoint.username)}`)) ||
      byEmail.get(e.email);
    if (!kept || used.has(kept.key)) continue;
    e.key = kept.key;
    if (kept.protected) e.protected = true;
    used.add(kept.key);
  }
  for (const e of entries) {
    if (e.key) continue;
    const base = baseKey(e.email, (e.controlRoom ?? e.anypoint)!.username);
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}-${n}`;
    if (key !== base) e.comments.push(`GUESSED key: '${base}' was taken by another person.`);
    used.add(key);
    e.key = key;
  }
  entries.sort((a, b) => cmp(a.key, b.key));
  leftOut.sort((a, b) => cmp(a.platform, b.platform) || cmp(lower(a.username), lower(b.username)));
  return { entries, leftOut };
}

/** Code-point order: the same in every locale, so re-running never reorders the file. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
