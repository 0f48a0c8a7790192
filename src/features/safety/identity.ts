// Identity: rollcall adopts an existing platform user only when the username AND the email match
// (case-insensitive). A username that exists on a platform for another email is someone else's
// account: taking it over would hand that person's access to whoever users.yaml names, so it fails
// the preview, before any resource is registered, naming both people and what to do. An email
// change is adopted only when users.yaml says so explicitly (`previousEmail:` in the platform's
// block), and the preview says that the email will change.
//
// Pure: works on the inventory the program read once per run (src/features/plan/inventory.ts).
import type { Problem } from "../../core/model/problems";
import type { Person, SourceLocation, UsersModel } from "../../core/model/types";

export type Platform = "controlRoom" | "anypoint";
export const PLATFORM_NAME: Record<Platform, string> = { controlRoom: "Control Room", anypoint: "Anypoint" };

/** A platform user as the inventory lists it (the fields identity needs). */
export interface ListedUser {
  id: string | number;
  username: string;
  email: string;
}

/**
 * What `up` will do with a person not yet managed by this stack. Exposed to the report in the
 * program's data file (src/features/report/program-data.ts, `identity.steps`):
 *   { key, platform, username, email, action: "adopt" | "create",
 *     userId?            (adopt: the platform's id),
 *     emailChange?       (adopt with previousEmail: { from, to }) }
 */
export interface IdentityStep {
  key: string;
  platform: Platform;
  username: string;
  email: string;
  action: "adopt" | "create";
  userId?: string;
  emailChange?: { from: string; to: string };
}

export interface IdentityCheck {
  problems: Problem[];
  steps: IdentityStep[];
}

/**
 * `managed`: usernames per platform that the last deployment already manages (its exported
 * memberships). Their email changes are ordinary reviewed updates, shown as such in the diff.
 */
export function checkIdentities(
  model: UsersModel,
  users: Partial<Record<Platform, ListedUser[]>>,
  managed: Partial<Record<Platform, string[]>> = {},
): IdentityCheck {
  const problems: Problem[] = [];
  const steps: IdentityStep[] = [];
  for (const platform of ["controlRoom", "anypoint"] as const) {
    const listed = users[platform];
    if (!listed) continue;
    const byName = new Map(listed.map((u) => [u.username.toLowerCase(), u]));
    const alreadyManaged = new Set((managed[platform] ?? []).map((u) => u.toLowerCase()));
    model.people.forEach((person, i) => {
      const block = person[platform];
      if (!block || alreadyManaged.has(block.username.toLowerCase())) return;
      const existing = byName.get(block.username.toLowerCase());
      const step: IdentityStep = {
        key: person.key,
        platform,
        username: block.username,
        email: person.email,
        action: existing ? "adopt" : "create",
      };
      if (existing) {
        const theirs = existing.email.trim().toLowerCase();
        step.userId = String(existing.id);
        if (theirs !== person.email) {
          if (block.previousEmail !== theirs) {
            problems.push(takeoverProblem(model, person, i, platform, existing));
            return;
          }
          step.emailChange = { from: theirs, to: person.email };
        }
      }
      steps.push(step);
    });
  }
  return { problems, steps };
}

function takeoverProblem(model: UsersModel, person: Person, index: number, platform: Platform, existing: ListedUser): Problem {
  const at: SourceLocation = model.usernameSources?.[person.key]?.[platform] ?? person.source;
  const name = PLATFORM_NAME[platform];
  const block = person[platform]!;
  const stale = block.previousEmail ? ` (its previousEmail: ${block.previousEmail} does not match either)` : "";
  return {
    file: at.file,
    line: at.line,
    column: at.column,
    path: `users[${index}].${platform}.username`,
    message:
      `${person.key}: the ${name} username '${block.username}' already belongs to ${existing.email} (${name} user id ${existing.id}), ` +
      `not to ${person.email}${stale}; rollcall will not take over another person's account`,
    hint:
      `If '${block.username}' is someone else, choose a username nobody has on ${name} for ${person.key}. ` +
      `If it is ${person.key} and only the email changed, adopt it explicitly with \`previousEmail: ` +
      `${existing.email.toLowerCase()}\` in the ${platform} block (rollcall then changes that user's email to ${person.email}, ` +
      `and the preview says so)`,
  };
}

/**
 * People on a platform that users.yaml does not declare. `businessGroups`: Anypoint only, group name → undeclared usernames holding access
 * there.
 */
export interface UndeclaredMembers {
  controlRoom?: { count: number; usernames: string[] };
  anypoint?: { count: number; usernames: string[]; businessGroups: Record<string, string[]> };
}

/** Usernames on the platform that no person declares; `exclude` is rollcall's own login (a service account, not a person). */
export function undeclaredUsernames(model: UsersModel, platform: Platform, listed: ListedUser[], exclude: string[] = []): string[] {
  const declared = new Set(model.people.flatMap((p) => (p[platform] ? [p[platform]!.username.toLowerCase()] : [])));
  const skip = new Set(exclude.map((u) => u.toLowerCase()));
  return listed
    .map((u) => u.username)
    .filter((u) => !declared.has(u.toLowerCase()) && !skip.has(u.toLowerCase()))
    .sort((a, b) => a.localeCompare(b));
}

export type UndeclaredMode = "warn" | "fail";

/** One warning per platform and business group: counts and names (the first 20), and the way out. */
export function undeclaredMessages(u: UndeclaredMembers, mode: UndeclaredMode): string[] {
  const list = (xs: string[]) => `${xs.slice(0, 20).join(", ")}${xs.length > 20 ? `, … (${xs.length - 20} more)` : ""}`;
  const lines: string[] = [];
  if (u.controlRoom?.count)
    lines.push(
      `Control Room: ${u.controlRoom.count} user${u.controlRoom.count === 1 ? " is" : "s are"} not in users.yaml: ` +
        `${list(u.controlRoom.usernames)}`,
    );
  if (u.anypoint?.count) {
    lines.push(
      `Anypoint: ${u.anypoint.count} user${u.anypoint.count === 1 ? " is" : "s are"} not in users.yaml: ${list(u.anypoint.usernames)}`,
    );
    for (const [group, names] of Object.entries(u.anypoint.businessGroups))
      if (names.length) lines.push(`Anypoint business group '${group}': ${names.length} of them: ${list(names)}`);
  }
  if (!lines.length) return [];
  const way =
    "To manage them, `rollcall export` them into users.yaml and merge that (rollcall adopts them, changing nothing); to remove " +
    "them, then delete their entries in a reviewed pull request" +
    (mode === "warn"
      ? ". Set `rollcall:undeclaredMembers fail` to make this fail the preview."
      : ". rollcall:undeclaredMembers is fail, so this preview fails.");
  return [...lines.map((l) => `undeclared members: ${l}.`), way];
}

/** The sentence a reviewer reads for each adopt (creates are the engine's own "+ create"). */
export function adoptMessage(s: IdentityStep): string {
  const name = PLATFORM_NAME[s.platform];
  return s.emailChange
    ? `${s.key}: adopts the existing ${name} user '${s.username}' (id ${s.userId}) as users.yaml's previousEmail allows, and ` +
        `changes its email from ${s.emailChange.from} to ${s.emailChange.to}.`
    : `${s.key}: adopts the existing ${name} user '${s.username}' (id ${s.userId}; same username and email): nothing is created.`;
}
