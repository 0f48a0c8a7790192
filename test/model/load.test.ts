// The loader's model: defaults, normalization, positions; and messages for missing files.
import { describe, expect, it } from "vitest";
import { loadUsersFile, parseUsersYaml } from "../../src/core/model/load";
import { UsersFileError } from "../../src/core/model/problems";

const text = `# yaml-language-server: $schema=./schema/users.schema.json
version: 1
defaults:
  controlRoom:
    roles: [AAE_Basic]
    licenses: [RUNTIME]
users:
  - key: ada
    email: "  Ada.Lovelace@Example.COM "
    firstName: Ada
    lastName: Lovelace
    protected: true
    controlRoom:
      roles: [Zeta, AAE_Admin, Zeta]
  - key: bob
    email: bob@example.com
    firstName: Bob
    lastName: Builder
    controlRoom:
      username: bob.b
      disabled: true
    anypoint:
      username: bob.acme
      businessGroups:
        Sales:
          teams: [Team B, Team A]
        Acme:
          roles: [Organization Administrator]
`;

describe("parseUsersYaml", () => {
  it("applies defaults, normalizes case and order, and records where each person starts", () => {
    const model = parseUsersYaml(text, "users.yaml");
    expect(model.people).toEqual([
      {
        key: "ada",
        email: "ada.lovelace@example.com",
        firstName: "Ada",
        lastName: "Lovelace",
        protected: true,
        source: { file: "users.yaml", line: 8, column: 5 },
        controlRoom: { username: "ada", roles: ["AAE_Admin", "Zeta"], licenses: ["RUNTIME"], disabled: false },
      },
      {
        key: "bob",
        email: "bob@example.com",
        firstName: "Bob",
        lastName: "Builder",
        protected: false,
        source: { file: "users.yaml", line: 15, column: 5 },
        controlRoom: { username: "bob.b", roles: ["AAE_Basic"], licenses: ["RUNTIME"], disabled: true },
        anypoint: {
          username: "bob.acme",
          disabled: false,
          businessGroups: { Acme: { roles: ["Organization Administrator"], teams: [] }, Sales: { roles: [], teams: ["Team A", "Team B"] } },
        },
      },
    ]);
  });

  it("reports every problem at once, in file order, with a summary line", () => {
    const bad = text.replace("email: bob@example.com", "email: nope").replace("firstName: Ada", "firstname: Ada");
    let error: UsersFileError | undefined;
    try {
      parseUsersYaml(bad, "users.yaml");
    } catch (err) {
      error = err as UsersFileError;
    }
    expect(error!.message).toBe(
      [
        "users.yaml: 3 problems; nothing was sent to any platform.",
        '  users.yaml:8:5 users[0]: missing required key "firstName". Add firstName: to this entry.',
        '  users.yaml:10:5 users[0].firstname: unknown key "firstname". Did you mean "firstName"?',
        '  users.yaml:16:12 users[1].email: "nope" is not an email address. Write it as name@example.com.',
      ].join("\n"),
    );
  });

  it("says a missing file does not exist and that nothing was removed", () => {
    expect(() => loadUsersFile("/nonexistent/users.yaml")).toThrow(
      /\/nonexistent\/users\.yaml does not exist\. Create it, or point rollcall:usersFile \(or ROLLCALL_USERS_FILE\) at it\. Nothing was removed\./,
    );
  });

  it("accepts the repository's users.yaml", () => {
    expect(loadUsersFile(`${__dirname}/../../users.yaml`).people.length).toBeGreaterThan(0);
  });
});
