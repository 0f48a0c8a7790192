// The review's pure half: holdings and flags from fixed platform reads, declarations and origins,
// and the three renderers and the proposed diff, by exact output.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AnypointAccount, ControlRoomAccount } from "../../src/features/export/inventory";
import { declaredFromText, grantId } from "../../src/features/review/declared";
import { originKey, type GrantOrigin } from "../../src/features/review/history";
import { reviewHoldings } from "../../src/features/review/holders";
import { proposeOffboarding } from "../../src/features/review/propose";
import { CSV_HEADER, renderCsv } from "../../src/features/review/render-csv";
import { renderJson } from "../../src/features/review/render-json";
import { renderMarkdown } from "../../src/features/review/render-md";

const USERS = `version: 1
users:
  - key: ada
    email: ada@example.com
    firstName: Ada
    lastName: Lovelace
    protected: true
    controlRoom:
      username: ada
      roles: [AAE_Admin]
  - key: grace
    email: grace@example.com
    firstName: Grace
    lastName: Hopper
    expires: 2027-01-10
    controlRoom:
      username: grace
      roles: [Bot Runner]
      licenses: [DEVELOPMENT]
    anypoint:
      username: grace.acme
      businessGroups:
        Sales:
          roles: [Exchange Viewer]
          teams: [Approvers]
  - key: alan
    email: alan@example.com
    firstName: Alan
    lastName: Turing
    controlRoom:
      username: alan
      roles: [AAE_Basic]
      disabled: true
`;

const cr = (username: string, roles: string[], more: Partial<ControlRoomAccount> = {}): ControlRoomAccount => ({
  username,
  email: `${username}@example.com`,
  roles,
  licenses: [],
  disabled: false,
  ...more,
});
const controlRoom: ControlRoomAccount[] = [
  cr("ada", ["AAE_Admin"], { lastLogin: "2026-12-01T08:00:00Z" }),
  cr("grace", ["Bot Runner"], { licenses: ["DEVELOPMENT"], lastLogin: "2026-06-01T08:00:00Z" }),
  cr("alan", ["AAE_Basic"], { disabled: true, lastLogin: null }),
  cr("mallory", ["AAE_Admin"], { lastLogin: null }),
  cr("rollcall-bot", ["AAE_Admin"], { lastLogin: "2026-12-31T23:00:00Z" }),
];
const anypoint: AnypointAccount[] = [
  {
    username: "grace.acme",
    email: "grace@example.com",
    firstName: "Grace",
    lastName: "Hopper",
    disabled: false,
    businessGroups: { Sales: { roles: ["Exchange Viewer"], teams: ["Approvers"] } },
    externalTeams: [],
  },
];
const declared = declaredFromText(USERS);
const origin = (commit: string, since: string, pr?: number): GrantOrigin => ({ since, commit, ...(pr ? { pr } : {}) });
const origins = new Map<string, GrantOrigin>([
  [
    originKey("ada", grantId({ platform: "Control Room", businessGroup: "", kind: "role", name: "AAE_Admin" })),
    origin("a".repeat(40), "2026-01-02T10:00:00Z", 11),
  ],
  [
    originKey("grace", grantId({ platform: "Control Room", businessGroup: "", kind: "role", name: "Bot Runner" })),
    origin("b".repeat(40), "2026-02-03T10:00:00Z", 12),
  ],
  [
    originKey("grace", grantId({ platform: "Anypoint", businessGroup: "Sales", kind: "role", name: "Exchange Viewer" })),
    origin("c".repeat(40), "2026-03-04T10:00:00Z"),
  ],
  [
    originKey("alan", grantId({ platform: "Control Room", businessGroup: "", kind: "role", name: "AAE_Basic" })),
    origin("d".repeat(40), "2026-01-05T10:00:00Z", 13),
  ],
]);
const settings = { now: "2027-01-01T00:00:00Z", inactiveDays: 90, expiringDays: 14 };
const rows = reviewHoldings({ controlRoom, anypoint, declared, origins, callers: { controlRoom: "rollcall-bot" } }, settings);
const meta = { stack: "production", asOf: settings.now, settings, notes: [] };

