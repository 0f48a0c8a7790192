// users.yaml → validated, normalized model. Every problem carries file:line:column and the path in
// the document; all problems are reported at once. Nothing here touches the network.
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { semanticProblems } from "./checks";
import { expiryProblems, readExpiry, grantNames, type RawGrant } from "./expiry";
import { Locator } from "./locate";
import { UsersFileError, type Problem } from "./problems";
import { schemaProblems } from "./schema";
import type { AnypointMembership, ControlRoomMembership, Expiry, OffboardMode, Person, UsersModel } from "./types";

/**
 * Alias expansions allowed (the yaml library weighs each by the size of what it copies). High
 * enough for a file where hundreds of people share `roles: *basic`; far below what a "billion
 * laughs" file needs.
 */
const MAX_ALIAS_COUNT = 5000;

const EMPTY_HINT = "An empty list would remove everyone, so rollcall refuses it. To remove everyone on purpose, run `pulumi destroy`";

export function loadUsersFile(file: string): UsersModel {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read (${(err as Error).message})`;
    throw new UsersFileError(file, [
      {
        file,
        line: 1,
        column: 1,
        path: "",
        message: `${file} ${reason}`,
        hint: "Create it, or point rollcall:usersFile (or ROLLCALL_USERS_FILE) at it. Nothing was removed",
      },
    ]);
  }
  return parseUsersYaml(text, file);
}

export function parseUsersYaml(source: string, file: string): UsersModel {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source; // a UTF-8 BOM is harmless
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const locate = new Locator(doc, lineCounter);
  const fail = (problems: Problem[]): never => {
    throw new UsersFileError(file, problems);
  };

  const yamlErrors = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    const message =
      e.code === "MULTIPLE_DOCS"
        ? "the file holds more than one YAML document (a second ---)"
        : e.code === "DUPLICATE_KEY"
          ? `the key ${JSON.stringify(keyAt(text, e.pos[0]))} appears twice in the same mapping`
          : e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    return {
      file,
      line: pos.line,
      column: pos.col,
      path: "",
      message: `YAML syntax: ${message}`,
      hint: e.code === "TAB_AS_INDENT" ? "Indent with spaces, not tabs" : "Fix the YAML syntax; nothing else was checked",
    };
  });
  if (yamlErrors.length) fail(yamlErrors);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = (err as Error).message;
    const hint = /alias count/i.test(message)
      ? `Aliases (*name) may expand at most ${MAX_ALIAS_COUNT} nodes in all; write the entries out`
      : "Define each anchor (&name) before the aliases (*name) that use it";
    fail([{ file, line: 1, column: 1, path: "", message: `YAML aliases: ${message}`, hint }]);
  }

  if (data === null || data === undefined)
    fail([{ file, line: 1, column: 1, path: "", message: "the file declares no users: it is empty or only comments", hint: EMPTY_HINT }]);
  if (typeof data !== "object" || Array.isArray(data)) {
    fail([
      {
        file,
        ...locate.value([]),
        path: "",
        message: `the top level must be a mapping with version: and users:, found ${Array.isArray(data) ? "a list" : typeof data}`,
        hint: "See docs/users-yaml.md",
      },
    ]);
  }
  const root = data as { users?: unknown; defaults?: { controlRoom?: { roles?: string[]; licenses?: string[]; disabled?: boolean } } };
  const problems: Problem[] = [];
  if (root.users === null || (Array.isArray(root.users) && root.users.length === 0)) {
    problems.push({ file, ...locate.value(["users"]), path: "users", message: "declares no users", hint: EMPTY_HINT });
  }
  // A null or empty users list is reported once, above, not again as a type error.
  problems.push(...schemaProblems(data, file, locate).filter((p) => !(p.path === "users" && problems.length)));
  if (Array.isArray(root.users)) problems.push(...semanticProblems(root.users, root.defaults, file, locate));
  if (Array.isArray(root.users) && !problems.length) problems.push(...expiryProblems(root.users as RawPerson[], file, locate));
  if (problems.length) fail(problems);

  const people = (root.users as RawPerson[]).map((raw, i) =>
    toPerson(raw, root.defaults, file, locate.value(["users", i]), readExpiry(raw, i, file, locate)),
  );
  // Where each username is (the block, when the Control Room username defaults to the key).
  const usernameSources: NonNullable<UsersModel["usernameSources"]> = {};
  (root.users as RawPerson[]).forEach((raw, i) => {
    usernameSources[raw.key] = {
      ...(raw.controlRoom
        ? {
            controlRoom: {
              file,
              ...locate.value(["users", i, "controlRoom", ...(raw.controlRoom.username !== undefined ? ["username"] : [])]),
            },
          }
        : {}),
      ...(raw.anypoint ? { anypoint: { file, ...locate.value(["users", i, "anypoint", "username"]) } } : {}),
    };
  });
  return { file, people, usernameSources };
}

/** The key text starting at `offset` (for "duplicate key" messages). */
function keyAt(text: string, offset: number): string {
  return /^\s*["']?([^"':\n]*)/.exec(text.slice(offset))?.[1]?.trim() ?? "";
}

interface RawPerson {
  key: string;
  email: string;
  firstName: string;
  lastName: string;
  protected?: boolean;
  offboard?: OffboardMode;
  expires?: string;
  controlRoom?: {
    username?: string;
    roles?: RawGrant[];
    licenses?: RawGrant[];
    disabled?: boolean;
    description?: string;
    previousEmail?: string;
  };
  anypoint?: {
    username: string;
    disabled?: boolean;
    previousEmail?: string;
    businessGroups: Record<string, { roles?: string[]; teams?: string[]; expires?: string }>;
  };
}

const sortedSet = (xs: string[] | undefined) => [...new Set((xs ?? []).map((x) => x.trim()))].sort();

function toPerson(
  raw: RawPerson,
  defaults: { controlRoom?: { roles?: string[]; licenses?: string[]; disabled?: boolean } } | undefined,
  file: string,
  at: { line: number; column: number },
  expiry: Expiry | undefined,
): Person {
  const d = defaults?.controlRoom ?? {};
  const controlRoom: ControlRoomMembership | undefined = raw.controlRoom && {
    username: (raw.controlRoom.username ?? raw.key).trim(),
    roles: sortedSet(raw.controlRoom.roles ? grantNames(raw.controlRoom.roles) : d.roles),
    licenses: sortedSet(raw.controlRoom.licenses ? grantNames(raw.controlRoom.licenses) : d.licenses),
    disabled: raw.controlRoom.disabled ?? d.disabled ?? false,
    ...(raw.controlRoom.description?.trim() ? { description: raw.controlRoom.description.trim() } : {}),
    ...(raw.controlRoom.previousEmail ? { previousEmail: raw.controlRoom.previousEmail.trim().toLowerCase() } : {}),
  };
  const anypoint: AnypointMembership | undefined = raw.anypoint && {
    username: raw.anypoint.username.trim(),
    disabled: raw.anypoint.disabled ?? false,
    ...(raw.anypoint.previousEmail ? { previousEmail: raw.anypoint.previousEmail.trim().toLowerCase() } : {}),
    businessGroups: Object.fromEntries(
      Object.entries(raw.anypoint.businessGroups)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([group, access]) => [group.trim(), { roles: sortedSet(access.roles), teams: sortedSet(access.teams) }]),
    ),
  };
  return {
    key: raw.key,
    email: raw.email.trim().toLowerCase(),
    firstName: raw.firstName.trim(),
    lastName: raw.lastName.trim(),
    protected: raw.protected ?? false,
    ...(raw.offboard ? { offboard: raw.offboard } : {}),
    source: { file, ...at },
    ...(controlRoom ? { controlRoom } : {}),
    ...(anypoint ? { anypoint } : {}),
    ...(expiry ? { expiry } : {}),
  };
}
