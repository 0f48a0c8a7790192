// Settings: stack config wins over the environment; control planes by name; precise errors.
import { describe, expect, it } from "vitest";
import { readAnypointSettings, readControlRoomSettings } from "../src/core/config";

const config = (values: Record<string, string>) => (key: string) => values[key];

describe("settings", () => {
  it("maps Anypoint control planes by name, and takes any other value as the base URL", () => {
    const creds = { "rollcall:anypointClientId": "id", "rollcall:anypointClientSecret": "s" };
    expect(readAnypointSettings(config(creds), {}).url).toBe("https://anypoint.mulesoft.com");
    expect(readAnypointSettings(config({ ...creds, "rollcall:anypointUrl": "eu" }), {}).url).toBe("https://eu1.anypoint.mulesoft.com");
    expect(readAnypointSettings(config({ ...creds, "rollcall:anypointUrl": "gov" }), {}).url).toBe("https://gov.anypoint.mulesoft.com");
    expect(readAnypointSettings(config({ ...creds, "rollcall:anypointUrl": "http://127.0.0.1:9" }), {}).url).toBe("http://127.0.0.1:9");
  });

  it("prefers stack config to the environment, so a stray variable cannot redirect a configured stack", () => {
    const s = readControlRoomSettings(
      config({
        "rollcall:controlRoomUrl": "https://cr.example.com",
        "rollcall:controlRoomUsername": "svc",
        "rollcall:controlRoomApiKey": "k",
      }),
      { ROLLCALL_CONTROLROOM_URL: "http://evil.example" },
    );
    expect(s.url).toBe("https://cr.example.com");
    expect(
      readControlRoomSettings(config({}), {
        ROLLCALL_CONTROLROOM_URL: "http://127.0.0.1:1",
        ROLLCALL_CONTROLROOM_USERNAME: "u",
        ROLLCALL_CONTROLROOM_PASSWORD: "p",
      }),
    ).toMatchObject({ url: "http://127.0.0.1:1", password: "p", apiVersion: "v2" });
  });

  it("names every missing or invalid setting and how to set it", () => {
    expect(() => readAnypointSettings(config({}), {})).toThrow(
      /Anypoint: missing credentials\. Set a connected app \(rollcall:anypointClientId and, with --secret, rollcall:anypointClientSecret\)/,
    );
    expect(() =>
      readAnypointSettings(
        config({ "rollcall:anypointUsername": "u", "rollcall:anypointPassword": "p", "rollcall:anypointOnboarding": "email" }),
        {},
      ),
    ).toThrow(/rollcall:anypointOnboarding must be create or invite, not 'email'/);
    expect(() => readControlRoomSettings(config({ "rollcall:controlRoomUrl": "x" }), {})).toThrow(
      /missing setting rollcall:controlRoomUsername, rollcall:controlRoomApiKey \(or rollcall:controlRoomPassword\)/,
    );
  });

  it("reads each platform's request budget, retry window and timeout, with per-platform defaults", () => {
    const cr = {
      "rollcall:controlRoomUrl": "https://cr.example.com",
      "rollcall:controlRoomUsername": "svc",
      "rollcall:controlRoomApiKey": "k",
    };
    const ap = { "rollcall:anypointClientId": "id", "rollcall:anypointClientSecret": "s" };
    expect(readControlRoomSettings(config(cr), {}).http).toEqual({
      maxConcurrent: 8,
      requestsPerSecond: 20,
      retryForMs: 120_000,
      timeoutMs: 30_000,
    });
    expect(readAnypointSettings(config(ap), {}).http).toEqual({
      maxConcurrent: 8,
      requestsPerSecond: 8,
      retryForMs: 120_000,
      timeoutMs: 30_000,
    });
    const tiny = readAnypointSettings(config({ ...ap, "rollcall:anypointMaxConcurrency": "2", "rollcall:anypointTimeoutSeconds": "0.5" }), {
      ROLLCALL_ANYPOINT_REQUESTS_PER_SECOND: "1.5",
      ROLLCALL_ANYPOINT_RETRY_FOR_SECONDS: "3",
    });
    expect(tiny.http).toEqual({ maxConcurrent: 2, requestsPerSecond: 1.5, retryForMs: 3000, timeoutMs: 500 });
    expect(() => readControlRoomSettings(config({ ...cr, "rollcall:controlRoomMaxConcurrency": "1.5" }), {})).toThrow(
      /rollcall:controlRoomMaxConcurrency must be a whole number of at least 1, not '1\.5'/,
    );
  });
});
