/**
 * Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date. Answers whole seconds from now (0 for
 * a date already past), or undefined when absent or unreadable, in which case the schedule alone
 * decides. Only the three HTTP-date forms are accepted: Date.parse alone would read "2024" or "5 5"
 * as dates.
 */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850 = /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) {
    return Number(text);
  }
  let dateMs: number;
  if (IMF_FIXDATE.test(text) || RFC_850.test(text)) {
    dateMs = Date.parse(text);
  } else if (ASCTIME.test(text)) {
    // asctime carries no zone but HTTP-dates are always GMT; without it Date.parse would use local time.
    dateMs = Date.parse(`${text.replace(/ +/g, ' ')} GMT`);
  } else {
    return undefined;
  }
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, Math.ceil((dateMs - now.getTime()) / 1000));
}
