// The `missing` policy for empty cells: stop with an error, drop the row, or carry the previous value forward.
import { RowError, type Table } from './csv.js';

export type MissingPolicy = 'error' | 'drop' | 'ffill';

const SUGGESTION = 'fill the cell, or set data.missing to "drop" or "ffill"';

/**
 * The rows (of `rows`, default all) whose key cells (label, sequence id, order: text columns) are all filled.
 * Keys cannot be carried forward meaningfully, so `ffill` treats an empty key like `error` does.
 */
export function rowsWithKeys(table: Table, keys: string[], policy: MissingPolicy, rows?: ArrayLike<number>): number[] {
  const columns = keys.map((k) => ({ name: k, index: table.header.indexOf(k), ...table.text(k) }));
  const empty = columns.map((c) => c.levels.indexOf(''));
  const kept: number[] = [];
  const n = rows ? rows.length : table.rows;
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i] : i;
    const k = columns.findIndex((c, j) => empty[j] >= 0 && c.codes[r] === empty[j]);
    if (k < 0) kept.push(r);
    else if (policy !== 'drop')
      throw new RowError(
        [r],
        columns[k].index,
        () => `column "${columns[k].name}": expected a value, found an empty cell`,
        'fill the cell, or set data.missing to "drop"',
      );
  }
  return kept;
}

/** Where the value at (row i, column j) of a numeric matrix came from, and where its predecessor in time is. */
export interface MissingContext {
  /**
   * Matrix cell (i, j)'s data row (-1: a row inserted to fill a gap, `next` the data row after the gap), its
   * 0-based column and the column's name.
   */
  locate(i: number, j: number): { row: number; next?: number; column: number; name: string };
  /** The flat index of the value that comes just before (i, j) in time, or -1 when there is none. */
  previous(i: number, j: number): number;
}

/** `locate` for a matrix read by numericMatrix(table, rows, names): cell (i, j) is data row rows[i], column names[j]. */
export function locateIn(table: Table, rows: ArrayLike<number>, names: string[]): MissingContext['locate'] {
  return (i, j) => {
    const column = table.header.indexOf(names[j]);
    if (rows[i] >= 0) return { row: rows[i], column, name: names[j] };
    let next = i;
    while (next < rows.length && rows[next] < 0) next++;
    return { row: -1, next: rows[next], column, name: names[j] };
  };
}

function emptyCell(ctx: MissingContext, i: number, j: number, detail: string, suggestion: string): RowError {
  const at = ctx.locate(i, j);
  if (at.row >= 0)
    return new RowError(
      [at.row],
      at.column,
      () => `column "${at.name}": expected a number, found an empty cell${detail}`,
      suggestion,
    );
  return new RowError(
    [at.next ?? 0],
    at.column,
    ([line]) =>
      `column "${at.name}": expected a number, found an empty cell${detail} ` +
      `in a row inserted for a gap (data.gaps "fill") before line ${line}`,
    suggestion,
  );
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
      else throw emptyCell(ctx, i, j, '', SUGGESTION);
    }
    if (complete) kept.push(i);
  }
  return kept;
}

function carried(values: Float64Array, i: number, j: number, ctx: MissingContext): number {
  const p = ctx.previous(i, j);
  // Predecessors come earlier in row-major order, so they are already filled.
  if (p >= 0) return values[p];
  throw emptyCell(
    ctx,
    i,
    j,
    ' with no earlier value to carry forward (missing: "ffill")',
    'fill the first value, or set data.missing to "drop"',
  );
}

/** The row-major predecessor rule for one series: the same column in the previous row of the same group. */
export function previousRowInGroup(width: number, groups?: ArrayLike<number>): (i: number, j: number) => number {
  return (i, j) => (i > 0 && (groups === undefined || groups[i - 1] === groups[i]) ? (i - 1) * width + j : -1);
}
