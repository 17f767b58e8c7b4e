// The scale-free metrics (Hyndman & Koehler 2006): MASE's denominator, each series' in-sample seasonal-naive MAE
// on its training part, so that errors on series of different sizes can be compared and averaged.
import type { ForecastDataset } from '../../data/types.js';
import { matchSeries, trainingRows } from './peers/index.js';

/**
 * The in-sample seasonal-naive MAE, MASE's scale: the mean |y_t − y_{t−m}| over y_0 … y_{n−1} (y_t = `at(t)`),
 * pairs with a missing value left out; NaN with no pair.
 */
export function seasonalNaiveMae(n: number, m: number, at: (t: number) => number): number {
  let sum = 0;
  let pairs = 0;
  for (let t = m; t < n; t++) {
    const d = Math.abs(at(t) - at(t - m));
    if (!Number.isFinite(d)) continue;
    sum += d;
    pairs++;
  }
  return pairs === 0 ? NaN : sum / pairs;
}

/** seasonalNaiveMae of target j over the series rows [start, end). */
function seriesSeasonalNaiveMae(
  info: ForecastDataset['forecast'],
  j: number,
  [start, end]: [number, number],
  m: number,
) {
  const t = info.targetRaw.length / info.rowIds.length;
  return seasonalNaiveMae(end - start, m, (r) => info.targetRaw[(start + r) * t + j]);
}

/**
 * MASE's scale for each series of `dataset` and target, [series, targets]: the seasonal-naive MAE (period
 * data.season, else 1) over that series' training part in `training`. NaN where unknown (no training data, a
 * series it lacks, too short a training part) or zero (a constant training part): MASE is then left out.
 */
export function maseScales(dataset: ForecastDataset, training: ForecastDataset | undefined): Float64Array {
  const series = dataset.forecast.seriesNames.length;
  const targets = dataset.targetNames.length;
  const scales = new Float64Array(series * targets).fill(NaN);
  if (training === undefined) return scales;
  const m = training.forecast.season ?? 1;
  const rows = trainingRows(training);
  const match = matchSeries(dataset, training);
  for (let s = 0; s < series; s++)
    for (let j = 0; j < targets; j++) {
      if (match[s] < 0) continue;
      const scale = seriesSeasonalNaiveMae(training.forecast, j, rows[match[s]], m);
      scales[s * targets + j] = scale > 0 ? scale : NaN;
    }
  return scales;
}

/** sMAPE in % (the M competitions'): the mean of 200 |ŷ − y| / (|y| + |ŷ|), a term with y = ŷ = 0 counting 0. */
export function smape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const denominator = Math.abs(yTrue[i]) + Math.abs(yPred[i]);
    if (denominator > 0) sum += (200 * Math.abs(yPred[i] - yTrue[i])) / denominator;
  }
  return yTrue.length > 0 ? sum / yTrue.length : NaN;
}
