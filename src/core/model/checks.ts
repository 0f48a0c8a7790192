// Checks the schema cannot express: uniqueness (case-insensitive, as the platforms compare) and
// rules that depend on defaults.
import type { Locator } from "./locate";
import { displayPath, type Problem } from "./problems";

interface RawPerson {
  key?: unknown;
  email?: unknown;
  controlRoom?: { username?: unknown; roles?: unknown[] };
  anypoint?: { username?: unknown; businessGroups?: Record<string, { roles?: unknown[]; teams?: unknown[] }> };
}

export function semanticProblems(
  entries: unknown[],
  defaults: { controlRoom?: { roles?: unknown[] } } | undefined,
  file: string,
  locate: Locator,
): Problem[] {
  const problems: Problem[] = [];
  // Entries that are not mappings (a bare "-") are the schema's to report; skip them here.
  const users = entries.map((e) => (e !== null && typeof e === "object" && !Array.isArray(e) ? (e as RawPerson) : {}));
  const unique = (what: string, field: (string | number)[], value: (p: RawPerson) => unknown, hint: string) => {
    const firstSeen = new Map<string, number>();
    users.forEach((person, i) => {
      const raw = value(person);
      if (typeof raw !== "string") return;
      const norm = raw.trim().toLowerCase();
      const first = firstSeen.get(norm);
      if (first === undefined) return void firstSeen.set(norm, i);
      const at = locate.value(["users", first, ...field]);
      const path = ["users", i, ...field];
      problems.push({
        file,
        path: displayPath(path),
        ...locate.value(path),
        message:
          `duplicate ${what} "${raw}" (compared case-insensitively): also used by ${displayPath(["users", first])} at ${file}:` +
          `${at.line}:${at.column}`,
        hint,
      });
    });
  };
  unique("key", ["key"], (p) => p.key, "Each person needs their own key");
  unique("email", ["email"], (p) => p.email, "Each person has one entry; merge the two entries");
  unique(
    "Control Room username",
    ["controlRoom", "username"],
    (p) => (p.controlRoom ? (p.controlRoom.username ?? p.key) : undefined),
    "Usernames are unique on a Control Room",
  );
  unique("Anypoint username", ["anypoint", "username"], (p) => p.anypoint?.username, "Usernames are unique on Anypoint Platform");

  users.forEach((person, i) => {
    if (person.controlRoom && !(person.controlRoom.roles ?? defaults?.controlRoom?.roles ?? []).length) {
      const path = ["users", i, "controlRoom"];
      problems.push({
        file,
        path: displayPath(path),
        ...locate.value(path),
        message: "has no role",
        hint: "Control Room requires at least one role per user: add roles: [...] here or defaults.controlRoom.roles",
      });
    }
    for (const [group, access] of Object.entries(person.anypoint?.businessGroups ?? {})) {
      if (access && typeof access === "object" && !(access.roles?.length || access.teams?.length)) {
        const path = ["users", i, "anypoint", "businessGroups", group];
        problems.push({
          file,
          path: displayPath(path),
          ...locate.value(path),
          message: "grants nothing",
          hint: "Give at least one role or team, or remove the business group to remove the person's access there",
        });
      }
    }
  });
  return problems;
}
