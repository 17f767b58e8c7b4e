// data.futureFeatures: the rows after each series' last observed target (targets empty) hold the future values of
// the known-future columns. They are taken out of the series (nothing is trained or scored on them) and kept for
// the inputs of the last windows.
import { DataError } from '../errors.js';
import { RowError, type Table } from './csv.js';
import { futureNeeded } from './features.js';
import type { SeriesRows } from './forecast-rows.js';

export interface FutureRows {
  /** the series' rows up to each one's last observed target */
  observed: SeriesRows;
  /** per series, its data rows after that, in time order */
  rows: Int32Array[];
  /** per series and numeric future column, the values of those rows (NaN: empty) */
  values: Map<string, Float64Array>[];
  /** per series, the times of those rows (with data.time) */
  times?: Float64Array[];
}

/**
 * Splits off each series' trailing rows whose targets are all empty. `numeric`: the numeric future columns, read
 * here (before the series' columns are taken from the table) at those rows.
 */
export function splitFutureRows(table: Table, rows: SeriesRows, targets: string[], numeric: string[]): FutureRows {
  const targetValues = targets.map((t) => table.numbers(t));
  const numericValues = numeric.map((c) => table.numbers(c));
  const observed = (row: number) => row >= 0 && targetValues.some((v) => !Number.isNaN(v[row]));
  const ends = rows.bounds.map(([a, b], s) => {
    let end = b;
    while (end > a && !observed(rows.order[end - 1])) end--;
    if (end === a) {
      const where = rows.names.length > 1 ? `series ${JSON.stringify(rows.names[s])}: ` : '';
      throw new DataError(
        table.file,
        `${where}expected rows with ${targets.join(', ')} before the future rows, found none: every target is empty`,
        'the future rows (targets empty) follow the observed ones; leave out a series that has none',
      );
    }
    return end;
  });
  const future = rows.bounds.map(([, b], s) => rows.order.slice(ends[s], b));
  const values = future.map(
    (r) => new Map(numeric.map((c, k) => [c, Float64Array.from(r, (row) => (row < 0 ? NaN : numericValues[k][row]))])),
  );
  const keep = rows.bounds.flatMap(([a], s) => Array.from({ length: ends[s] - a }, (_, i) => a + i));
  const bounds: [number, number][] = [];
  let at = 0;
  rows.bounds.forEach(([a], s) => {
    bounds.push([at, at + ends[s] - a]);
    at += ends[s] - a;
  });
  const pick = <T extends Int32Array | Float64Array>(v: T, make: (n: number) => T): T => {
    const out = make(keep.length);
    keep.forEach((p, i) => (out[i] = v[p]));
    return out;
  };
  return {
    observed: {
      ...rows,
      bounds,
      order: pick(rows.order, (n) => new Int32Array(n)),
      ...(rows.times ? { times: pick(rows.times, (n) => new Float64Array(n)) } : {}),
    },
    rows: future,
    values,
    ...(rows.times ? { times: rows.bounds.map(([, b], s) => rows.times!.slice(ends[s], b)) } : {}),
  };
}

/**
 * Every future row must hold every future value (numeric and categorical): an empty cell is an error naming its
 * line and column, a row missing from the time column one naming its time. How many rows a forecast needs depends
 * on where it starts (lstm-predict checks that).
 */
export function checkFutureRows(
  table: Table,
  f: FutureRows,
  o: {
    shift: number;
    numeric: string[];
    categorical: string[];
    seriesNames: string[];
    targets: string[];
    time?: (t: number) => string;
  },
): void {
  const texts = o.categorical.map((c) => table.text(c));
  f.rows.forEach((rows, s) => {
    const where = o.seriesNames.length > 1 ? ` of series ${JSON.stringify(o.seriesNames[s])}` : '';
    const needed = futureNeeded(o.shift, o.targets, [...o.numeric, ...o.categorical], where);
    for (let k = 0; k < rows.length; k++) {
      const emptyNumber = o.numeric.find((c) => Number.isNaN(f.values[s].get(c)![k]));
      const emptyText = o.categorical.find((_, i) => rows[k] >= 0 && texts[i].levels[texts[i].codes[rows[k]]] === '');
      const c = emptyNumber ?? emptyText ?? (rows[k] < 0 ? (o.numeric[0] ?? o.categorical[0]) : undefined);
      if (c === undefined) continue;
      const message = `column "${c}": expected the future value of step ${k + 1}${where}, found an empty cell`;
      if (rows[k] < 0) {
        const at = f.times && o.time ? ` at ${o.time(f.times[s][k])}` : '';
        throw new DataError(
          table.file,
          `expected future row ${k + 1}${where}${at}, found a gap in the time column`,
          `add the row, with its ${[...o.numeric, ...o.categorical].join(', ')}: every future row must hold every future value`,
        );
      }
      throw new RowError(
        [rows[k]],
        table.header.indexOf(c),
        () => message,
        `fill it: a model with data.futureFeatures needs ${needed}, every future value filled`,
      );
    }
  });
}
