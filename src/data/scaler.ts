// Per-column scaling (zscore, minmax, none): fitted on training rows only, applied and inverted anywhere.
import type { Scaler } from './types.js';

/**
 * Fits a scaler on `values`, a row-major [rows, columns.length] matrix of training rows only
 * (the caller leaves validation and test rows, and padding, out so nothing leaks from them).
 */
export function fitScaler(kind: Scaler['kind'], columns: string[], values: ArrayLike<number>): Scaler {
  const width = columns.length;
  const rows = width === 0 ? 0 : values.length / width;
  const offset: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < width; j++) {
    const column = Array.from({ length: rows }, (_, i) => values[i * width + j]);
    const [o, s] = kind === 'zscore' ? meanStd(column) : kind === 'minmax' ? minRange(column) : [0, 1];
    offset.push(o);
    // A constant column has std (or range) 0; dividing by it would give NaN/Infinity. With scale 1 the column
    // becomes a constant 0 (zscore) or 0 (minmax): harmless to the model and exactly invertible.
    scale.push(s > 0 && Number.isFinite(s) ? s : 1);
  }
  return { kind, columns: [...columns], offset, scale };
}

/** Population mean and standard deviation (two passes, for accuracy on large offsets). */
function meanStd(xs: number[]): [number, number] {
  if (xs.length === 0) return [0, 1];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / xs.length;
  return [mean, Math.sqrt(variance)];
}

function minRange(xs: number[]): [number, number] {
  if (xs.length === 0) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  return [lo, hi - lo];
}

/** scaled = (value - offset) / scale, for a row-major matrix [rows, scaler.columns.length]. */
export function applyScaler(scaler: Scaler, values: ArrayLike<number>): Float32Array {
  const width = scaler.columns.length;
  const out = new Float32Array(values.length);
  for (let k = 0; k < values.length; k++) out[k] = (values[k] - scaler.offset[k % width]) / scaler.scale[k % width];
  return out;
}

/** value = scaled * scale + offset: back to original units (e.g. predictions, for metrics in the data's units). */
export function inverseScaler(scaler: Scaler, scaled: ArrayLike<number>): Float32Array {
  const width = scaler.columns.length;
  const out = new Float32Array(scaled.length);
  for (let k = 0; k < scaled.length; k++) out[k] = scaled[k] * scaler.scale[k % width] + scaler.offset[k % width];
  return out;
}
