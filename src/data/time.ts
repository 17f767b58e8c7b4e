// A time column: ISO 8601 dates and date-times, plain numbers, or the file's own pattern (data.timeFormat), parsed,
// ordered, stepped and written back as found.
import { DateTime } from 'luxon';

/** How the file writes its times, so that future times are written the same way. */
export type TimeForm =
  | { kind: 'number' }
  | { kind: 'date'; pattern?: string }
  | {
      kind: 'datetime';
      /** data.timeFormat: the file's own way of writing times (a Luxon format, read and written in UTC) */
      pattern?: string;
      /** between the date and the time */
      separator: 'T' | ' ';
      seconds: boolean;
      /** digits of fractional seconds (0: none) */
      fraction: number;
      /** '' (no zone: read as UTC), 'Z', or an offset such as '+01:00' (the last row's, for times to come) */
      zone: string;
    };

/** The step between rows: a fixed amount (ms for dates and date-times, units for numbers) or calendar months. */
export type Frequency = { unit: 'fixed'; step: number } | { unit: 'month'; step: number; monthEnd: boolean };

export const TIME_FORMS =
  'a date (2024-03-01), a date-time (2024-03-01T13:00, 2024-03-01T13:00:00, with Z or an offset such as ' +
  '+01:00, T or a space between date and time) or a plain number';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const DAY = 86_400_000;

export interface ParsedTime {
  value: number;
  form: TimeForm;
}

/** The days of a month (1-based) of a year. */
export const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate(); // month 1-based

/** Luxon's time-of-day tokens: a pattern with one of them writes date-times, else dates. */
const TIME_OF_DAY = /[HhmsSaKkTtX]/;

/**
 * One cell as a time written in `pattern` (data.timeFormat: a Luxon format such as "MMM d yyyy" or "dd/MM/yyyy
 * HH:mm"), read in UTC with English month names; undefined when the cell is not written so.
 */
export function parseTimeAs(cell: string, pattern: string): ParsedTime | undefined {
  const t = DateTime.fromFormat(cell, pattern, { zone: 'utc', locale: 'en-US' });
  if (!t.isValid) return undefined;
  const form: TimeForm = TIME_OF_DAY.test(pattern.replace(/'[^']*'/g, ''))
    ? { kind: 'datetime', pattern, separator: 'T', seconds: true, fraction: 0, zone: '' }
    : { kind: 'date', pattern };
  return { value: t.toMillis(), form };
}

/** A cell as a time: in data.timeFormat's pattern when there is one, else one of the forms parseTime reads. */
export const parseTimeIn = (cell: string, pattern?: string) =>
  pattern === undefined ? parseTime(cell) : parseTimeAs(cell, pattern);

/** One cell as a time (ms since 1970 UTC, or the number), or undefined when it is none of the accepted forms. */
export function parseTime(cell: string): ParsedTime | undefined {
  if (NUMBER.test(cell)) {
    const value = Number(cell);
    return Number.isFinite(value) ? { value, form: { kind: 'number' } } : undefined; // 1e400 is no time
  }
  const m = ISO.exec(cell);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 5, 6, 7].map((k) => Number(m[k] ?? 0));
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const fraction = m[8] ?? '';
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  const zone = m[9] ?? '';
  const offset = zoneMinutes(zone);
  if (offset !== 0 && (Math.abs(offset) > 18 * 60 || Number(zone.slice(4)) > 59)) return undefined;
  const value = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
  if (m[4] === undefined) return { value, form: { kind: 'date' } };
  const separator = m[4] === 'T' ? 'T' : ' ';
  return { value, form: { kind: 'datetime', separator, seconds: m[7] !== undefined, fraction: fraction.length, zone } };
}

/** Whether two cells' forms can share a column: the same kind (a date-time's details and zone may differ). */
export const sameKind = (a: TimeForm, b: TimeForm) => a.kind === b.kind;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A time written in `form` (a date-time in its zone). */
export function formatTime(value: number, form: TimeForm): string {
  if (form.kind === 'number') return String(Number(value.toPrecision(12)));
  if (form.pattern !== undefined)
    return DateTime.fromMillis(value, { zone: 'utc' }).toFormat(form.pattern, { locale: 'en-US' });
  const offset = form.kind === 'datetime' ? zoneMinutes(form.zone) : 0;
  const t = new Date(value + offset * 60_000);
  const date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  if (form.kind === 'date') return date;
  let time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
  if (form.seconds) time += `:${pad(t.getUTCSeconds())}`;
  if (form.seconds && form.fraction > 0)
    time += `.${pad(t.getUTCMilliseconds(), 3).padEnd(form.fraction, '0').slice(0, form.fraction)}`;
  return `${date}${form.separator}${time}${form.zone}`;
}

