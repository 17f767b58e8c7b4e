// The numeric columns of every series in time order, empty cells handled by data.missing, one column at a time.
import { RowError, type Table } from './csv.js';
import type { SeriesRows } from './forecast-rows.js';
import type { MissingPolicy } from './missing.js';
import type { TimeForm } from './time.js';

/** The series' rows that were kept, and the used numeric columns over them. */
export interface SeriesColumns {
  names: string[];
  /** per series, its kept rows [start, end) */
  bounds: [number, number][];
  /** per kept row: its data-row index in the file (-1: a row inserted in a gap) and its series */
  rowIds: Int32Array;
  seriesOf: Int32Array;
  times?: Float64Array;
  form?: TimeForm;
  /** each used column's values per kept row, original units */
  values: Map<string, Float64Array>;
}

const SUGGESTION = 'fill the cell, or set data.missing to "drop" or "ffill"';

/** The error of an empty cell at position p (a data row, or a row inserted in a gap before the next data row). */
function emptyCell(
  table: Table,
  rows: SeriesRows,
  p: number,
  name: string,
  detail: string,
  suggestion: string,
): RowError {
  const column = table.header.indexOf(name);
  const row = rows.order[p];
  if (row >= 0)
    return new RowError(
      [row],
      column,
      () => `column "${name}": expected a number, found an empty cell${detail}`,
      suggestion,
    );
  let next = p;
  while (next < rows.order.length && rows.order[next] < 0) next++;
  return new RowError(
    [rows.order[next] ?? 0],
    column,
    ([line]) =>
      `column "${name}": expected a number, found an empty cell${detail} ` +
      `in a row inserted for a gap (data.gaps "fill") before line ${line}`,
    suggestion,
  );
}

/**
 * Column `name` in series order (NaN where the cell is empty or the row was inserted in a gap), taken from the
 * table: a file already in series order is used as it is, and a copy in another order is the only one kept.
 */
function ordered(table: Table, rows: SeriesRows, name: string): Float64Array {
  const column = table.takeNumbers(name);
  if (rows.order.length === column.length && isIdentity(rows.order)) return column;
  const out = new Float64Array(rows.order.length);
  for (let p = 0; p < out.length; p++) out[p] = rows.order[p] < 0 ? NaN : column[rows.order[p]];
  return out;
}

function isIdentity(order: Int32Array): boolean {
  for (let p = 0; p < order.length; p++) if (order[p] !== p) return false;
  return true;
}

/**
 * Reads `names` over every series' rows and applies the missing policy: `error` stops at the first empty cell (in
 * row order, then column order), `ffill` carries each column's previous value within its series, `drop` keeps
 * only complete rows.
 */
export function readSeriesColumns(
  table: Table,
  rows: SeriesRows,
  names: string[],
  policy: MissingPolicy,
): SeriesColumns {
  const n = rows.order.length;
  const seriesOfPosition = new Int32Array(n);
  rows.bounds.forEach(([a, b], s) => seriesOfPosition.fill(s, a, b));
  const values = names.map((name) => ordered(table, rows, name));
  if (policy === 'error') {
    let first: { p: number; j: number } | undefined;
    values.forEach((v, j) => {
      const p = v.findIndex((x) => Number.isNaN(x));
      if (p >= 0 && (first === undefined || p < first.p)) first = { p, j };
    });
    if (first) throw emptyCell(table, rows, first.p, names[first.j], '', SUGGESTION);
  }
  if (policy === 'ffill') {
    let first: { p: number; j: number } | undefined;
    values.forEach((v, j) => {
      for (let p = 0; p < n; p++) {
        if (!Number.isNaN(v[p])) continue;
        if (p > 0 && seriesOfPosition[p - 1] === seriesOfPosition[p]) v[p] = v[p - 1];
        else if (first === undefined || p < first.p) first = { p, j };
      }
    });
    if (first)
      throw emptyCell(
        table,
        rows,
        first.p,
        names[first.j],
        ' with no earlier value to carry forward (missing: "ffill")',
        'fill the first value, or set data.missing to "drop"',
      );
  }
  const keep = new Uint8Array(n).fill(1);
  if (policy === 'drop') for (const v of values) for (let p = 0; p < n; p++) if (Number.isNaN(v[p])) keep[p] = 0;
  let count = 0;
  for (let p = 0; p < n; p++) count += keep[p];
  const kept = new Int32Array(count);
  for (let p = 0, k = 0; p < n; p++) if (keep[p]) kept[k++] = p;
  function pick<T extends Float64Array | Int32Array>(v: T, make: (n: number) => T): T {
    if (count === n) return v;
    const out = make(count);
    for (let k = 0; k < count; k++) out[k] = v[kept[k]];
    return out;
  }
  const seriesOf = pick(seriesOfPosition, (m) => new Int32Array(m));
  const bounds = rows.bounds.map((): [number, number] => [0, 0]);
  let at = 0;
  rows.bounds.forEach((_, s) => {
    const start = at;
    while (at < seriesOf.length && seriesOf[at] === s) at++;
    bounds[s] = [start, at];
  });
  return {
    names: rows.names,
    bounds,
    rowIds: pick(rows.order, (m) => new Int32Array(m)),
    seriesOf,
    times: rows.times && pick(rows.times, (m) => new Float64Array(m)),
    form: rows.form,
    values: new Map(names.map((name, j) => [name, pick(values[j], (m) => new Float64Array(m))])),
  };
}
