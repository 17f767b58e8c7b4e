// Finds columns by name and parses numeric cells, with messages that point at the file, line and column.
import { nearest } from '../util/did-you-mean.js';
import { DataError, describeValue } from '../errors.js';
import type { CsvTable } from './csv.js';

/** Plain decimal numbers only: Number() would also take "0x10", "Infinity" and "" (as 0). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell as a number; NaN for an empty cell; undefined when it is not a number. */
export function parseCell(cell: string): number | undefined {
  if (cell === '') return NaN;
  return NUMBER.test(cell) ? Number(cell) : undefined;
}

/** True when every non-empty cell of the column parses as a number (and at least one is non-empty). */
export function isNumericColumn(table: CsvTable, col: number): boolean {
  let any = false;
  for (const row of table.rows) {
    const v = parseCell(row.cells[col]);
    if (v === undefined) return false;
    if (!Number.isNaN(v)) any = true;
  }
  return any;
}

/** The 0-based index of column `name`; a DataError listing the file's columns (and the closest one) if absent. */
export function columnIndex(table: CsvTable, name: string, role: string): number {
  const i = table.header.indexOf(name);
  if (i >= 0) return i;
  const guess = closest(name, table.header);
  const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
  throw new DataError(
    `${table.file}:1`,
    `expected a ${role} column "${name}", found none${hint}; the file's columns are: ${table.header.join(', ')}`,
  );
}

/** The label column's index; with `optional` (data to predict from), -1 when the file has none. */
export function labelColumn(table: CsvTable, name: string, optional = false): number {
  return optional && !table.header.includes(name) ? -1 : columnIndex(table, name, 'label');
}

/**
 * The named columns of the given rows as a row-major Float64Array [rows.length, cols.length]; empty cells are NaN
 * (the `missing` policy decides about those). A non-numeric cell is a DataError at its file:line:column.
 */
export function numericMatrix(table: CsvTable, rows: number[], cols: number[]): Float64Array {
  const out = new Float64Array(rows.length * cols.length);
  rows.forEach((r, i) => {
    const row = table.rows[r];
    cols.forEach((c, j) => {
      const v = parseCell(row.cells[c]);
      if (v === undefined)
        throw new DataError(
          `${table.file}:${row.line}:${c + 1}`,
          `column "${table.header[c]}": expected a number, got ${describeValue(row.cells[c])}`,
        );
      out[i * cols.length + j] = v;
    });
  });
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
export function numericColumnsExcept(table: CsvTable, exclude: (string | undefined)[]): string[] {
  return table.header.filter((name, i) => !exclude.includes(name) && isNumericColumn(table, i));
}
