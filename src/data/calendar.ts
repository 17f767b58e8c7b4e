// Calendar features: the phase of a time in its day, week, month or year, as a sine/cosine pair. Pure and
// dependency-free: lstm-train's inputs and the exported predict.js are both built from this file.
import type { CALENDAR_FEATURES } from '../config/schema.js';
import { daysIn, zoneMinutes, type TimeForm } from './time.js';

export type CalendarFeature = (typeof CALENDAR_FEATURES)[number];

const DAY = 86_400_000;
const TAU = 2 * Math.PI;

/** A calendar feature's phase in [0, 1) at a time (ms), on the file's own wall clock (its zone). */
export function calendarPhase(f: CalendarFeature, value: number, form: TimeForm): number {
  const local = value + (form.kind === 'datetime' ? zoneMinutes(form.zone) : 0) * 60_000;
  const t = new Date(local);
  const year = t.getUTCFullYear();
  switch (f) {
    case 'hourOfDay':
      return (((local % DAY) + DAY) % DAY) / DAY;
    case 'dayOfWeek':
      return (t.getUTCDay() + t.getUTCHours() / 24) / 7;
    case 'dayOfMonth':
      return (t.getUTCDate() - 1) / daysIn(year, t.getUTCMonth() + 1);
    case 'dayOfYear':
      return (
        (Date.UTC(year, t.getUTCMonth(), t.getUTCDate()) - Date.UTC(year, 0, 1)) /
        DAY /
        (daysIn(year, 2) === 29 ? 366 : 365)
      );
    case 'month':
      return t.getUTCMonth() / 12;
  }
}

/** The sine/cosine pair of each feature for each time, written at `at` of each row of width `width` in `out`. */
export function writeCalendar(
  features: CalendarFeature[],
  times: ArrayLike<number>,
  form: TimeForm,
  out: Float32Array,
  width: number,
  at: number,
): void {
  for (let i = 0; i < times.length; i++)
    features.forEach((f, k) => {
      const phase = TAU * calendarPhase(f, times[i], form);
      out[i * width + at + 2 * k] = Math.sin(phase);
      out[i * width + at + 2 * k + 1] = Math.cos(phase);
    });
}
