// POST /accounts/api/roles/users/search (createRolesUsersSearch) in the Anypoint simulator: users
// with their role assignments, matched by an expression, sorted and paged, with the request body
// validated against the schema of MuleSoft's description of the operation
// (https://dev-portal.mulesoft.com/apis/access-management.md, vendored in test/vendor/anypoint/)
// so that a malformed request fails here as it would there.
//
// What the description leaves open, chosen conservatively (the least a client could rely on):
// - `assignments[]` lists only the user's assignments that match an operand, never the others;
// - only direct assignments count (those naming the user in `context_params.user`), not roles
//   inherited through teams or role groups;
// - an `org_id` operand matches assignments whose `context_params.org` is that organization; an
//   operand's `context_params` must equal the assignment's (exact) or be contained in them
//   (partial, the documented default), `user` aside;
// - AND: every operand is matched by some assignment of the user; OR: at least one is;
// - without an expression, every active user with all their assignments; without a sort, by id
//   ascending; without pagination, the first 25 (as the description's example).
import type { SimRequest, SimResponse } from "../harness";
import { msg, type ApiRouter } from "./simulator-http";

interface Operand {
  role_id?: string;
  org_id?: string;
  context_params: Record<string, string>;
  match_type: "exact" | "partial";
}
interface Query {
  expression?: { operator: "AND" | "OR"; operands: Operand[] };
  pagination: { limit: number; offset: number };
  sort: { order: "ASC" | "DESC"; field: string };
}
interface Assignment {
  roleId: string;
  context: Record<string, string>;
}

const SORT_FIELDS: Record<string, "id" | "firstName" | "lastName" | "username"> = {
  id: "id",
  first_name: "firstName",
  firstName: "firstName",
  last_name: "lastName",
  lastName: "lastName",
  username: "username",
};
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, keys: string[]) => Object.keys(o).every((k) => keys.includes(k));
const distinct = (xs: unknown[]) => new Set(xs.map((x) => JSON.stringify(x))).size === xs.length;
const isId = (v: unknown) => typeof v === "string" && v.length === 36;

export function registerSearchRoutes(r: ApiRouter): void {
  const { state, json } = r;
  r.api("POST", "/roles/users/search", {}, ({ req }) => {
    const query = parseQuery(req);
    if (typeof query === "string") return msg(400, query);
    const byUser = new Map<string, Assignment[]>();
    for (const a of state.directAssignments()) {
      const key = `${a.userId}|${a.roleId}|${a.orgId}${a.envId ? `|${a.envId}` : ""}`;
      if (state.searchOmits.has(key)) continue;
      const list = byUser.get(a.userId) ?? byUser.set(a.userId, []).get(a.userId)!;
      list.push({ roleId: a.roleId, context: { org: a.orgId, ...(a.envId ? { envId: a.envId } : {}) } });
    }
    const field = SORT_FIELDS[query.sort.field]!;
    const sign = query.sort.order === "DESC" ? -1 : 1;
    const hits = [...state.users.values()]
      .filter((u) => !u.deleted)
      .map((u) => ({ u, assignments: matching(query.expression, byUser.get(u.id) ?? []) }))
      .filter((h) => h.assignments !== undefined)
      .sort((a, b) => sign * (a.u[field] < b.u[field] ? -1 : a.u[field] > b.u[field] ? 1 : 0));
    const { offset, limit } = query.pagination;
    const data = hits.slice(offset, offset + limit).map(({ u, assignments }) => {
      const { id, username, firstName, lastName, email, enabled, idprovider_id, type, createdAt, updatedAt, lastLogin, organizationId } =
        json.user(u);
      return {
        ...{ id, username, firstName, lastName, email, enabled, idprovider_id, type, createdAt, updatedAt, lastLogin, organizationId },
        assignments: assignments!.map((a) => ({
          role_id: a.roleId,
          context_params: { ...a.context, user: u.id },
          created_at: u.createdAt,
        })),
      };
    });
    return { status: 200, body: { data, total: hits.length } };
  });
}

