// Per-column scaling (zscore, minmax, none): fitted on training rows only, applied and inverted anywhere.
import type { Scaler } from './types.js';
import { matrixSource, numericEncoder, writeRows } from './encoders/index.js';

/**
 * Fits a scaler on `values`, a row-major [rows, columns.length] matrix of training rows only
 * (the caller leaves validation and test rows, and padding, out so nothing leaks from them).
 */
export function fitScaler(kind: Scaler['kind'], columns: string[], values: ArrayLike<number>): Scaler {
  const width = columns.length;
  const rows = width === 0 ? 0 : values.length / width;
  return fitScalerOfColumns(kind, columns, (j) => {
    const column = new Float64Array(rows);
    for (let i = 0; i < rows; i++) column[i] = values[i * width + j];
    return column;
  });
}

/** fitScaler from each column's training values, asked for one column at a time. */
export function fitScalerOfColumns(
  kind: Scaler['kind'],
  columns: string[],
  column: (j: number) => ArrayLike<number>,
): Scaler {
  const fitted = columns.map((_, j) => fitColumn(kind, column(j)));
  return { kind, columns: [...columns], offset: fitted.map((f) => f[0]), scale: fitted.map((f) => f[1]) };
}

/** One column's [offset, scale] from its training values. */
export function fitColumn(kind: Scaler['kind'], values: ArrayLike<number>): [number, number] {
  const [o, s] = kind === 'zscore' ? meanStd(values) : kind === 'minmax' ? minRange(values) : [0, 1];
  // A constant column has std (or range) 0; dividing by it would give NaN/Infinity. With scale 1 the column
  // becomes a constant 0 (zscore) or 0 (minmax): harmless to the model and exactly invertible.
  return [o, s > 0 && Number.isFinite(s) ? s : 1];
}

/** Population mean and standard deviation (two passes, for accuracy on large offsets). */
function meanStd(xs: ArrayLike<number>): [number, number] {
  if (xs.length === 0) return [0, 1];
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  const mean = sum / xs.length;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - mean) * (xs[i] - mean);
  return [mean, Math.sqrt(ss / xs.length)];
}

function minRange(xs: ArrayLike<number>): [number, number] {
  if (xs.length === 0) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < lo) lo = xs[i];
    if (xs[i] > hi) hi = xs[i];
  }
  return [lo, hi - lo];
}

/** scaled = (value - offset) / scale, for a row-major matrix [rows, scaler.columns.length]: the numeric encoder's. */
export function applyScaler(scaler: Scaler, values: ArrayLike<number>): Float32Array {
  const width = scaler.columns.length;
  const out = new Float32Array(values.length);
  const write = numericEncoder(scaler).bind(matrixSource(values, scaler.columns));
  writeRows(write, 0, width === 0 ? 0 : values.length / width, out, width);
  return out;
}

/** value = scaled * scale + offset: back to original units (e.g. predictions, for metrics in the data's units). */
export function inverseScaler(scaler: Scaler, scaled: ArrayLike<number>): Float32Array {
  const width = scaler.columns.length;
  const out = new Float32Array(scaled.length);
  for (let k = 0; k < scaled.length; k++) out[k] = scaled[k] * scaler.scale[k % width] + scaler.offset[k % width];
  return out;
}

/** Values in rows of `width` (e.g. an example's leads × targets), each row unscaled by its own scaler. */
export function inverseRows(scaled: ArrayLike<number>, width: number, scalerOf: (row: number) => Scaler): Float32Array {
  const out = new Float32Array(scaled.length);
  for (let r = 0; r * width < scaled.length; r++) {
    const s = scalerOf(r);
    const columns = s.columns.length;
    for (let k = 0; k < width; k++) {
      const i = r * width + k;
      out[i] = scaled[i] * s.scale[k % columns] + s.offset[k % columns];
    }
  }
  return out;
}
