// Expiry in the model: what is left out on and after each date, what is listed as ending soon,
// and the clock (time zone, the test override, settings).
import { describe, expect, it } from "vitest";
import { parseUsersYaml } from "../../src/core/model/load";
import { applyExpiry, expiringWithin } from "../../src/features/expiry/apply";
import { readExpiryClock } from "../../src/features/expiry/clock";
import { SettingsError } from "../../src/core/config";

const file = `version: 1
users:
  - key: ada
    email: ada@example.com
    firstName: Ada
    lastName: Lovelace
    controlRoom:
      roles: [AAE_Basic, { name: Bot Runner, expires: 2027-03-31 }]
      licenses: [{ name: DEVELOPMENT, expires: 2027-04-02 }, RUNTIME]
    anypoint:
      username: ada.acme
      businessGroups:
        Sales:
          roles: [Exchange Viewer]
          expires: 2027-03-31
        Engineering:
          roles: [API Creator]
  - key: carol
    email: carol@example.com
    firstName: Carol
    lastName: Contractor
    expires: 2027-04-10
    controlRoom:
      roles: [{ name: AAE_Basic, expires: 2027-04-01 }]
    anypoint:
      username: carol.acme
      businessGroups:
        Sales: { roles: [Exchange Viewer], expires: 2027-04-01 }
  - key: dan
    email: dan@example.com
    firstName: Dan
    lastName: Leaving
    offboard: disable
    expires: 2027-01-01
    controlRoom:
      roles: [AAE_Basic]
`;
const model = parseUsersYaml(file, "users.yaml");
const person = (m: typeof model, key: string) => m.people.find((p) => p.key === key);

describe("applyExpiry", () => {
  it("keeps everything the day before, and records where each date is written", () => {
    const { model: before, expired } = applyExpiry(model, "2027-03-30");
    expect(expired).toEqual([]);
    expect(person(before, "ada")?.controlRoom?.roles).toEqual(["AAE_Basic", "Bot Runner"]);
    expect(person(model, "ada")?.expiry?.controlRoomRoles?.["Bot Runner"]).toEqual({
      date: "2027-03-31",
      source: { file: "users.yaml", line: 8, column: 55 },
    });
  });

  it("on the date, leaves out the role and the business group as if deleted, nothing else", () => {
    const { model: after, expired } = applyExpiry(model, "2027-03-31");
    expect(person(after, "ada")?.controlRoom).toEqual({
      username: "ada",
      roles: ["AAE_Basic"],
      licenses: ["DEVELOPMENT", "RUNTIME"],
      disabled: false,
    });
    expect(Object.keys(person(after, "ada")?.anypoint?.businessGroups ?? {})).toEqual(["Engineering"]);
    expect(expired).toEqual([
      { person: "ada", grant: "role", platform: "controlRoom", name: "Bot Runner", expires: "2027-03-31" },
      { person: "ada", grant: "businessGroup", platform: "anypoint", name: "Sales", expires: "2027-03-31" },
    ]);
    expect(person(after, "carol")).toEqual(person(model, "carol"));
  });

  it("a user whose every role or business group ended is left out; a person whose date came, entirely; one already offboarding is kept", () => {
    const april1 = applyExpiry(model, "2027-04-01");
    expect(person(april1.model, "carol")?.controlRoom).toBeUndefined();
    expect(person(april1.model, "carol")?.anypoint).toBeUndefined();
    expect(april1.expired.filter((e) => e.person === "carol" && e.grant === "user").map((e) => e.platform)).toEqual([
      "controlRoom",
      "anypoint",
    ]);
    const april10 = applyExpiry(model, "2027-04-10");
    expect(person(april10.model, "carol")).toBeUndefined();
    expect(april10.expired).toContainEqual({ person: "carol", grant: "person", expires: "2027-04-10" });
    expect(person(april10.model, "dan")).toEqual(person(model, "dan"));
  });
});

describe("expiringWithin", () => {
  it("lists access ending after today and up to the last day, by date, per person and grant", () => {
    expect(expiringWithin(model, "2027-03-30", "2027-04-01")).toEqual([
      { person: "ada", grant: "role", platform: "controlRoom", name: "Bot Runner", expires: "2027-03-31" },
      { person: "ada", grant: "businessGroup", platform: "anypoint", name: "Sales", expires: "2027-03-31" },
      { person: "carol", grant: "role", platform: "controlRoom", name: "AAE_Basic", expires: "2027-04-01" },
      { person: "carol", grant: "businessGroup", platform: "anypoint", name: "Sales", expires: "2027-04-01" },
    ]);
    expect(expiringWithin(model, "2027-03-31", "2027-03-31")).toEqual([]);
  });
});

describe("readExpiryClock", () => {
  const none = () => undefined;
  it("takes today in the stack's time zone, from the test clock", () => {
    const env = { ROLLCALL_TEST_NOW: "2027-03-30T16:00:00Z" };
    expect(readExpiryClock(none, env)).toMatchObject({ today: "2027-03-30", timeZone: "UTC", warningDays: 14 });
    expect(readExpiryClock((k) => (k === "rollcall:expiryTimeZone" ? "Asia/Tokyo" : undefined), env).today).toBe("2027-03-31");
    expect(readExpiryClock(none, env).overridden).toMatch(/ROLLCALL_TEST_NOW=2027-03-30T16:00:00Z: the clock is set for a test/);
    expect(readExpiryClock(none, {}).overridden).toBeUndefined();
  });
  it("refuses an unknown time zone, a bad number of days and a bad test clock", () => {
    expect(() => readExpiryClock(none, { ROLLCALL_EXPIRY_TIME_ZONE: "Mars/Olympus" })).toThrow(
      new SettingsError("rollcall:expiryTimeZone must be an IANA time zone such as UTC or Europe/Berlin, not 'Mars/Olympus'."),
    );
    expect(() => readExpiryClock(none, { ROLLCALL_EXPIRY_WARNING_DAYS: "two" })).toThrow(/expiryWarningDays must be a whole number/);
    expect(() => readExpiryClock(none, { ROLLCALL_TEST_NOW: "tomorrow" })).toThrow(/ROLLCALL_TEST_NOW must be an ISO 8601/);
  });
});
