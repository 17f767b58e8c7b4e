// Calendar features: the phase of a time in its day, week, month or year, as a sine/cosine pair. Pure and
// dependency-free: lstm-train's inputs and the exported predict.js are both built from this file.
import type { CALENDAR_FEATURES } from '../config/schema.js';
import { daysIn, zoneMinutes, type TimeForm } from './time.js';

export type CalendarFeature = (typeof CALENDAR_FEATURES)[number];

const DAY = 86_400_000;

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