/** The user's assignments the expression selects, or undefined when the user does not match. */
function matching(expression: Query["expression"], assignments: Assignment[]): Assignment[] | undefined {
  if (!expression) return assignments;
  const hit = (o: Operand, a: Assignment) => {
    if (o.role_id !== undefined && a.roleId !== o.role_id) return false;
    if (o.org_id !== undefined && a.context.org !== o.org_id) return false;
    const wanted = Object.entries(o.context_params).filter(([k]) => k !== "user");
    if (wanted.some(([k, v]) => a.context[k] !== v)) return false;
    return o.match_type === "partial" || Object.keys(a.context).length === wanted.length;
  };
  const matched = expression.operands.map((o) => assignments.some((a) => hit(o, a)));
  if (expression.operator === "AND" ? !matched.every(Boolean) : !matched.some(Boolean)) return undefined;
  return assignments.filter((a) => expression.operands.some((o) => hit(o, a)));
}

/** The body as the description's schema has it: 1–3 distinct items, each an expression, a pagination or a sort. */
function parseQuery(req: SimRequest): Query | string {
  const body = req.body;
  if (!Array.isArray(body) || body.length < 1 || body.length > 3 || !distinct(body))
    return "The body must be an array of 1 to 3 distinct items (expression, pagination, sort)";
  const query: Query = { pagination: { limit: 25, offset: 0 }, sort: { order: "ASC", field: "id" } };
  const seen = new Set<string>();
  for (const item of body) {
    if (!isObject(item) || typeof item.name !== "string") return "Every item needs a string name";
    const kind =
      "operator" in item || "operands" in item
        ? "expression"
        : "limit" in item || "offset" in item
          ? "pagination"
          : "order" in item || "field" in item
            ? "sort"
            : undefined;
    if (!kind) return `Item '${item.name}' is neither an expression, a pagination nor a sort`;
    if (seen.has(kind)) return `Only one ${kind} is allowed`;
    seen.add(kind);
    if (kind === "pagination") {
      const { limit, offset } = item;
      if (!onlyKeys(item, ["name", "limit", "offset"]) || typeof limit !== "number" || typeof offset !== "number")
        return "pagination takes name, limit and offset (numbers)";
      if (limit < 0 || limit > 500 || offset < 0) return `limit must be from 0 to 500 and offset >= 0, not ${limit} and ${offset}`;
      query.pagination = { limit, offset };
    } else if (kind === "sort") {
      if (
        !onlyKeys(item, ["name", "order", "field"]) ||
        (item.order !== "ASC" && item.order !== "DESC") ||
        typeof item.field !== "string" ||
        !(item.field in SORT_FIELDS)
      )
        return `sort takes order ASC or DESC and field one of ${Object.keys(SORT_FIELDS).join(", ")}`;
      query.sort = { order: item.order, field: item.field };
    } else {
      const operands = item.operands;
      if (!onlyKeys(item, ["name", "operator", "operands"]) || (item.operator !== "AND" && item.operator !== "OR"))
        return "expression takes name, operator (AND or OR) and operands";
      if (!Array.isArray(operands) || operands.length < 1 || operands.length > 5 || !distinct(operands))
        return "operands must be 1 to 5 distinct items";
      for (const o of operands) {
        if (!isObject(o) || !onlyKeys(o, ["role_id", "org_id", "context_params", "match_type"]))
          return "an operand takes role_id or org_id, context_params and match_type";
        if ("role_id" in o === "org_id" in o) return "an operand takes exactly one of role_id and org_id";
        if (!isId(o.role_id ?? o.org_id)) return "role_id and org_id are 36 characters long";
        if (!isObject(o.context_params) || Object.values(o.context_params).some((v) => typeof v !== "string"))
          return "context_params must be an object of strings";
        if (o.match_type !== "exact" && o.match_type !== "partial") return "match_type must be exact or partial";
      }
      query.expression = { operator: item.operator, operands: operands as Operand[] };
    }
  }
  return query;
}