/** A zone's offset from UTC in minutes: '' and 'Z' are 0, '+01:00' is 60. */
export function zoneMinutes(zone: string): number {
  if (zone === '' || zone === 'Z') return 0;
  return (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
}

const isMonthEnd = (t: Date) => t.getUTCDate() === daysIn(t.getUTCFullYear(), t.getUTCMonth() + 1);
const monthIndex = (t: Date) => t.getUTCFullYear() * 12 + t.getUTCMonth();
const timeOfDay = (value: number) => ((value % DAY) + DAY) % DAY;

/** The most common value of a list (the first seen on a tie). */
function mode(xs: number[]): number {
  const counts = new Map<number, number>();
  let best = xs[0];
  for (const x of xs) {
    const n = (counts.get(x) ?? 0) + 1;
    counts.set(x, n);
    if (n > (counts.get(best) ?? 0)) best = x;
  }
  return best;
}

/**
 * The most common step between sorted times. For dates and date-times a step of about a month or more counts in
 * calendar months when every time falls on the same day of the month (or every one on a month-end) at the same
 * time of day: monthly, quarterly and yearly series then step by 1, 3 or 12 months. Undefined for fewer than 2 rows.
 */
export function inferFrequency(sorted: ArrayLike<number>, form: TimeForm): Frequency | undefined {
  if (sorted.length < 2) return undefined;
  const diffs = Array.from({ length: sorted.length - 1 }, (_, i) => roundStep(sorted[i + 1] - sorted[i]));
  const step = mode(diffs);
  if (form.kind === 'number' || step < 28 * DAY) return { unit: 'fixed', step };
  const dates = Array.from(sorted, (v) => new Date(v));
  const sameTime = Array.from(sorted).every((v) => timeOfDay(v) === timeOfDay(sorted[0]));
  const sameDay = dates.every((t) => t.getUTCDate() === dates[0].getUTCDate());
  const monthEnd = dates.every(isMonthEnd);
  if (!sameTime || !(sameDay || monthEnd)) return { unit: 'fixed', step };
  const months = dates.slice(1).map((t, i) => monthIndex(t) - monthIndex(dates[i]));
  return { unit: 'month', step: mode(months), monthEnd: monthEnd && !(sameDay && dates[0].getUTCDate() <= 28) };
}

/** Steps are rounded to a millionth of themselves, so 0.1 + 0.2 steps count as equal. */
const roundStep = (d: number) => (d === 0 ? 0 : Number(d.toPrecision(9)));

/** How many frequency steps lie from `a` to `b` (a < b): a whole number, or NaN when `b` is off the grid. */
export function stepsBetween(a: number, b: number, f: Frequency): number {
  if (f.unit === 'fixed') {
    const k = (b - a) / f.step;
    return Math.abs(k - Math.round(k)) < 1e-6 ? Math.round(k) : NaN;
  }
  const [ta, tb] = [new Date(a), new Date(b)];
  const months = monthIndex(tb) - monthIndex(ta);
  const k = months / f.step;
  return Number.isInteger(k) && addMonths(a, months, f.monthEnd) === b ? k : NaN;
}

function addMonths(value: number, months: number, monthEnd: boolean): number {
  const t = new Date(value);
  const target = monthIndex(t) + months;
  const [year, month] = [Math.floor(target / 12), target % 12];
  const day = monthEnd ? daysIn(year, month + 1) : Math.min(t.getUTCDate(), daysIn(year, month + 1));
  return Date.UTC(year, month, day) + timeOfDay(value);
}

/** The time `k` steps after `value` (k may be negative). */
export function stepTime(value: number, k: number, f: Frequency): number {
  return f.unit === 'fixed' ? value + k * f.step : addMonths(value, k * f.step, f.monthEnd);
}

/** The frequency in words: "1 hour", "1 day", "3 months", "0.5". */
export function describeFrequency(f: Frequency, form: TimeForm): string {
  if (f.unit === 'month') return f.step % 12 === 0 ? plural(f.step / 12, 'year') : plural(f.step, 'month');
  if (form.kind === 'number') return String(f.step);
  for (const [ms, unit] of [
    [7 * DAY, 'week'],
    [DAY, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ] as const)
    if (f.step % ms === 0) return plural(f.step / ms, unit);
  return `${f.step} ms`;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
