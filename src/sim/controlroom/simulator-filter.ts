// The Control Room list filter grammar
// (https://docs.automationanywhere.com/bundle/enterprise-v2019/page/enterprise-cloud/topics/control-room/control-room-api/cloud-api-filter-request.html):
// leaves {operator, field, value} and
// composites {operator: and|or|not, operands}. Default order: descending id.
export type Filter =
  | { operator: "and" | "or" | "not"; operands: Filter[] }
  | { operator: "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "substring" | "NONE"; field: string; value: unknown };

export interface SortSpec {
  field: string;
  direction: "asc" | "desc";
}

export function matchesFilter(record: Record<string, unknown>, filter: Filter | Record<string, never> | undefined): boolean {
  if (!filter || !("operator" in filter) || filter.operator === "NONE") return true;
  switch (filter.operator) {
    case "and":
      return filter.operands.every((f) => matchesFilter(record, f));
    case "or":
      return filter.operands.some((f) => matchesFilter(record, f));
    case "not":
      return !filter.operands.every((f) => matchesFilter(record, f));
  }
  const actual = record[filter.field];
  const value = filter.value;
  const cmp = compare(actual, value);
  switch (filter.operator) {
    case "eq":
      return cmp === 0;
    case "ne":
      return cmp !== 0;
    case "lt":
      return cmp < 0;
    case "le":
      return cmp <= 0;
    case "gt":
      return cmp > 0;
    case "ge":
      return cmp >= 0;
    // Substring search is case-insensitive ("fin" matches Finance and Dolfin).
    case "substring":
      return String(actual ?? "")
        .toLowerCase()
        .includes(String(value ?? "").toLowerCase());
    default:
      throw new Error(`Unsupported filter operator '${(filter as { operator: string }).operator}'`);
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" || typeof b === "number") return Number(a) - Number(b);
  return String(a ?? "").localeCompare(String(b ?? ""));
}

export function sortUsers<T extends Record<string, unknown>>(records: T[], sort: SortSpec[] | undefined): T[] {
  const specs = sort?.length ? sort : [{ field: "id", direction: "desc" as const }];
  return [...records].sort((x, y) => {
    for (const s of specs) {
      const c = compare(x[s.field], y[s.field]);
      if (c !== 0) return s.direction === "desc" ? -c : c;
    }
    return 0;
  });
}
