// The linear baseline: a ridge regression from the flattened scaled window to every lead's targets.
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { inverseRows } from '../../data/scaler.js';
import type { Batch, ForecastDataset, ForecastSplit } from '../../data/types.js';
import type { OnProgress } from '../../util/progress.js';
import { Rng } from '../../util/rng.js';
import { crossValidatedPenalty, FOLDS, type Equations } from './ridge-cv.js';
import { describeSmoothing, smoothingPrior } from './smoothing-prior.js';

/** Ridge penalties tried, relative to the mean diagonal of XᵀX; the one with the lowest val MAE is kept. */
const PENALTIES = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];
/** Towards a prior, a large penalty is a choice too: the prior itself, nearly. */
const PRIOR_PENALTIES = [...PENALTIES, 10, 100, 1e4];
/**
 * Towards a prior, the penalty is cross-validated on the train windows too when val has fewer windows than this
 * (a short series: its one val window says little) and the equations are small enough to solve FOLDS times for
 * each penalty (50 Cholesky solves of d³/3: about 1e9 multiply-adds at 384 inputs).
 */
const CV_BELOW_VAL = 200;
/** The penalty that leaves the prior itself (to float precision). */
const PRIOR_ONLY = 1e9;
const CV_MAX_INPUTS = 384;
/** Above this many inputs (window × features) the normal equations get too large to solve here. */
const MAX_INPUTS = 2500;
const BATCH = 512;
/**
 * Multiply-adds spent on XᵀX at most (about a second): a train split with more windows is fitted on an evenly drawn
 * sample of them, as many as this allows (and never fewer than 20 per input). Val is sampled to the same count.
 */
const WORK = 1e9;
const SAMPLE_SEED = 1;

export interface LinearBaseline {
  /** [examples, leads, targets] in original units */
  predict(split: ForecastSplit): Float32Array;
  /** the penalty chosen on val, relative to XᵀX's mean diagonal */
  penalty: number;
  inputs: number;
}

/** Which windows a fit reads: absolute levels (the baseline) or the model's own, window-levelled (the skip). */
type Levels = 'absolute' | 'levelled';

/** The windows a fit reads: all of the split's, or a sample of them in order. */
type Windows = { split: ForecastSplit; levels: Levels; indices?: Int32Array };

const countOf = (w: Windows) => w.indices?.length ?? w.split.size;

function batchesOf(w: Windows, each: (b: Batch) => void, onProgress?: OnProgress): void {
  const n = countOf(w);
  for (let start = 0; start < n; start += BATCH) {
    const indices = Array.from({ length: Math.min(BATCH, n - start) }, (_, i) => w.indices?.[start + i] ?? start + i);
    each(w.levels === 'absolute' ? w.split.absoluteBatch(indices) : w.split.batch(indices));
    onProgress?.(start + indices.length, n);
  }
}