describe("review holdings", () => {
  it("one row per holder and grant, with since, change, expiry, last sign-in and flags", () => {
    expect(
      rows.map(
        (r) =>
          `${r.platform}|${r.businessGroup}|${r.kind}|${r.name}|${r.username}|${r.person ?? "-"}|${r.since ?? "-"}|${r.pr ?? "-"}|${r.expires ?? "-"}|${r.lastLogin}|${r.flags.join(";")}`,
      ),
    ).toEqual([
      "Anypoint||team|Approvers|grace.acme|grace|-|-|2027-01-10|unknown|expiring-soon",
      "Anypoint|Sales|role|Exchange Viewer|grace.acme|grace|2026-03-04T10:00:00Z|-|2027-01-10|unknown|expiring-soon",
      "Control Room||license|DEVELOPMENT|grace|grace|-|-|2027-01-10|2026-06-01T08:00:00Z|expiring-soon;inactive",
      "Control Room||role|AAE_Admin|ada|ada|2026-01-02T10:00:00Z|11|-|2026-12-01T08:00:00Z|",
      "Control Room||role|AAE_Admin|mallory|-|-|-|-|never|never-logged-in;undeclared",
      "Control Room||role|AAE_Admin|rollcall-bot|-|-|-|-|2026-12-31T23:00:00Z|rollcall-login",
      "Control Room||role|AAE_Basic|alan|alan|2026-01-05T10:00:00Z|13|-|never|disabled;never-logged-in",
      "Control Room||role|Bot Runner|grace|grace|2026-02-03T10:00:00Z|12|2027-01-10|2026-06-01T08:00:00Z|expiring-soon;inactive",
    ]);
  });

  it("a grant the platform holds beyond a person's entry is held but not declared, and names the person", () => {
    const more = reviewHoldings({ controlRoom: [cr("ada", ["AAE_Admin", "Bot Runner"])], declared, origins }, settings);
    expect(more.find((r) => r.name === "Bot Runner")).toMatchObject({
      username: "ada",
      person: "ada",
      flags: ["undeclared"],
      lastLogin: "unknown",
    });
  });
});

describe("review renderers", () => {
  it("CSV: the fixed header, one row per holder and grant, quoting and formula cells defused", () => {
    const csv = renderCsv(rows);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(CSV_HEADER.join(","));
    expect(lines[0]).toBe("platform,business_group,kind,grant,username,person,email,since,commit,pull_request,expires,last_login,flags");
    expect(lines).toHaveLength(rows.length + 2); // header, rows, and the empty string after the last CRLF
    expect(lines[4]).toBe(
      `Control Room,,role,AAE_Admin,ada,ada,ada@example.com,2026-01-02T10:00:00Z,${"a".repeat(40)},11,,2026-12-01T08:00:00Z,`,
    );
    expect(lines[3]).toBe(
      "Control Room,,license,DEVELOPMENT,grace,grace,grace@example.com,,,,2027-01-10,2026-06-01T08:00:00Z,expiring-soon;inactive",
    );
    const odd = renderCsv([{ ...rows[0]!, name: 'Team "A", B', username: "=HYPERLINK(1)" }]).split("\r\n")[1];
    expect(odd).toBe(`Anypoint,,team,"Team ""A"", B",'=HYPERLINK(1),grace,grace@example.com,,,,2027-01-10,unknown,expiring-soon`);
  });

  it("JSON: fixed keys, nulls for what is not known, the same bytes twice", () => {
    const json = renderJson(rows, meta);
    expect(json).toBe(renderJson(rows, meta));
    const doc = JSON.parse(json);
    expect(Object.keys(doc)).toEqual(["version", "stack", "asOf", "inactiveDays", "expiringDays", "notes", "holdings"]);
    expect(doc.holdings[4]).toEqual({
      platform: "Control Room",
      businessGroup: null,
      kind: "role",
      grant: "AAE_Admin",
      username: "mallory",
      person: null,
      email: "mallory@example.com",
      since: null,
      commit: null,
      pullRequest: null,
      expires: null,
      lastLogin: "never",
      flags: ["never-logged-in", "undeclared"],
    });
    expect(renderJson(rows, { ...meta, asOf: undefined })).not.toContain("2027-01-01");
  });

  it("Markdown: per platform, one table per grant", () => {
    expect(renderMarkdown(rows, meta)).toBe(`# Access review: production

As of 2027-01-01T00:00:00Z. Inactive: no sign-in for more than 90 days. Expiring soon: within 14 days. "Since" and "change" come from the git history of users.yaml; "unknown" sign-ins are platforms whose records do not carry them.

8 holdings of 6 platform users.
- never logged in: 2
- inactive: 2
- expiring soon: 4
- held but not declared: 1
- declared but disabled: 1
- rollcall's own login: 1

## Anypoint

### team Approvers

| holder | person | since | change | expires | last sign-in | flags |
|---|---|---|---|---|---|---|
| grace.acme | grace | — | — | 2027-01-10 | unknown | expiring soon |

### Sales: role Exchange Viewer

| holder | person | since | change | expires | last sign-in | flags |
|---|---|---|---|---|---|---|
| grace.acme | grace | 2026-03-04 | cccccccccccc | 2027-01-10 | unknown | expiring soon |

## Control Room

### license DEVELOPMENT

| holder | person | since | change | expires | last sign-in | flags |
|---|---|---|---|---|---|---|
| grace | grace | — | — | 2027-01-10 | 2026-06-01 | expiring soon, inactive |

### role AAE_Admin

| holder | person | since | change | expires | last sign-in | flags |
|---|---|---|---|---|---|---|
| ada | ada | 2026-01-02 | aaaaaaaaaaaa (#11) | — | 2026-12-01 | — |
| mallory | — | — | — | — | never | never logged in, held but not declared |
| rollcall-bot | — | — | — | — | 2026-12-31 | rollcall's own login |

### role AAE_Basic

| holder | person | since | change | expires | last sign-in | flags |
|---|---|---|---|---|---|---|
| alan | alan | 2026-01-05 | dddddddddddd (#13) | — | never | declared but disabled, never logged in |

### role Bot Runner

| holder | person | since | change | expires | last sign-in | flags |
|---|---|---|---|---|---|---|
| grace | grace | 2026-02-03 | bbbbbbbbbbbb (#12) | 2027-01-10 | 2026-06-01 | expiring soon, inactive |
`);
  });
});

