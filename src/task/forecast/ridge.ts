// Ridge regression from normal equations: the windows a fit reads, XᵀX and XᵀY summed over them in float64, the
// solve, and predictions; shared by the linear baseline and the linear skip's start (src/task/forecast/linear.ts).
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { Batch, ForecastSplit } from '../../data/types.js';
import type { OnProgress } from '../../util/progress.js';
import { Rng } from '../../util/rng.js';
import type { Equations } from './ridge-cv.js';

/** Above this many inputs (window × features) the normal equations get too large to solve here. */
export const MAX_INPUTS = 2500;
const BATCH = 512;
const SAMPLE_SEED = 1;
/** Training blocks for cross-validation (contiguous, in time order). */
export const FOLDS = 5;

/** Which windows a fit reads: absolute levels (the baseline) or the model's own, window-levelled (the skip). */
export type Levels = 'absolute' | 'levelled';

/** The windows a fit reads: all of the split's, or a sample of them in order. */
export type Windows = { split: ForecastSplit; levels: Levels; indices?: Int32Array };

export const countOf = (w: Windows) => w.indices?.length ?? w.split.size;

export function batchesOf(w: Windows, each: (b: Batch) => void, onProgress?: OnProgress): void {
  const n = countOf(w);
  for (let start = 0; start < n; start += BATCH) {
    const indices = Array.from({ length: Math.min(BATCH, n - start) }, (_, i) => w.indices?.[start + i] ?? start + i);
    each(w.levels === 'absolute' ? w.split.absoluteBatch(indices) : w.split.batch(indices));
    onProgress?.(start + indices.length, n);
  }
}

/** `count` of 0..n-1 drawn without replacement, in order (selection sampling); all of them when n ≤ count. */
export function sampleOf(n: number, count: number): Int32Array | undefined {
  if (n <= count) return undefined;
  const rng = new Rng(SAMPLE_SEED);
  const out = new Int32Array(count);
  for (let i = 0, taken = 0; taken < count; i++) if ((n - i) * rng.next() < count - taken) out[taken++] = i;
  return out;
}

/**
 * XᵀX and XᵀY over the windows, X = [window flattened | 1], in float64: the upper triangle row by row (rows of X
 * four at a time, so each pass over XᵀX's row serves four windows), then mirrored.
 */
export function normalEquations(w: Windows, d: number, m: number, onProgress?: OnProgress) {
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d * m);
  const rows = new Float64Array(4 * d);
  let yty = 0;
  batchesOf(
    w,
    (b) => {
      for (let e = 0; e < b.batchSize * m; e++) yty += b.y[e] * b.y[e];
      for (let r0 = 0; r0 < b.batchSize; r0 += 4) {
        const k = Math.min(4, b.batchSize - r0);
        rows.fill(0); // a last block of fewer than 4 windows adds zero rows
        for (let r = 0; r < k; r++) {
          rows.set(b.x.subarray((r0 + r) * (d - 1), (r0 + r + 1) * (d - 1)), r * d);
          rows[r * d + d - 1] = 1;
        }
        addBlock(xtx, xty, rows, b.y, r0, k, d, m);
      }
    },
    onProgress,
  );
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) xtx[i * d + j] = xtx[j * d + i];
  return { xtx, xty, yty, count: countOf(w) };
}

/** Adds four rows of X (rows[r·d …], zero past the k-th) and their targets y[(r0 + r)·m …] to XᵀX and XᵀY. */
function addBlock(
  xtx: Float64Array,
  xty: Float64Array,
  rows: Float64Array,
  y: Float32Array | Int32Array,
  r0: number,
  k: number,
  d: number,
  m: number,
): void {
  for (let i = 0; i < d; i++) {
    const [a0, a1, a2, a3] = [rows[i], rows[d + i], rows[2 * d + i], rows[3 * d + i]];
    const at = i * d;
    for (let j = i; j < d; j++)
      xtx[at + j] += a0 * rows[j] + a1 * rows[d + j] + a2 * rows[2 * d + j] + a3 * rows[3 * d + j];
    const as = [a0, a1, a2, a3];
    for (let r = 0; r < k; r++) for (let c = 0; c < m; c++) xty[i * m + c] += as[r] * y[(r0 + r) * m + c];
  }
}

