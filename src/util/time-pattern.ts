// data.timeFormat's rule, for the config's check and the reader alike: a Luxon format that writes and reads a time.
import { DateTime } from 'luxon';

/** Whether a pattern names a year and reads back a time it wrote (in UTC, with English month names). */
export function isTimePattern(pattern: string): boolean {
  if (!/y/.test(pattern.replace(/'[^']*'/g, ''))) return false;
  const t = DateTime.fromMillis(Date.UTC(2001, 1, 3, 4, 5, 6, 7), { zone: 'utc' });
  const written = t.toFormat(pattern, { locale: 'en-US' });
  return DateTime.fromFormat(written, pattern, { zone: 'utc', locale: 'en-US' }).isValid;
}
