// Features that are not measured levels: categorical columns one-hot, and calendar cycles from the time column.
import type { CALENDAR_FEATURES } from '../config/schema.js';
import { DataError } from '../errors.js';
import type { TextColumn } from './csv.js';
import type { TimeForm } from './time.js';

export type CalendarFeature = (typeof CALENDAR_FEATURES)[number];

/** A categorical column's vocabulary, fitted on the training rows: one input per level. */
export interface Category {
  column: string;
  levels: string[];
}

/** The names of the inputs a vocabulary makes: `weather=rain`, … */
export const oneHotNames = (c: Category) => c.levels.map((l) => `${c.column}=${l}`);
/** The names of the inputs a calendar feature makes: `hourOfDay_sin`, `hourOfDay_cos`. */
export const calendarNames = (f: CalendarFeature) => [`${f}_sin`, `${f}_cos`];

/**
 * The levels of `column` found in the training rows (empty cells are not a level), in order of first appearance
 * (numbers in numeric order). More than `max` is an error: one-hot inputs for each would swamp the model.
 */
export function fitCategory(
  column: string,
  text: TextColumn,
  trainRows: ArrayLike<number>,
  max: number,
  file: string,
): Category {
  const seen = new Set<number>();
  for (let i = 0; i < trainRows.length; i++) if (trainRows[i] >= 0) seen.add(text.codes[trainRows[i]]);
  const levels = [...seen].map((c) => text.levels[c]).filter((l) => l !== '');
  if (levels.every((l) => /^[+-]?\d+(\.\d+)?$/.test(l))) levels.sort((a, b) => Number(a) - Number(b));
  if (levels.length > max)
    throw new DataError(
      file,
      `categorical column "${column}" has ${levels.length} levels in the training split; expected at most ${max} (data.maxCategories)`,
      `leave "${column}" out of data.categorical, or raise data.maxCategories if it really has that many`,
    );
  return { column, levels };
}

/**
 * The one-hot inputs of rows `rows` (-1: a row inserted in a gap, all zeros) [rows, levels], written at `at` of
 * each row of width `width` in `out`. A level not in the vocabulary is all zeros; returns how many rows had one.
 */
export function writeOneHot(
  c: Category,
  text: TextColumn,
  rows: ArrayLike<number>,
  out: Float32Array,
  width: number,
  at: number,
): number {
  const index = new Map(c.levels.map((l, i) => [l, i]));
  const byCode = text.levels.map((l) => index.get(l) ?? (l === '' ? -2 : -1)); // -1 unseen, -2 empty
  let unseen = 0;
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] < 0) continue;
    const k = byCode[text.codes[rows[i]]];
    if (k >= 0) out[i * width + at + k] = 1;
    else if (k === -1) unseen++;
  }
  return unseen;
}

const DAY = 86_400_000;
const TAU = 2 * Math.PI;
const zoneMinutes = (form: TimeForm) =>
  form.kind !== 'datetime' || form.zone === '' || form.zone === 'Z'
    ? 0
    : (form.zone[0] === '-' ? -1 : 1) * (Number(form.zone.slice(1, 3)) * 60 + Number(form.zone.slice(4)));

/** A calendar feature's phase in [0, 1) at a time (ms), on the file's own wall clock (its zone). */
export function calendarPhase(f: CalendarFeature, value: number, form: TimeForm): number {
  const t = new Date(value + zoneMinutes(form) * 60_000);
  const days = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  const year = t.getUTCFullYear();
  switch (f) {
    case 'hourOfDay':
      return ((((value + zoneMinutes(form) * 60_000) % DAY) + DAY) % DAY) / DAY;
    case 'dayOfWeek':
      return (t.getUTCDay() + t.getUTCHours() / 24) / 7;
    case 'dayOfMonth':
      return (t.getUTCDate() - 1) / days(year, t.getUTCMonth() + 1);
    case 'dayOfYear':
      return (
        (Date.UTC(year, t.getUTCMonth(), t.getUTCDate()) - Date.UTC(year, 0, 1)) /
        DAY /
        (days(year, 2) === 29 ? 366 : 365)
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
