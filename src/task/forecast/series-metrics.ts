// Each series' scores over its own windows (a file of several series), and their mean over series.
import type { ForecastDataset, ForecastSplit } from '../../data/types.js';
import type { BaselineName, ForecastMetrics, ForecastPredictions, ScaleFree } from '../types.js';
import { smape } from './scale-free.js';

type Scores = Partial<Record<'model' | BaselineName, ScaleFree>>;

/** MAE, MASE and sMAPE of `values` on target j over these examples and every lead. */
function scaleFree(p: ForecastPredictions, values: Float32Array, examples: number[], j: number, scales: Float64Array) {
  const [L, T] = [p.leads.length, p.targets];
  const truth: number[] = [];
  const predicted: number[] = [];
  let scaled = 0;
  for (const i of examples)
    for (let k = 0; k < L; k++) {
      const at = (i * L + k) * T + j;
      truth.push(p.yTrue[at]);
      predicted.push(values[at]);
      scaled += Math.abs(values[at] - p.yTrue[at]) / scales[i * T + j];
    }
  const n = Math.max(1, truth.length);
  const mae = truth.reduce((sum, t, r) => sum + Math.abs(predicted[r] - t), 0) / n;
  return { mae, mase: scaled / n, smape: smape(truth, predicted) };
}

/** The mean over series of each forecast's scores. */
function meanOver(all: Scores[]): Scores {
  const names = Object.keys(all[0]) as ('model' | BaselineName)[];
  const mean = (name: 'model' | BaselineName, key: keyof ScaleFree) =>
    all.reduce((sum, s) => sum + (s[name]?.[key] ?? NaN), 0) / all.length;
  return Object.fromEntries(
    names.map((name) => [name, { mae: mean(name, 'mae'), mase: mean(name, 'mase'), smape: mean(name, 'smape') }]),
  );
}

/**
 * Each series' scores over its own windows (every lead), the model's and each baseline's, and per target their mean
 * over series; undefined for a file of one series. `scales`: each example's MASE scale per target [count, targets].
 */
export function seriesReport(
  p: ForecastPredictions,
  dataset: ForecastDataset,
  split: ForecastSplit,
  forecasts: Partial<Record<BaselineName, Float32Array>>,
  scales: Float64Array,
): Pick<ForecastMetrics, 'series' | 'seriesMean'> | undefined {
  const info = dataset.forecast;
  if (info.seriesNames.length < 2) return undefined;
  const names = Object.keys(forecasts) as BaselineName[];
  const members = info.seriesNames.map((): number[] => []);
  for (let i = 0; i < split.ends.length; i++) members[info.seriesOf[split.ends[i]]].push(i);
  const series = info.seriesNames.flatMap((name, s) => {
    if (members[s].length === 0) return [];
    const targets = dataset.targetNames.map((t, j) => {
      const of = (values: Float32Array) => scaleFree(p, values, members[s], j, scales);
      const scores: Scores = {
        model: of(p.yPred),
        ...Object.fromEntries(names.map((b) => [b, of(forecasts[b] as Float32Array)])),
      };
      const baselines = Object.fromEntries(names.map((b) => [b, scores[b]?.mae]));
      return { name: t, mae: scores.model?.mae ?? NaN, baselines, scores };
    });
    return [{ name, windows: members[s].length, targets }];
  });
  if (series.length === 0) return { series };
  const seriesMean = dataset.targetNames.map((name, j) => ({
    name,
    scores: meanOver(series.map((s) => s.targets[j].scores)),
  }));
  return { series, seriesMean };
}
