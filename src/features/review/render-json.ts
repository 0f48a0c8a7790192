// The review as JSON for a GRC tool: the settings it was computed with and one object per holder
// and grant, keys in a fixed order, so the same inputs give the same bytes.
import type { Holding, ReviewSettings } from "./holders";

export interface ReviewMeta {
  stack?: string;
  /** Set only when the caller gave the time (--now): otherwise the output carries no time of generation. */
  asOf?: string;
  settings: Pick<ReviewSettings, "inactiveDays" | "expiringDays">;
  /** What the review could not read (history versions that do not parse, platforms left out). */
  notes: string[];
}

export function renderJson(rows: Holding[], meta: ReviewMeta): string {
  const holdings = rows.map((h) => ({
    platform: h.platform,
    businessGroup: h.businessGroup || null,
    kind: h.kind,
    grant: h.name,
    username: h.username,
    person: h.person ?? null,
    email: h.email ?? null,
    since: h.since ?? null,
    commit: h.commit ?? null,
    pullRequest: h.pr ?? null,
    expires: h.expires ?? null,
    lastLogin: h.lastLogin,
    flags: h.flags,
  }));
  const doc = {
    version: 1,
    stack: meta.stack ?? null,
    asOf: meta.asOf ?? null,
    inactiveDays: meta.settings.inactiveDays,
    expiringDays: meta.settings.expiringDays,
    notes: meta.notes,
    holdings,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
