// Features that are not measured levels: categorical columns one-hot, and calendar cycles from the time column.
import { DataError } from '../errors.js';
import type { TextColumn } from './csv.js';
import type { CalendarFeature } from './calendar.js';

export type { CalendarFeature } from './calendar.js';

/** A categorical column's vocabulary, fitted on the training rows: one input per level. */
export interface Category {
  column: string;
  levels: string[];
}

/** The names of the inputs a vocabulary makes: `weather=rain`, … */
export const oneHotNames = (c: Category) => c.levels.map((l) => `${c.column}=${l}`);
/** How many one-hot inputs these vocabularies make. */
export const oneHotWidth = (cs: Category[]) => cs.reduce((n, c) => n + c.levels.length, 0);

/** Known-future columns (data.futureFeatures as the inputs take them): the numeric ones, then the categorical. */
export const futureColumns = (f: { numeric: string[]; categories: Category[] }) => [
  ...f.numeric,
  ...f.categories.map((c) => c.column),
];

/** What a forecast needs of the rows after a series' last observed row, for its messages. */
export const futureNeeded = (count: number, targets: string[], columns: string[], where = '') =>
  `${count} rows after the last observed ${targets.join(', ')}${where} (the targets empty, ` +
  `${columns.join(', ') || 'the future features'} filled)`;

/** The inputs known-future columns make (data.futureFeatures): `temp[t+24]`, `holiday[t+24]=yes`, … */
export const futureNames = (f: { shift: number; numeric: string[]; categories: Category[] }) => [
  ...f.numeric.map((c) => `${c}[t+${f.shift}]`),
  ...f.categories.flatMap((k) => oneHotNames({ ...k, column: `${k.column}[t+${f.shift}]` })),
];
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
