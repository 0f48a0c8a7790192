// Calendar dates as users.yaml writes them (YYYY-MM-DD, ISO 8601), and "today" in a time zone.
// Dates compare as strings: the format sorts in calendar order.

/** True for a real calendar day (not 2027-02-30). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The calendar date of `instant` in the IANA time zone `timeZone` (throws RangeError for an unknown zone). */
export function dateIn(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** True when the time zone is one the runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    dateIn(new Date(0), timeZone);
    return true;
  } catch {
    return false;
  }
}
