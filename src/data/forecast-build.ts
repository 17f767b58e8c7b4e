// A forecast file's rows as model inputs: every series' rows through the fitted encoders (src/data/encoders, the
// same ones predict.js runs), its targets scaled, and the known-future inputs a rollout appends past its end.
import type { Table } from './csv.js';
import { forecastInputs, writeRows, numericEncoder, type RowSource, type Tally } from './encoders/index.js';
import { futureEncoder } from './encoders/future.js';
import { oneHotEncoder } from './encoders/one-hot.js';
import type { SeriesColumns } from './forecast-columns.js';
import type { Scalers } from './forecast-fit.js';
import type { FutureRows } from './future-rows.js';
import type { FeatureLayout, FutureLayout, Series } from './types.js';

/** What the rows are encoded with: the layout, the fitted scalers, the targets (`present`: those the file has). */
export interface BuildPlan {
  table: Table;
  columns: SeriesColumns;
  layout: FeatureLayout;
  targets: string[];
  scalers: Scalers;
  future?: FutureRows;
}

/**
 * Series s as rows an encoder reads: its kept rows 0 … n − 1, then its future rows (NaN and '' past them, and for
 * a column the file lacks).
 */
export function seriesSource(table: Table, c: SeriesColumns, s: number, future?: FutureRows): RowSource {
  const [a, b] = c.bounds[s];
  const n = b - a;
  const futureIds = future?.rows[s] ?? new Int32Array(0);
  const rowId = (r: number) => (r < n ? c.rowIds[a + r] : r - n < futureIds.length ? futureIds[r - n] : -1);
  return {
    number(column) {
      const own = c.values.get(column);
      const after = future?.values[s].get(column);
      return (r) => (r < n ? (own ? own[a + r] : NaN) : after && r - n < after.length ? after[r - n] : NaN);
    },
    text(column) {
      const t = table.text(column);
      return (r) => {
        const id = rowId(r);
        return id < 0 ? '' : t.levels[t.codes[id]];
      };
    },
    time: () => (r) => (c.times && r < n ? c.times[a + r] : NaN),
  };
}

/** The scaled inputs and targets of every row, and the targets in original units. */
export function buildSeries(p: BuildPlan): { series: Series; targetRaw: Float32Array; unseen: [string, number][] } {
  const { columns: c, layout, targets, scalers } = p;
  const n = c.rowIds.length;
  const encoderOf = (s: number) => forecastInputs(layout, (scalers.perSeries?.[s] ?? scalers).featureScaler, c.form);
  const width = encoderOf(0).names.length;
  const x = new Float32Array(n * width); // [rows, features]
  const t = targets.length;
  const y = new Float32Array(n * t); // [rows, targets]
  const targetRaw = new Float32Array(n * t).fill(NaN);
  const tally: Tally = new Map();
  // each series' rows are contiguous: encoded with its own scalers (or the global ones)
  c.bounds.forEach(([a, b], s) => {
    writeRows(encoderOf(s).bind(seriesSource(p.table, c, s, p.future), tally), 0, b - a, x, width, a * width);
    const targetScaler = (scalers.perSeries?.[s] ?? scalers).targetScaler;
    targets.forEach((name, j) => {
      const v = c.values.get(name);
      if (v === undefined) return; // absent from data to predict from
      const [offset, scale] = [targetScaler.offset[j], targetScaler.scale[j]];
      for (let q = a; q < b; q++) {
        targetRaw[q * t + j] = v[q];
        y[q * t + j] = (v[q] - offset) / scale;
      }
    });
  });
  const levelled = new Uint8Array(width);
  levelled.fill(1, 0, layout.numeric.length);
  const series: Series = {
    rows: n,
    x,
    features: width,
    y,
    targets: t,
    targetFeature: Int32Array.from(targets, (name) => layout.numeric.indexOf(name)),
    levelled,
  };
  const unseen = layout.categories.flatMap((k): [string, number][] => {
    const count = tally.get(k.column);
    return count === undefined ? [] : [[k.column, count]];
  });
  return { series, targetRaw, unseen };
}

/**
 * The future rows' own inputs, for a rollout's appended rows: each numeric or categorical input whose column is a
 * future feature (scaled, one-hot), NaN for the others; [future rows, numeric + one-hot inputs] per series.
 */
export function futureOwnInputs(p: BuildPlan, f: FutureLayout, future: FutureRows): Float32Array[] {
  const { layout, scalers, columns: c } = p;
  const numeric = layout.numeric.length;
  const width = numeric + oneHotEncoder(layout.categories).names.length;
  return future.rows.map((rows, s) => {
    const out = new Float32Array(rows.length * width).fill(NaN);
    const src = seriesSource(p.table, c, s, future);
    const observed = c.bounds[s][1] - c.bounds[s][0];
    const scaler = (scalers.perSeries?.[s] ?? scalers).featureScaler;
    // the numeric inputs through their encoder, reading only the future columns (NaN for the others)
    const known: RowSource = { ...src, number: (col) => (f.numeric.includes(col) ? src.number(col) : () => NaN) };
    writeRows(numericEncoder(scaler, layout.numeric).bind(known), observed, rows.length, out, width);
    let col = numeric;
    for (const k of layout.categories) {
      if (f.categories.some((u) => u.column === k.column))
        writeRows(oneHotEncoder([k]).bind(src), observed, rows.length, out, width, col);
      col += k.levels.length;
    }
    return out;
  });
}

/**
 * Past each series' end, the known-future inputs of the rows a rollout appends, as far as its future rows reach:
 * [rows, future inputs] per series (row k: the future row k + shift's values).
 */
export function futureTails(p: BuildPlan, f: FutureLayout, future: FutureRows): Float32Array[] {
  const encoder = futureEncoder(f);
  const width = encoder.names.length;
  return future.rows.map((rows, s) => {
    const count = Math.max(0, rows.length - f.shift);
    const out = new Float32Array(count * width);
    const observed = p.columns.bounds[s][1] - p.columns.bounds[s][0];
    writeRows(encoder.bind(seriesSource(p.table, p.columns, s, future)), observed, count, out, width);
    return out;
  });
}
