// The linear baseline: a ridge regression from the flattened scaled window to every lead's targets.
import * as tf from '@tensorflow/tfjs';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { inverseRows } from '../../data/scaler.js';
import type { Batch, ForecastDataset, ForecastSplit } from '../../data/types.js';

/** Ridge penalties tried, relative to the mean diagonal of XᵀX; the one with the lowest val MAE is kept. */
const PENALTIES = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];
/** Above this many inputs (window × features) the normal equations get too large to solve here. */
const MAX_INPUTS = 2500;
const BATCH = 512;

export interface LinearBaseline {
  /** [examples, leads, targets] in original units */
  predict(split: ForecastSplit): Float32Array;
  /** the penalty chosen on val, relative to XᵀX's mean diagonal */
  penalty: number;
  inputs: number;
}

/** Which windows a fit reads: absolute levels (the baseline) or the model's own, window-levelled (the skip). */
type Levels = 'absolute' | 'levelled';

function batchesOf(split: ForecastSplit, levels: Levels, each: (b: Batch) => void): void {
  for (let start = 0; start < split.size; start += BATCH) {
    const indices = Array.from({ length: Math.min(BATCH, split.size - start) }, (_, i) => start + i);
    each(levels === 'absolute' ? split.absoluteBatch(indices) : split.batch(indices));
  }
}

/** [x | 1]: the batch's windows flattened, with a column of ones for the intercept.  [batch, d + 1] */
const design = (b: Batch) =>
  tf.concat([tf.tensor2d(b.x, [b.batchSize, b.steps * b.features]), tf.ones([b.batchSize, 1])], 1);

/** XᵀX and XᵀY over the split's windows, accumulated batch by batch in float64. */
function normalEquations(split: ForecastSplit, levels: Levels, d: number, m: number) {
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d * m);
  batchesOf(split, levels, (b) => {
    const [g, c] = tf.tidy(() => {
      const x = design(b);
      const y = tf.tensor2d(b.y as Float32Array, [b.batchSize, m]);
      return [tf.matMul(x, x, true, false).dataSync(), tf.matMul(x, y, true, false).dataSync()];
    });
    for (let k = 0; k < g.length; k++) xtx[k] += g[k];
    for (let k = 0; k < c.length; k++) xty[k] += c[k];
  });
  return { xtx, xty };
}

function solve(xtx: Float64Array, xty: Float64Array, d: number, m: number, lambda: number): Float32Array | undefined {
  const a = new Matrix(d, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) a.set(i, j, xtx[i * d + j] + (i === j && i < d - 1 ? lambda : 0));
  const chol = new CholeskyDecomposition(a);
  if (!chol.isPositiveDefinite()) return undefined;
  const w = chol.solve(new Matrix(Array.from({ length: d }, (_, i) => Array.from(xty.subarray(i * m, (i + 1) * m)))));
  return Float32Array.from(w.to1DArray());
}

/** Scaled predictions [examples, m] of weights `w` [d, m] on the split's windows. */
function scaledPredictions(split: ForecastSplit, levels: Levels, w: Float32Array, d: number, m: number): Float32Array {
  const out = new Float32Array(split.size * m);
  let at = 0;
  const weights = tf.tensor2d(w, [d, m]);
  batchesOf(split, levels, (b) => {
    out.set(
      tf.tidy(() => tf.matMul(design(b), weights).dataSync()),
      at,
    );
    at += b.batchSize * m;
  });
  weights.dispose();
  return out;
}

function scaledMae(split: ForecastSplit, levels: Levels, predicted: Float32Array, m: number): number {
  let sum = 0;
  let at = 0;
  batchesOf(split, levels, (b) => {
    for (let k = 0; k < b.batchSize * m; k++) sum += Math.abs(predicted[at + k] - b.y[k]);
    at += b.batchSize * m;
  });
  return sum / Math.max(1, split.size * m);
}

/** Ridge weights [d, m] (the intercept's row last) from the train split's windows, the penalty chosen on val. */
export function fitRidge(
  training: ForecastDataset,
  levels: Levels,
): { w: Float32Array; penalty: number; d: number; m: number } | { skipped: string } {
  const { train, val } = training.splits;
  const d = training.steps * training.featureNames.length + 1;
  const m = training.outputSize;
  if (d - 1 > MAX_INPUTS)
    return { skipped: `the window has ${d - 1} inputs (window × features), more than ${MAX_INPUTS}` };
  if (train.size === 0) return { skipped: 'the training data has no train windows' };
  const { xtx, xty } = normalEquations(train, levels, d, m);
  let meanDiagonal = 0;
  for (let i = 0; i < d; i++) meanDiagonal += xtx[i * d + i] / d;
  let best: { w: Float32Array; penalty: number; mae: number } | undefined;
  for (const penalty of PENALTIES) {
    const w = solve(xtx, xty, d, m, penalty * meanDiagonal);
    if (w === undefined) continue;
    const mae = val.size > 0 ? scaledMae(val, levels, scaledPredictions(val, levels, w, d, m), m) : 0;
    if (best === undefined || mae < best.mae) best = { w, penalty, mae };
    if (val.size === 0) break;
  }
  if (best === undefined) return { skipped: 'its normal equations are singular' };
  return { w: best.w, penalty: best.penalty, d, m };
}

/**
 * Fits the baseline on `training`'s train split and picks its penalty on its val split; undefined (with the reason)
 * when the window has too many inputs for the normal equations or the training data has no windows.
 */
export function fitLinear(training: ForecastDataset): LinearBaseline | { skipped: string } {
  const fit = fitRidge(training, 'absolute');
  if ('skipped' in fit) return fit;
  const { w, penalty, d, m } = fit;
  return {
    penalty,
    inputs: d - 1,
    predict: (split) => {
      const info = training.forecast;
      return inverseRows(scaledPredictions(split, 'absolute', w, d, m), m, (i) =>
        info.targetScalerOf(info.seriesOf[split.ends[i]]),
      );
    },
  };
}
