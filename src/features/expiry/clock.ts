// What day it is for a stack: the one place rollcall reads the clock for expiry. The date is taken
// in the stack's time zone, so `expires: 2027-03-31` ends access at midnight there.
//
//   rollcall:expiryTimeZone     (ROLLCALL_EXPIRY_TIME_ZONE)     an IANA zone, e.g. Europe/Berlin; default UTC
//   rollcall:expiryWarningDays  (ROLLCALL_EXPIRY_WARNING_DAYS)  reports list access ending within this many days; default 14
//
// ROLLCALL_TEST_NOW (an ISO 8601 instant, e.g. 2027-03-31T00:00:00Z) sets the clock, for tests
// only: the program warns on every run that uses it, so it cannot go unnoticed in a real one.
import { setting, SettingsError, type ConfigGetter } from "../../core/config";
import { dateIn, isTimeZone } from "../../core/util/calendar";

export const EXPIRY_KEYS = { expiryTimeZone: "ROLLCALL_EXPIRY_TIME_ZONE", expiryWarningDays: "ROLLCALL_EXPIRY_WARNING_DAYS" } as const;
export const TEST_CLOCK_VAR = "ROLLCALL_TEST_NOW";
export const DEFAULT_TIME_ZONE = "UTC";
export const DEFAULT_WARNING_DAYS = 14;

export interface ExpiryClock {
  /** Today in the stack's time zone, YYYY-MM-DD. */
  today: string;
  timeZone: string;
  warningDays: number;
  /** Set when ROLLCALL_TEST_NOW moved the clock: the warning to log. */
  overridden?: string;
}

/** The current instant: the real clock, or ROLLCALL_TEST_NOW. */
export function now(env: NodeJS.ProcessEnv = process.env): { instant: Date; overridden?: string } {
  const text = env[TEST_CLOCK_VAR];
  if (text === undefined || text === "") return { instant: new Date() };
  const instant = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(text) || Number.isNaN(instant.getTime()))
    throw new SettingsError(`${TEST_CLOCK_VAR} must be an ISO 8601 date or instant such as 2027-03-31T00:00:00Z, not '${text}'.`);
  return {
    instant,
    overridden:
      `${TEST_CLOCK_VAR}=${text}: the clock is set for a test; expiry is decided as if it were ${instant.toISOString()}. Unset it ` +
      `outside tests.`,
  };
}

export function readExpiryClock(config: ConfigGetter, env: NodeJS.ProcessEnv = process.env): ExpiryClock {
  const timeZone = setting(config, "expiryTimeZone", EXPIRY_KEYS.expiryTimeZone, env) ?? DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone))
    throw new SettingsError(`rollcall:expiryTimeZone must be an IANA time zone such as UTC or Europe/Berlin, not '${timeZone}'.`);
  const daysText = setting(config, "expiryWarningDays", EXPIRY_KEYS.expiryWarningDays, env);
  const warningDays = daysText === undefined ? DEFAULT_WARNING_DAYS : Number(daysText);
  if (!Number.isInteger(warningDays) || warningDays < 0)
    throw new SettingsError(`rollcall:expiryWarningDays must be a whole number of days (0 or more), not '${daysText}'.`);
  const { instant, overridden } = now(env);
  return { today: dateIn(instant, timeZone), timeZone, warningDays, ...(overridden ? { overridden } : {}) };
}