/**
 * Ridge weights: (XᵀX + λI)W = XᵀY + λ·prior, shrunk towards `prior` (zero without). The intercept is unpenalised
 * without a prior; with one it shrinks towards the prior's intercept too (zero for a smoothed target: a mean residual
 * of a few windows is noise).
 */
export function solve(
  xtx: Float64Array,
  xty: Float64Array,
  d: number,
  m: number,
  lambda: number,
  prior?: Float64Array,
): Float32Array | undefined {
  const a = new Matrix(d, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) a.set(i, j, xtx[i * d + j] + (i === j && (i < d - 1 || prior) ? lambda : 0));
  const chol = new CholeskyDecomposition(a);
  if (!chol.isPositiveDefinite()) return undefined;
  const rhs = (i: number, c: number) => xty[i * m + c] + (prior !== undefined ? lambda * prior[i * m + c] : 0);
  const w = chol.solve(new Matrix(Array.from({ length: d }, (_, i) => Array.from({ length: m }, (_, c) => rhs(i, c)))));
  return Float32Array.from(w.to1DArray());
}

/** Scaled predictions [b, m] of weights `w` [d, m] (the intercept's row last) on a batch's windows, into out[at…]. */
export function predictBatch(b: Batch, w: Float32Array, d: number, m: number, out: Float32Array, at: number): void {
  for (let r = 0; r < b.batchSize; r++)
    for (let c = 0; c < m; c++) {
      let sum = w[(d - 1) * m + c];
      for (let i = 0, x = r * (d - 1); i < d - 1; i++) sum += b.x[x + i] * w[i * m + c];
      out[at + r * m + c] = sum;
    }
}

/** Scaled predictions [examples, m] of weights `w` [d, m] on every window of the split. */
export function scaledPredictions(
  split: ForecastSplit,
  levels: Levels,
  w: Float32Array,
  d: number,
  m: number,
): Float32Array {
  const out = new Float32Array(split.size * m);
  let at = 0;
  batchesOf({ split, levels }, (b) => {
    predictBatch(b, w, d, m, out, at);
    at += b.batchSize * m;
  });
  return out;
}

/** The scaled MAE on the val windows of each candidate's weights, from one pass over them. */
export function valMaes(val: Windows, candidates: Float32Array[], d: number, m: number): number[] {
  const sums = candidates.map(() => 0);
  const predicted = new Float32Array(BATCH * m);
  batchesOf(val, (b) =>
    candidates.forEach((w, k) => {
      predictBatch(b, w, d, m, predicted, 0);
      for (let e = 0; e < b.batchSize * m; e++) sums[k] += Math.abs(predicted[e] - b.y[e]);
    }),
  );
  return sums.map((s) => s / Math.max(1, countOf(val) * m));
}

/** The normal equations of FOLDS contiguous blocks of the train windows. */
export function foldsOf(
  train: ForecastSplit,
  levels: Levels,
  d: number,
  m: number,
  onProgress?: OnProgress,
): Equations[] {
  return Array.from({ length: FOLDS }, (_, k) => {
    const [from, to] = [Math.floor((k * train.size) / FOLDS), Math.floor(((k + 1) * train.size) / FOLDS)];
    const indices = Int32Array.from({ length: to - from }, (_, i) => from + i);
    return normalEquations(
      { split: train, levels, indices },
      d,
      m,
      onProgress && ((done) => onProgress(from + done, train.size)),
    );
  });
}

export const sumOf = (es: Equations[]): Equations =>
  es.reduce((a, e) => ({
    xtx: a.xtx.map((v, i) => v + e.xtx[i]),
    xty: a.xty.map((v, i) => v + e.xty[i]),
    yty: a.yty + e.yty,
    count: a.count + e.count,
  }));
