// The `missing` policy for empty cells: stop with an error, drop the row, or carry the previous value forward.
import { DataError } from '../errors.js';
import type { CsvTable } from './csv.js';

export type MissingPolicy = 'error' | 'drop' | 'ffill';

const SUGGESTION = 'fill the cell, or set data.missing to "drop" or "ffill"';

/**
 * Rows (indices into table.rows) whose key cells (label, sequence id, order) are all filled.
 * Keys cannot be carried forward meaningfully, so `ffill` treats an empty key like `error` does.
 */
export function rowsWithKeys(table: CsvTable, keyCols: number[], policy: MissingPolicy): number[] {
  const kept: number[] = [];
  table.rows.forEach((row, r) => {
    const empty = keyCols.find((c) => row.cells[c] === '');
    if (empty === undefined) kept.push(r);
    else if (policy !== 'drop')
      throw new DataError(
        `${table.file}:${row.line}:${empty + 1}`,
        `column "${table.header[empty]}": expected a value, found an empty cell`,
        'fill the cell, or set data.missing to "drop"',
      );
  });
  return kept;
}

/** Where the value at (row i, column j) of a numeric matrix came from, and where its predecessor in time is. */
export interface MissingContext {
  /** `file:line:column` and the column name of matrix cell (i, j). */
  locate(i: number, j: number): { where: string; column: string };
  /** The flat index of the value that comes just before (i, j) in time, or -1 when there is none. */
  previous(i: number, j: number): number;
}

/** `locate` for a matrix read by numericMatrix(table, rows, cols): cell (i, j) is table row rows[i], column cols[j]. */
export function locateIn(table: CsvTable, rows: number[], cols: number[]): MissingContext['locate'] {
  return (i, j) => ({
    where: `${table.file}:${table.rows[rows[i]].line}:${cols[j] + 1}`,
    column: table.header[cols[j]],
  });
}

/**
 * Applies the policy to a row-major matrix [rows, width] whose empty cells are NaN. Fills in place for `ffill`.
 * Returns the matrix rows to keep (all of them unless `drop`).
 */
export function applyMissing(
  values: Float64Array,
  width: number,
  policy: MissingPolicy,
  ctx: MissingContext,
): number[] {
  const rows = width === 0 ? 0 : values.length / width;
  const kept: number[] = [];
  for (let i = 0; i < rows; i++) {
    let complete = true;
    for (let j = 0; j < width; j++) {
      const k = i * width + j;
      if (!Number.isNaN(values[k])) continue;
      if (policy === 'drop') complete = false;
      else if (policy === 'ffill') values[k] = carried(values, i, j, ctx);
      else {
        const { where, column } = ctx.locate(i, j);
        throw new DataError(where, `column "${column}": expected a number, found an empty cell`, SUGGESTION);
      }
    }
    if (complete) kept.push(i);
  }
  return kept;
}

function carried(values: Float64Array, i: number, j: number, ctx: MissingContext): number {
  const p = ctx.previous(i, j);
  // Predecessors come earlier in row-major order, so they are already filled.
  if (p >= 0) return values[p];
  const { where, column } = ctx.locate(i, j);
  throw new DataError(
    where,
    `column "${column}": expected a number, found an empty cell with no earlier value to carry forward (missing: "ffill")`,
    'fill the first value, or set data.missing to "drop"',
  );
}

/** The row-major predecessor rule for one series: the same column in the previous row of the same group. */
export function previousRowInGroup(width: number, groups?: ArrayLike<number>): (i: number, j: number) => number {
  return (i, j) => (i > 0 && (groups === undefined || groups[i - 1] === groups[i]) ? (i - 1) * width + j : -1);
}
