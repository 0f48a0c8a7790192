// INTERIM loader (replaced by the full validating loader): parses users.yaml into the model.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { Person, UsersModel } from "./types";

export function loadUsersFile(file: string): UsersModel {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message.split("\n")[0]}. Nothing was sent to any platform; fix the file and run again.`);
  }
  const doc = parsed as { users?: Record<string, any>[]; defaults?: { controlRoom?: Record<string, any> } } | null;
  if (!doc || !Array.isArray(doc.users) || doc.users.length === 0) {
    throw new Error(`${file}: declares no users; an empty list would remove everyone, so nothing was sent. To remove everyone on purpose, run \`pulumi destroy\`.`);
  }
  const d = doc.defaults?.controlRoom ?? {};
  const people: Person[] = doc.users.map((u) => ({
    key: u.key,
    email: String(u.email).trim().toLowerCase(),
    firstName: u.firstName,
    lastName: u.lastName,
    protected: u.protected === true,
    source: { file, line: 0, column: 0 },
    ...(u.controlRoom
      ? { controlRoom: { username: u.controlRoom.username ?? u.key, roles: [...new Set<string>(u.controlRoom.roles ?? d.roles ?? [])].sort(), licenses: [...new Set<string>(u.controlRoom.licenses ?? d.licenses ?? [])].sort(), disabled: u.controlRoom.disabled ?? d.disabled ?? false, description: u.controlRoom.description } }
      : {}),
  }));
  return { file, people };
}
