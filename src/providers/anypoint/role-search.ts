// Role assignments of a whole business group by the page: POST /accounts/api/roles/users/search
// (createRolesUsersSearch, https://dev-portal.mulesoft.com/apis/access-management.md) with one
// operand, the business group, in pages of 500 (the documented maximum), sorted by id so that
// pages do not overlap. One business group of 5,000 people is 10 calls instead of 5,000.
//
// The description leaves open whether `assignments[]` holds all of a user's assignments or only
// the matching ones, so only those whose `context_params.org` is this business group are kept:
// the answer means the same under either reading. Whether it counts roles inherited through teams
// is open too; role-reader.ts compares a sample with the per-person reads, which count direct
// assignments only, and stops trusting the search on any difference.
import type { AnypointClient, RoleAssignment } from "./client";

const PAGE = 500;
/** Statuses that mean this organization or platform does not offer the search to these credentials: read per person instead. */
export const SEARCH_REFUSED = [403, 404, 405];

interface SearchPage {
  data: { id: string; assignments?: { role_id: string; context_params?: { org?: string; envId?: string } }[] }[];
  total: number;
}

/**
 * Each user's direct role assignments in the business group (users holding none there are absent), or the status that refused the search.
 */
export async function searchRoleAssignments(
  client: AnypointClient,
  orgId: string,
): Promise<Map<string, RoleAssignment[]> | { refused: number }> {
  const names = new Map((await client.listRoles(orgId)).map((r) => [r.id, r.name] as const));
  const out = new Map<string, RoleAssignment[]>();
  for (let offset = 0, seen = 0; ; offset += PAGE) {
    const body = [
      { name: "expression", operator: "OR", operands: [{ org_id: orgId, context_params: { org: orgId }, match_type: "partial" }] },
      { name: "pagination", limit: PAGE, offset },
      { name: "sort", order: "ASC", field: "id" },
    ];
    const res = await client.call<SearchPage>({
      method: "POST",
      path: "/accounts/api/roles/users/search",
      body,
      accept: SEARCH_REFUSED,
      idempotent: true,
      list: true,
    });
    if (SEARCH_REFUSED.includes(res.status)) return { refused: res.status };
    for (const user of res.body.data) {
      const held = (user.assignments ?? [])
        .filter((a) => a.context_params?.org === orgId)
        // A role the catalogue does not list keeps its id as its name: the sample check then sees a difference.
        .map((a) => ({
          id: a.role_id,
          name: names.get(a.role_id) ?? a.role_id,
          org: orgId,
          ...(a.context_params?.envId ? { envId: a.context_params.envId } : {}),
        }));
      if (held.length) out.set(user.id, [...(out.get(user.id) ?? []), ...held]);
    }
    seen += res.body.data.length;
    if (res.body.data.length < PAGE || seen >= res.body.total) return out;
  }
}
