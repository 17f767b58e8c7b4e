// data.windowLevel on one window: the level each target is taken relative to, and its inverse (restore). Pure and
// dependency-free: lstm-train's windows and the exported predict.js are both built from this file.
import type { WindowLevel } from './types.js';

/** A window's spread never goes below this (scaled units), so a flat window is not blown up. */
export const MIN_SPREAD = 1e-2;

/** The rows a window is cut from: row-major inputs [rows, features] and targets [rows, targets]. */
export interface LevelSource {
  x: Float32Array;
  y: Float32Array;
  features: number;
  targets: number;
  /** per target, its column among the inputs, or -1 */
  targetFeature: ArrayLike<number>;
  /** per input, whether standardize takes its level (the numeric inputs; not one-hot or calendar) */
  levelled: ArrayLike<number | boolean>;
}

/** What one window's level takes away: per target (offset, scale) and per input (xOffset, xScale). */
export interface WindowLevels {
  offset: Float32Array;
  scale: Float32Array;
  xOffset: Float32Array;
  xScale: Float32Array;
}

/** Mean and spread of column `col` of a row-major matrix over rows first..last; the spread is at least MIN_SPREAD. */
export function columnStats(
  m: Float32Array,
  width: number,
  col: number,
  first: number,
  last: number,
): [number, number] {
  let sum = 0;
  for (let r = first; r <= last; r++) sum += m[r * width + col];
  const mean = sum / (last - first + 1);
  let ss = 0;
  for (let r = first; r <= last; r++) ss += (m[r * width + col] - mean) ** 2;
  return [mean, Math.max(MIN_SPREAD, Math.sqrt(ss / (last - first + 1)))];
}

/**
 * Each target's level in the window of rows first..last: what `level` takes away from the inputs that are targets
 * and from the targets (last: the last value; standardize: the window's mean and spread). Per input: standardize
 * takes every levelled column's own; last only the target columns'; absolute takes nothing away.
 */
export function windowLevels(s: LevelSource, level: WindowLevel, first: number, last: number): WindowLevels {
  const offset = new Float32Array(s.targets);
  const scale = new Float32Array(s.targets).fill(1);
  const xOffset = new Float32Array(s.features);
  const xScale = new Float32Array(s.features).fill(1);
  if (level === 'standardize')
    for (let f = 0; f < s.features; f++)
      if (s.levelled[f]) [xOffset[f], xScale[f]] = columnStats(s.x, s.features, f, first, last);
  if (level === 'absolute') return { offset, scale, xOffset, xScale };
  for (let j = 0; j < s.targets; j++) {
    const f = s.targetFeature[j];
    if (level === 'last') {
      offset[j] = s.y[last * s.targets + j];
      if (f >= 0) xOffset[f] = s.x[last * s.features + f];
    } else if (f >= 0) [offset[j], scale[j]] = [xOffset[f], xScale[f]];
    else [offset[j], scale[j]] = columnStats(s.y, s.targets, j, first, last);
  }
  return { offset, scale, xOffset, xScale };
}

/** rows × width values from `at` on, each column taken as (v − offset) / scale, in place. */
export function relativeTo(
  m: Float32Array,
  at: number,
  rows: number,
  width: number,
  offset: Float32Array,
  scale: Float32Array,
): void {
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < width; c++) {
      const k = at + r * width + c;
      m[k] = (m[k] - offset[c]) / scale[c];
    }
}

/** A value taken relative to a window's level back to the level (float32, as every path computes it). */
export const restoreLevel = (value: number, offset: number, scale: number) => Math.fround(value * scale + offset);
