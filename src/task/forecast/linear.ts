// The linear baseline: a ridge regression from the flattened scaled window to every lead's targets.
import { inverseRows } from '../../data/scaler.js';
import type { ForecastDataset, ForecastSplit } from '../../data/types.js';
import type { OnProgress } from '../../util/progress.js';
import {
  foldsOf,
  MAX_INPUTS,
  normalEquations,
  sampleOf,
  scaledPredictions,
  solve,
  sumOf,
  valMaes,
  type Levels,
} from './ridge.js';
import { crossValidatedPenalty, type Equations } from './ridge-cv.js';
import { peerMaps } from './peer-maps.js';
import { peerFitsOf } from './peers/index.js';
import { smoothingPrior } from './smoothing-prior.js';

/**
 * Ridge penalties tried, relative to the mean diagonal of XᵀX: the one with the lowest val MAE is kept (towards a
 * prior with few val windows, the lowest squared error by cross-validation).
 */
const PENALTIES = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];
/** Towards a prior, a large penalty is a choice too: the prior itself, nearly. */
const PRIOR_PENALTIES = [...PENALTIES, 10, 100, 1e4];
/**
 * Towards a prior, the penalty is cross-validated on the train windows too when val has fewer windows than this
 * (a short series: its one val window says little) and the equations are small enough to solve FOLDS times for
 * each penalty (60 Cholesky solves of d³/3: about 1e9 multiply-adds at 384 inputs).
 */
const CV_BELOW_VAL = 200;
const CV_MAX_INPUTS = 384;
/** The penalty that leaves the prior itself (to float precision). */
const PRIOR_ONLY = 1e9;
/**
 * Multiply-adds spent on XᵀX at most (about a second): a train split with more windows is fitted on an evenly drawn
 * sample of them, as many as this allows (and never fewer than 20 per input). Val is sampled to the same count.
 */
const WORK = 1e9;

export interface LinearBaseline {
  /** [examples, leads, targets] in original units */
  predict(split: ForecastSplit): Float32Array;
  /** the penalty chosen on val, relative to XᵀX's mean diagonal */
  penalty: number;
  inputs: number;
}

export interface RidgeFit {
  w: Float32Array;
  penalty: number;
  d: number;
  m: number;
  /** with a prior: what it is ("ARIMA(1,1,0) run on the window") and how the fit stands to it */
  prior?: { about: string; how: string; itself: boolean };
  /**
   * with a prior: its weights [d, m] and the penalty towards them per window and output (the ridge's, for a mean
   * squared error over the windows); Infinity when the fit is the prior itself
   */
  anchor?: { w: Float32Array; strength: number };
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
  const all = folds ? sumOf(folds) : normalEquations({ split: train, levels, indices: sample }, d, m, o.onProgress);
  const { xtx, xty } = all;
  let meanDiagonal = 0;
  for (let i = 0; i < d; i++) meanDiagonal += xtx[i * d + i] / d;
  const windows = xtx[d * d - 1]; // the intercept's diagonal: how many windows
  const prior = o.prior ? priorOf(training, { xtx, xty, d, windows }) : undefined;
  const fitWith = (e: { xtx: Float64Array; xty: Float64Array }, penalty: number) =>
    solve(e.xtx, e.xty, d, m, penalty * meanDiagonal, prior?.w);
  // the fit at one penalty, and with a prior what it is, how the penalty was chosen, and the anchor training keeps
  const result = (f: { penalty: number; w: Float32Array }, how?: string): RidgeFit => ({
    ...f,
    d,
    m,
    ...(prior && {
      prior: {
        about: prior.about,
        how: how ?? `penalty ${f.penalty}${val.size > 0 ? ' chosen on val' : ''}`,
        itself: f.penalty === PRIOR_ONLY,
      },
      anchor: {
        w: Float32Array.from(prior.w),
        strength: f.penalty === PRIOR_ONLY ? Infinity : (f.penalty * meanDiagonal) / (windows * m),
      },
    }),
  });
  if (prior !== undefined) {
    const chosen = towardsPrior({ train, val, levels, folds, all, d, m }, fitWith);
    const w = chosen && fitWith({ xtx, xty }, chosen.penalty);
    if (chosen && w) return result({ penalty: chosen.penalty, w }, chosen.how);
  }
  const fits = (prior === undefined ? PENALTIES : PRIOR_PENALTIES)
    .map((penalty) => ({ penalty, w: fitWith({ xtx, xty }, penalty) }))
    .filter((f): f is { penalty: number; w: Float32Array } => f.w !== undefined);
  if (fits.length === 0) return { skipped: 'its normal equations are singular' };
  if (val.size === 0) return result(fits[0]);
  const maes = valMaes(
    { split: val, levels, indices: sampleOf(val.size, count) },
    fits.map((f) => f.w),
    d,
    m,
  );
  return result(fits[maes.indexOf(Math.min(...maes))]);
}

/**
 * The penalty towards a prior where val alone says little: none but the prior's with fewer windows than inputs
 * (every one overlapping the others, no penalty can be chosen on them); else cross-validated, when folds were made.
 */
function towardsPrior(
  o: {
    train: ForecastSplit;
    val: ForecastSplit;
    levels: Levels;
    folds?: Equations[];
    /** the train windows' equations (the folds' sum, when there are folds) */
    all: Equations;
    d: number;
    m: number;
  },
  fitWith: (e: Equations, penalty: number) => Float32Array | undefined,
): { penalty: number; how: string } | undefined {
  const { train, val, levels, folds, all, d, m } = o;
  if (train.size < d)
    return {
      penalty: PRIOR_ONLY,
      how: `itself, since ${train.size} training windows are fewer than the window's ${d - 1} inputs`,
    };
  if (folds === undefined) return undefined;
  const valEquations = normalEquations({ split: val, levels }, d, m);
  const penalty = crossValidatedPenalty({ folds, all, val: valEquations, d, m }, PRIOR_PENALTIES, fitWith);
  return penalty === undefined ? undefined : { penalty, how: `penalty ${penalty} chosen by blocked cross-validation` };
}

function priorOf(
  training: ForecastDataset,
  { xtx, xty, d, windows }: { xtx: Float64Array; xty: Float64Array; d: number; windows: number },
) {
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
    // a checkpoint's stored fits, when made on these values (a resumed run's data carries them), else fitted now
    extra: peerMaps(peerFitsOf(training, training.fitted.forecast?.peers), training.steps, info.leads, info.season),
  });
  // a target with no smoothing (not among the inputs) is shrunk towards its training mean, not towards zero
  const m = training.outputSize;
  for (let c = 0; c < m; c++)
    if (chosen[c % chosen.length] === undefined) w[(d - 1) * m + c] = xty[(d - 1) * m + c] / windows;
  const named = chosen.flatMap((c, j) => (c ? [`${training.targetNames[j]}: ${c.about}`] : []));
  const only = chosen.length === 1 ? chosen[0] : undefined;
  const about = only
    ? `${only.about} run on the window`
    : named.length > 0
      ? `maps of the window (${named.join('; ')})`
      : "the targets' training means";
  return { w, about };
}

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
