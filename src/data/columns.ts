// Finds columns by name in a header, and gathers numeric columns of chosen rows into matrices.
import { nearest } from '../util/did-you-mean.js';
import { DataError } from '../errors.js';
import type { Table } from './csv.js';

/** The 0-based index of column `name`; a DataError listing the file's columns (and the closest one) if absent. */
export function requireColumn(header: string[], file: string, name: string, role: string): number {
  const i = header.indexOf(name);
  if (i >= 0) return i;
  const guess = closest(name, header);
  const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
  throw new DataError(
    `${file}:1`,
    `expected a ${role} column "${name}", found none${hint}; the file's columns are: ${header.join(', ')}`,
  );
}

/** The label column's index; with `optional` (data to predict from), -1 when the file has none. */
export function labelColumn(header: string[], file: string, name: string, optional = false): number {
  return optional && !header.includes(name) ? -1 : requireColumn(header, file, name, 'label');
}

/**
 * The named numeric columns of the given rows as a row-major Float64Array [rows.length, names.length]; a row
 * index of -1 (a row inserted to fill a gap) is all NaN, as empty cells are (the `missing` policy decides).
 */
export function numericMatrix(table: Table, rows: ArrayLike<number>, names: string[]): Float64Array {
  const columns = names.map((n) => table.numbers(n));
  const out = new Float64Array(rows.length * names.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    for (let j = 0; j < columns.length; j++) out[i * columns.length + j] = r < 0 ? NaN : columns[j][r];
  }
  return out;
}

/** A did-you-mean: a column the name is a prefix of (or vice versa), else the one within a small edit distance. */
export function closest(name: string, candidates: string[]): string | undefined {
  // A name that is a prefix of a column (or the reverse), e.g. "seq" for "sequence", is the likeliest slip.
  const lower = name.toLowerCase();
  const prefix = candidates.find((c) => c.toLowerCase().startsWith(lower) || lower.startsWith(c.toLowerCase()));
  if (prefix !== undefined && Math.min(prefix.length, name.length) >= 2) return prefix;
  return nearest(name, candidates);
}

/** Default features: every numeric column, in file order, except the named ones (targets, label, id, order). */
export function numericColumnsExcept(table: Table, exclude: (string | undefined)[]): string[] {
  return table.numeric.filter((name) => !exclude.includes(name));
}
