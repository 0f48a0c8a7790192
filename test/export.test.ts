// The pure half of `rollcall export`: platform accounts → entries → users.yaml text. The file must
// always load with the program's own loader; keys, order and quoting must not depend on input order.
import { describe, expect, it } from "vitest";
import { parseUsersYaml } from "../src/core/model/load";
import type { AnypointAccount, ControlRoomAccount } from "../src/features/export/inventory";
import { planExport } from "../src/features/export/people";
import { renderUsersYaml, scalar } from "../src/features/export/render";

const cr = (username: string, more: Partial<ControlRoomAccount> = {}): ControlRoomAccount => ({
  username,
  email: `${username}@example.com`,
  firstName: "Ada",
  lastName: "Lovelace",
  roles: ["AAE_Basic"],
  licenses: [],
  disabled: false,
  ...more,
});
const ap = (username: string, more: Partial<AnypointAccount> = {}): AnypointAccount => ({
  username,
  email: `${username}@example.com`,
  firstName: "Ada",
  lastName: "Lovelace",
  disabled: false,
  businessGroups: { "Acme Corp": { roles: ["Exchange Viewer"], teams: [] } },
  externalTeams: [],
  ...more,
});
const render = (input: Parameters<typeof planExport>[0]) => renderUsersYaml(planExport(input), ["test"]);

describe("rollcall export, offline", () => {
  it("matches people across platforms by email, case-insensitively, into one entry", () => {
    const text = render({
      controlRoom: [cr("ada", { email: "Ada.Lovelace@Example.COM" })],
      anypoint: [ap("ada.acme", { email: "ada.lovelace@example.com" })],
    });
    const model = parseUsersYaml(text, "x.yaml");
    expect(model.people).toHaveLength(1);
    expect(model.people[0]).toMatchObject({
      key: "ada.lovelace",
      email: "ada.lovelace@example.com",
      controlRoom: { username: "ada" },
      anypoint: { username: "ada.acme" },
    });
  });

  it("keeps two entries when the emails differ, and says why on both", () => {
    const text = render({
      controlRoom: [cr("ada", { email: "ada@corp.example.com" })],
      anypoint: [ap("ada.acme", { email: "ada@example.com" })],
    });
    expect(parseUsersYaml(text, "x.yaml").people).toHaveLength(2);
    expect(text).toContain(
      "# Anypoint user 'ada.acme' has the same name but another email (ada@example.com): people are matched by email, so they are two entries.",
    );
    expect(text).toContain("# Control Room user 'ada' has the same name but another email (ada@corp.example.com): see that entry.");
    expect(text).toContain("GUESSED key: 'ada' was taken by another person.");
  });

  it("gives the same bytes whatever order the platform lists users in", () => {
    const users = [
      cr("zoe", { email: "zoe@example.com", firstName: "Zoë", lastName: "Ōtani" }),
      cr("bob"),
      cr("o.brien", { firstName: "Seán", lastName: "O'Brien", roles: ["Bot Runner", "AAE_Basic"] }),
    ];
    expect(render({ controlRoom: [...users].reverse() })).toBe(render({ controlRoom: users }));
    expect(render({ controlRoom: users })).toContain("firstName: Zoë\n    lastName: Ōtani");
  });

  it("quotes what YAML would misread, and the loader reads it back exactly", () => {
    for (const s of ["yes", "no", "null", "1.5", "- x", "a: b", "x #y", "Exchange Viewer", "Acme Corp", "O'Brien", "trailing "]) {
      const text = render({ controlRoom: [cr("bob", { lastName: s.trim() === s ? s : "x", description: s })] });
      expect(parseUsersYaml(text, "x.yaml").people[0]!.controlRoom!.description).toBe(s.trim());
    }
    expect(scalar("true")).toBe('"true"');
    expect(scalar("Acme Corp")).toBe("Acme Corp");
  });

  it("leaves out, with the reason, what users.yaml cannot declare: no role, only identity-provider teams, shared emails, rollcall's own account", () => {
    const text = render({
      controlRoom: [
        cr("norole", { roles: [] }),
        cr("rollcall-bot"),
        cr("twin1", { email: "twin@example.com" }),
        cr("twin2", { email: "twin@example.com" }),
      ],
      anypoint: [ap("idp.only", { businessGroups: {}, externalTeams: ["Okta Engineers"] })],
      callers: { controlRoom: "rollcall-bot" },
    });
    const model = parseUsersYaml(text, "x.yaml");
    expect(model.people.map((p) => p.controlRoom?.username ?? p.anypoint?.username)).toEqual(["twin1"]);
    expect(text).toContain("#   Control Room user 'norole': it has no role, and users.yaml requires at least one");
    expect(text).toContain("#   Control Room user 'rollcall-bot': the account rollcall signs in as");
    expect(text).toContain("#   Control Room user 'twin2': same email (twin@example.com) as Control Room user 'twin1'");
    expect(text).toContain(
      "#   Anypoint user 'idp.only': it holds no role or team rollcall can declare (only teams from identity-provider groups: Okta Engineers)",
    );
  });

  it("marks guessed names, and names that differ between the platforms", () => {
    const text = render({
      controlRoom: [cr("ghost", { firstName: undefined, lastName: undefined }), cr("ada", { email: "ada@example.com" })],
      anypoint: [ap("ada.acme", { email: "ada@example.com", firstName: "Augusta" })],
    });
    parseUsersYaml(text, "x.yaml");
    expect(text).toContain("# GUESSED: the platform has no usable first or last name for 'ghost'");
    expect(text).toContain("# Names differ: Anypoint has 'Augusta Lovelace', Control Room 'Ada Lovelace'.");
  });

  it("re-exporting over an existing file keeps its keys and protected flags, matched by username or email", () => {
    const text = render({
      controlRoom: [
        cr("ada", { email: "ada.lovelace@example.com" }),
        cr("grace", { email: "grace@example.com" }),
        cr("new.person", { email: "ada@example.com" }),
      ],
      previous: [
        { key: "countess", email: "old-address@example.com", protected: true, controlRoomUsername: "ADA" },
        { key: "ada", email: "grace@example.com", protected: false },
      ],
    });
    const keys = Object.fromEntries(parseUsersYaml(text, "x.yaml").people.map((p) => [p.controlRoom!.username, [p.key, p.protected]]));
    // 'ada' is taken by grace's kept key, so the newcomer whose email starts with ada gets a suffix.
    expect(keys).toEqual({ ada: ["countess", true], grace: ["ada", false], "new.person": ["ada-2", false] });
  });
});
