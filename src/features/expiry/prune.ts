// `rollcall expire --prune`: delete the expired entries from users.yaml, so the file says what the
// platforms have. Each deletion is the one the program already makes (src/features/expiry/apply.ts): the
// rewritten file, applied, changes nothing. Edits the YAML document in place (the yaml package's
// Document API), so comments, order and the rest of the file are kept — except a comment right
// above a deleted entry, which goes with it (the yaml package keeps the comment above a
// collection's first entry on the collection). Pure: text and date in, text out.
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from "yaml";

/** Deletes items[i], with the comment right above it. */
function removeAt(collection: YAMLMap | YAMLSeq, i: number): void {
  if (i === 0) delete collection.commentBefore;
  collection.items.splice(i, 1);
}
import { describeGrant, type ExpiredAccess } from "./apply";

export interface PruneResult {
  text: string;
  /** What was deleted, in file order. */
  removed: ExpiredAccess[];
}

const str = (node: unknown): string | undefined => (isScalar(node) && typeof node.value === "string" ? node.value.trim() : undefined);
const due = (date: string | undefined, today: string): date is string => date !== undefined && date <= today;

export function pruneExpired(source: string, today: string): PruneResult {
  const doc = parseDocument(source, { keepSourceTokens: false });
  const users = doc.get("users", true);
  const removed: ExpiredAccess[] = [];
  if (!isSeq(users)) return { text: source, removed };
  // Back to front, so deleting an entry does not move the ones still to visit.
  for (let i = users.items.length - 1; i >= 0; i--) {
    const person = users.items[i];
    if (!isMap(person) || person.has("offboard")) continue;
    const key = str(person.get("key", true)) ?? `users[${i}]`;
    const gone: ExpiredAccess[] = [];
    const expires = str(person.get("expires", true));
    if (due(expires, today)) {
      removeAt(users, i);
      removed.unshift({ person: key, grant: "person", expires });
      continue;
    }
    const cr = person.get("controlRoom", true);
    if (isMap(cr)) {
      const roles = pruneGrants(cr, "roles", today, key, "role", gone);
      pruneGrants(cr, "licenses", today, key, "license", gone);
      if (roles === "all") person.delete("controlRoom");
    }
    const ap = person.get("anypoint", true);
    const groups = isMap(ap) ? ap.get("businessGroups", true) : undefined;
    if (isMap(ap) && isMap(groups) && groups.items.length) {
      for (let g = groups.items.length - 1; g >= 0; g--) {
        const pair = groups.items[g]!;
        const name = str(pair.key);
        const date = isMap(pair.value) ? str(pair.value.get("expires", true)) : undefined;
        if (name === undefined || !due(date, today)) continue;
        removeAt(groups, g);
        gone.push({ person: key, grant: "businessGroup", platform: "anypoint", name, expires: date });
      }
      if (!groups.items.length) person.delete("anypoint");
    }
    // Nothing left on any platform: the entry is the same as no entry.
    if (gone.length && !person.has("controlRoom") && !person.has("anypoint")) removeAt(users, i);
    removed.unshift(...gone.reverse().sort(byKind));
  }
  if (!removed.length) return { text: source, removed };
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), removed };
}

/** Deletes the due {name, expires} items of a role or license list; "all" when it held items and none is left. */
function pruneGrants(
  block: YAMLMap,
  field: "roles" | "licenses",
  today: string,
  person: string,
  grant: "role" | "license",
  gone: ExpiredAccess[],
): "all" | "some" {
  const list = block.get(field, true) as YAMLSeq | undefined;
  if (!isSeq(list) || !list.items.length) return "some";
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i];
    const date = isMap(item) ? str(item.get("expires", true)) : undefined;
    if (!isMap(item) || !due(date, today)) continue;
    gone.push({ person, grant, platform: "controlRoom", name: str(item.get("name", true)) ?? "", expires: date });
    removeAt(list, i);
  }
  return list.items.length ? "some" : "all";
}

const KIND_ORDER = ["role", "license", "businessGroup"];
/** Within a person: roles, licenses, business groups, each in file order (they were collected back to front). */
const byKind = (a: ExpiredAccess, b: ExpiredAccess) => KIND_ORDER.indexOf(a.grant) - KIND_ORDER.indexOf(b.grant);

/** One line per deletion, for the command's output and the pull request's body. */
export function describeRemoved(removed: ExpiredAccess[]): string[] {
  return removed.map((r) => `- ${r.person}: ${describeGrant(r)} (expired ${r.expires})`);
}