/** `count` of 0..n-1 drawn without replacement, in order (selection sampling); all of them when n ≤ count. */
function sampleOf(n: number, count: number): Int32Array | undefined {
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
function normalEquations(w: Windows, d: number, m: number, onProgress?: OnProgress) {
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
 * without a prior; with one it shrinks towards zero too, since the prior has none (a mean residual of a few windows
 * is noise).
 */
function solve(
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
  const rhs = (i: number, c: number) =>
    xty[i * m + c] + (prior !== undefined && i < d - 1 ? lambda * prior[i * m + c] : 0);
  const w = chol.solve(new Matrix(Array.from({ length: d }, (_, i) => Array.from({ length: m }, (_, c) => rhs(i, c)))));
  return Float32Array.from(w.to1DArray());
}

/** Scaled predictions [b, m] of weights `w` [d, m] (the intercept's row last) on a batch's windows, into out[at…]. */
function predictBatch(b: Batch, w: Float32Array, d: number, m: number, out: Float32Array, at: number): void {
  for (let r = 0; r < b.batchSize; r++)
    for (let c = 0; c < m; c++) {
      let sum = w[(d - 1) * m + c];
      for (let i = 0, x = r * (d - 1); i < d - 1; i++) sum += b.x[x + i] * w[i * m + c];
      out[at + r * m + c] = sum;
    }
}

/** Scaled predictions [examples, m] of weights `w` [d, m] on every window of the split. */
function scaledPredictions(split: ForecastSplit, levels: Levels, w: Float32Array, d: number, m: number): Float32Array {
  const out = new Float32Array(split.size * m);
  let at = 0;
  batchesOf({ split, levels }, (b) => {
    predictBatch(b, w, d, m, out, at);
    at += b.batchSize * m;
  });
  return out;
}

/** The scaled MAE on the val windows of each candidate's weights, from one pass over them. */
function valMaes(val: Windows, candidates: Float32Array[], d: number, m: number): number[] {
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

export interface RidgeFit {
  w: Float32Array;
  penalty: number;
  d: number;
  m: number;
  /** with a prior: what it is ("Holt-Winters on the window (…)") and how the fit stands to it */
  prior?: { about: string; how: string };
}

/** Ridge weights [d, m] (the intercept's row last) from the train split's windows, the penalty chosen on val. */
export function fitRidge(
  training: ForecastDataset,
  levels: Levels,
  o: { onProgress?: OnProgress; work?: number; prior?: boolean } = {},
): RidgeFit | { skipped: string } {
  const { train, val } = training.splits;
  const d = training.steps * training.featureNames.length + 1;
  const m = training.outputSize;
  if (d - 1 > MAX_INPUTS)
    return { skipped: `the window has ${d - 1} inputs (window × features), more than ${MAX_INPUTS}` };
  if (train.size === 0) return { skipped: 'the training data has no train windows' };
  const count = Math.max(20 * d, Math.floor((o.work ?? WORK) / ((d * d) / 2)));
  const sample = sampleOf(train.size, count);
  const cv = o.prior === true && sample === undefined && d <= CV_MAX_INPUTS && val.size < CV_BELOW_VAL;
  const folds = cv ? foldsOf(train, levels, d, m, o.onProgress) : undefined;
  const { xtx, xty } = folds
    ? sumOf(folds)
    : normalEquations({ split: train, levels, indices: sample }, d, m, o.onProgress);
  let meanDiagonal = 0;
  for (let i = 0; i < d; i++) meanDiagonal += xtx[i * d + i] / d;
  const prior = o.prior ? priorOf(training, xtx, xty, d) : undefined;
  const fitWith = (e: { xtx: Float64Array; xty: Float64Array }, penalty: number) =>
    solve(e.xtx, e.xty, d, m, penalty * meanDiagonal, prior?.w);
  if (prior !== undefined) {
    const chosen = towardsPrior({ train, val, levels, folds, d, m }, fitWith);
    const w = chosen && fitWith({ xtx, xty }, chosen.penalty);
    if (chosen && w) return { w, penalty: chosen.penalty, d, m, prior: { about: prior.about, how: chosen.how } };
  }
  const fits = (prior === undefined ? PENALTIES : PRIOR_PENALTIES)
    .map((penalty) => ({ penalty, w: fitWith({ xtx, xty }, penalty) }))
    .filter((f): f is { penalty: number; w: Float32Array } => f.w !== undefined);
  if (fits.length === 0) return { skipped: 'its normal equations are singular' };
  const towards = (penalty: number) =>
    prior && { about: prior.about, how: `penalty ${penalty}${val.size > 0 ? ' chosen on val' : ''}` };
  if (val.size === 0) return { ...fits[0], d, m, prior: towards(fits[0].penalty) };
  const maes = valMaes(
    { split: val, levels, indices: sampleOf(val.size, count) },
    fits.map((f) => f.w),
    d,
    m,
  );
  const best = maes.indexOf(Math.min(...maes));
  return { ...fits[best], d, m, prior: towards(fits[best].penalty) };
}

/**
 * The penalty towards a prior where val alone says little: none but the prior's with fewer windows than inputs
 * (every one overlapping the others, no penalty can be chosen on them); else cross-validated, when folds were made.
 */
function towardsPrior(
  o: { train: ForecastSplit; val: ForecastSplit; levels: Levels; folds?: Equations[]; d: number; m: number },
  fitWith: (e: Equations, penalty: number) => Float32Array | undefined,
): { penalty: number; how: string } | undefined {
  const { train, val, levels, folds, d, m } = o;
  if (train.size < d)
    return {
      penalty: PRIOR_ONLY,
      how: `itself, since ${train.size} training windows are fewer than the ridge's ${d} inputs`,
    };
  if (folds === undefined) return undefined;
  const all = sumOf(folds);
  const valEquations = normalEquations({ split: val, levels }, d, m);
  const penalty = crossValidatedPenalty({ folds, all, val: valEquations, d, m }, PRIOR_PENALTIES, fitWith);
  return penalty === undefined ? undefined : { penalty, how: `penalty ${penalty} chosen by blocked cross-validation` };
}

function priorOf(training: ForecastDataset, xtx: Float64Array, xty: Float64Array, d: number) {
  const info = training.forecast;
  const { w, chosen } = smoothingPrior({
    xtx,
    xty,
    d,
    features: training.featureNames.length,
    window: training.steps,
    leads: info.leads,
    targetFeature: info.series.targetFeature,
    season: info.season,
  });
  const named = chosen.flatMap((c, j) =>
    c
      ? [
          `${training.targetNames[j]}: ${describeSmoothing(c, (info.season ?? 0) > 1 && training.steps >= (info.season ?? 0))}`,
        ]
      : [],
  );
  return { w, about: `Holt-Winters on the window (${named.join('; ')})` };
}

/** The normal equations of FOLDS contiguous blocks of the train windows. */
function foldsOf(train: ForecastSplit, levels: Levels, d: number, m: number, onProgress?: OnProgress): Equations[] {
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

const sumOf = (es: Equations[]): Equations =>
  es.reduce((a, e) => ({
    xtx: a.xtx.map((v, i) => v + e.xtx[i]),
    xty: a.xty.map((v, i) => v + e.xty[i]),
    yty: a.yty + e.yty,
    count: a.count + e.count,
  }));

/** Fitted baselines by training data: a report scores every split against the same fit, made once. */
const fitted = new WeakMap<ForecastDataset, LinearBaseline | { skipped: string }>();

/**
 * Fits the baseline on `training`'s train split and picks its penalty on its val split; undefined (with the reason)
 * when the window has too many inputs for the normal equations or the training data has no windows.
 */
export function fitLinear(training: ForecastDataset, onProgress?: OnProgress): LinearBaseline | { skipped: string } {
  const known = fitted.get(training);
  if (known !== undefined) return known;
  const fit = fitRidge(training, 'absolute', { onProgress });
  const baseline = 'skipped' in fit ? fit : baselineOf(training, fit);
  fitted.set(training, baseline);
  return baseline;
}

function baselineOf(training: ForecastDataset, fit: { w: Float32Array; penalty: number; d: number; m: number }) {
  const { w, penalty, d, m } = fit;
  return {
    penalty,
    inputs: d - 1,
    predict: (split: ForecastSplit) => {
      const info = training.forecast;
      return inverseRows(scaledPredictions(split, 'absolute', w, d, m), m, (i) =>
        info.targetScalerOf(info.seriesOf[split.ends[i]]),
      );
    },
  };
}
