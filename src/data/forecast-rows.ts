// A forecast file's rows as series: grouped by the series id, each ordered by time (gaps by data.gaps).
import type { ForecastDataConfig } from '../config/schema.js';
import type { Table } from './csv.js';
import { RowError } from './row-error.js';
import { EMPTY_ID } from './series-name.js';
import { inferFrequency, type Frequency, type TimeForm } from './time.js';
import { compareSeriesNames, seriesName } from './series-name.js';
import { timeline } from './timeline.js';

/** Every series of the file, one after another: its data rows in time order (-1: a row inserted in a gap). */
export interface SeriesRows {
  /** the series' names (the id columns' values joined by "/"), in natural sort order; [''] for one series */
  names: string[];
  /** per series, its positions [start, end) in `order` */
  bounds: [number, number][];
  /** data rows, series after series */
  order: Int32Array;
  /** the time of each position (with data.time) */
  times?: Float64Array;
  form?: TimeForm;
  frequency?: Frequency;
  gaps: { found: number; filled: number };
}

export const seriesColumns = (cfg: ForecastDataConfig): string[] =>
  cfg.seriesId === undefined ? [] : typeof cfg.seriesId === 'string' ? [cfg.seriesId] : cfg.seriesId;

/** Each row's series: an index into the names, which join the id columns' values with "/". */
function seriesOfRows(table: Table, columns: string[]): { of: Int32Array; names: string[] } {
  const of = new Int32Array(table.rows);
  if (columns.length === 0) return { of, names: [''] };
  const texts = columns.map((c) => table.text(c));
  const ids = new Map<number, number>();
  const names: string[] = [];
  // the id columns' codes as one number (mixed radix), which fits a double for any real count of levels
  const radix = texts.map((t) => t.levels.length);
  const empty = texts.map((t) => t.levels.indexOf('')); // a series id is never empty
  for (let r = 0; r < table.rows; r++) {
    const k = empty.findIndex((code, j) => code >= 0 && texts[j].codes[r] === code);
    if (k >= 0) {
      const name = columns[k];
      throw new RowError([r], table.header.indexOf(name), () => `column "${name}": ${EMPTY_ID}`);
    }
    let key = 0;
    for (let k = 0; k < texts.length; k++) key = key * radix[k] + texts[k].codes[r];
    let s = ids.get(key);
    if (s === undefined) {
      s = names.length;
      ids.set(key, s);
      names.push(seriesName(texts.map((t) => t.levels[t.codes[r]])));
    }
    of[r] = s;
  }
  // Reports and forecasts list the series sorted as a person would (st2 before st10), whatever the file order.
  const sorted = names.map((_, s) => s).sort((a, b) => compareSeriesNames(names[a], names[b]));
  const rank = new Int32Array(names.length);
  sorted.forEach((s, k) => (rank[s] = k));
  for (let r = 0; r < table.rows; r++) of[r] = rank[of[r]];
  return { of, names: sorted.map((s) => names[s]) };
}

/** Each series' rows in file order (a counting sort of the rows by series). */
function membersOf(of: Int32Array, count: number): Int32Array[] {
  const sizes = new Int32Array(count);
  for (let r = 0; r < of.length; r++) sizes[of[r]]++;
  const members = Array.from(sizes, (size) => new Int32Array(size));
  const at = new Int32Array(count);
  for (let r = 0; r < of.length; r++) members[of[r]][at[of[r]]++] = r;
  return members;
}

/** The most common step of every series together (each sorted by time). */
function pooledFrequency(times: Float64Array, perSeries: Int32Array[], form: TimeForm): Frequency | undefined {
  const longest = perSeries.reduce((a, b) => (b.length > a.length ? b : a), new Int32Array(0));
  // the longest series decides; a pooled count would mix a few short series' odd steps into it
  return inferFrequency(Float64Array.from(longest, (r) => times[r]).sort(), form);
}

/**
 * Groups the rows into series and orders each by time (a stable sort: the file need not be sorted), with one
 * frequency for all (a trained model's, or inferred); gaps follow data.gaps, series by series.
 */
export function seriesRows(table: Table, cfg: ForecastDataConfig, frequency?: Frequency): SeriesRows {
  const { of, names } = seriesOfRows(table, seriesColumns(cfg));
  const perSeries = membersOf(of, names.length);
  if (cfg.time === undefined) return joined(names, perSeries);
  const column = table.times(cfg.time);
  const index = table.header.indexOf(cfg.time);
  const f = frequency ?? pooledFrequency(column.values, perSeries, column.form);
  const lines = perSeries.map((rows) => {
    const t = timeline(
      {
        file: table.file,
        column: cfg.time ?? '',
        index,
        values: Float64Array.from(rows, (r) => column.values[r]),
        form: column.form,
        rows,
      },
      cfg.gaps,
      f,
    );
    return {
      order: Int32Array.from(t.order, (i) => (i < 0 ? -1 : rows[i])),
      values: t.values,
      gaps: t.gaps,
      filled: t.filled,
    };
  });
  const out = joined(
    names,
    lines.map((l) => l.order),
  );
  const times = new Float64Array(out.order.length);
  lines.forEach((l, s) => times.set(l.values, out.bounds[s][0]));
  const gaps = { found: lines.reduce((a, l) => a + l.gaps, 0), filled: lines.reduce((a, l) => a + l.filled, 0) };
  return { ...out, times, form: column.form, frequency: f, gaps };
}

function joined(names: string[], orders: Int32Array[]): SeriesRows {
  const total = orders.reduce((a, o) => a + o.length, 0);
  const order = new Int32Array(total);
  const bounds: [number, number][] = [];
  let at = 0;
  for (const o of orders) {
    order.set(o, at);
    bounds.push([at, at + o.length]);
    at += o.length;
  }
  return { names, bounds, order, gaps: { found: 0, filled: 0 } };
}
