// Forecast windows: cut on demand from one stored series, so no [N, window, features] array ever exists.
import type { Batch, SplitData } from './types.js';

/** One scaled multivariate series plus its targets, row-major, rows in time order. */
export interface Series {
  rows: number;
  /** scaled features [rows, features] */
  x: Float32Array;
  features: number;
  /** scaled targets [rows, targets] */
  y: Float32Array;
  /** targets in original units [rows, targets], for the persistence forecast */
  yRaw: Float32Array;
  targets: number;
}

/**
 * The window end rows that fit entirely inside rows [start, end): input rows last-window+1..last, target row
 * last+horizon < end. Returns the 0-based row index of each window's last row, in time order.
 */
export function windowEnds(start: number, end: number, window: number, horizon: number): number[] {
  const first = start + window - 1;
  const count = Math.max(0, end - horizon - first);
  return Array.from({ length: count }, (_, k) => first + k);
}

/**
 * A split whose example k is the window ending at row ends[k], its target `horizon` rows later.
 * `rowIds` maps a series row to the id reported for it (its data-row index in the file, which differs once rows are dropped).
 */
export function forecastSplit(
  series: Series,
  ends: number[],
  window: number,
  horizon: number,
  rowIds?: ArrayLike<number>,
): SplitData {
  const check = (indices: number[]) => {
    for (const i of indices)
      if (!(Number.isInteger(i) && i >= 0 && i < ends.length))
        throw new RangeError(`example index ${i} outside 0..${ends.length - 1}`);
  };
  return {
    size: ends.length,
    ids: rowIds ? ends.map((e) => rowIds[e]) : ends,
    batch(indices: number[]): Batch {
      check(indices);
      const { features: f, targets: t } = series;
      const x = new Float32Array(indices.length * window * f); // [batch, window, features]
      const y = new Float32Array(indices.length * t); // [batch, targets]
      indices.forEach((idx, b) => {
        const last = ends[idx];
        const firstRow = last - window + 1;
        // The window's rows are contiguous in the row-major series, so one copy moves the whole window.
        x.set(series.x.subarray(firstRow * f, (last + 1) * f), b * window * f);
        y.set(series.y.subarray((last + horizon) * t, (last + horizon + 1) * t), b * t);
      });
      return { batchSize: indices.length, steps: window, features: f, x, y };
    },
    persistence(indices: number[]): Float32Array {
      check(indices);
      const t = series.targets;
      const out = new Float32Array(indices.length * t); // [batch, targets], original units
      indices.forEach((idx, b) => out.set(series.yRaw.subarray(ends[idx] * t, (ends[idx] + 1) * t), b * t));
      return out;
    },
  };
}