describe("review --propose", () => {
  const later = { now: "2027-06-01T00:00:00Z", inactiveDays: 90 };
  const proposal = () =>
    proposeOffboarding(
      "users.yaml",
      USERS,
      declared,
      reviewHoldings({ controlRoom, anypoint, declared, origins }, { ...later, expiringDays: 14 }),
      { ...later, asOf: later.now },
    );

  it("removes the inactive platform blocks and entries as a unified diff, skipping protected people and unknown sign-ins", () => {
    const p = proposal();
    expect(p.removed).toEqual([
      { person: "grace", platforms: ["Control Room"] },
      { person: "alan", platforms: ["Control Room"] },
    ]);
    expect(p.diff).toBe(`# rollcall review --propose: offboards people with no sign-in for more than 90 days (as of 2027-06-01T00:00:00Z).
# Nothing was applied. Open a pull request with this change; merging it removes their access through every guard of a removal.
# remove grace: Control Room
# remove alan: Control Room
# skipped ada: protected: inactive on Control Room, but rollcall never removes a protected person; review them by hand
--- a/users.yaml
+++ b/users.yaml
@@ -13,21 +13,9 @@
     firstName: Grace
     lastName: Hopper
     expires: 2027-01-10
-    controlRoom:
-      username: grace
-      roles: [Bot Runner]
-      licenses: [DEVELOPMENT]
     anypoint:
       username: grace.acme
       businessGroups:
         Sales:
           roles: [Exchange Viewer]
           teams: [Approvers]
-  - key: alan
-    email: alan@example.com
-    firstName: Alan
-    lastName: Turing
-    controlRoom:
-      username: alan
-      roles: [AAE_Basic]
-      disabled: true
`);
  });

  it("the diff applies with git apply and leaves a file that still declares everyone else", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rollcall-propose-"));
    try {
      writeFileSync(path.join(dir, "users.yaml"), USERS);
      writeFileSync(path.join(dir, "change.diff"), proposal().diff);
      execFileSync("git", ["apply", "change.diff"], { cwd: dir });
      const after = declaredFromText(readFileSync(path.join(dir, "users.yaml"), "utf8"));
      expect(after.map((p) => `${p.key}:${p.controlRoom ? "cr" : ""}${p.anypoint ? "ap" : ""}`)).toEqual(["ada:cr", "grace:ap"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
