// A forecaster's report: the model and its baselines per target, over every lead and lead by lead, with MAE beside
// the scale-free MASE and sMAPE; per series for a file of several.
import type { ForecastDataset, ForecastSplit } from '../../data/types.js';
import { DataError } from '../../errors.js';
import { regressionMetrics, skill } from '../metrics.js';
import type {
  BaselineName,
  ForecastPredictions,
  ForecastMetrics,
  ForecastScores,
  ForecastTargetMetrics,
  MetricsContext,
} from '../types.js';
import { persistence, seasonalNaive } from './baselines.js';
import { coverage } from './intervals.js';
import { fitLinear } from './linear.js';
import { DEFAULT_PEERS, peerForecasts } from './peers/index.js';
import { maseScales, smape } from './scale-free.js';
import { seriesReport } from './series-metrics.js';

export { formatForecastMetrics } from './metrics-text.js';

/** Values [n, leads, targets] of target j: at lead index k, or (k undefined) at every lead. */
function column(values: Float32Array, p: ForecastPredictions, j: number, k?: number): Float32Array {
  const [L, T] = [p.leads.length, p.targets];
  const ks = k === undefined ? p.leads.map((_, i) => i) : [k];
  const out = new Float32Array(p.count * ks.length);
  for (let i = 0; i < p.count; i++) ks.forEach((kk, m) => (out[i * ks.length + m] = values[(i * L + kk) * T + j]));
  return out;
}

/** What MASE divides each example's errors by, per target: its series' scale. [count, targets] */
function exampleScales(dataset: ForecastDataset, split: ForecastSplit, scales: Float64Array): Float64Array {
  const T = dataset.targetNames.length;
  const out = new Float64Array(split.size * T);
  for (let i = 0; i < split.size; i++) {
    const s = dataset.forecast.seriesOf[split.ends[i]];
    for (let j = 0; j < T; j++) out[i * T + j] = scales[s * T + j];
  }
  return out;
}

function scoresOf(p: ForecastPredictions, predicted: Float32Array, j: number, scales: Float64Array, k?: number) {
  const [yTrue, yPred] = [column(p.yTrue, p, j, k), column(predicted, p, j, k)];
  const per = yTrue.length / Math.max(1, p.count); // values per example: every lead, or one
  let scaled = 0;
  for (let r = 0; r < yTrue.length; r++)
    scaled += Math.abs(yPred[r] - yTrue[r]) / scales[Math.floor(r / per) * p.targets + j];
  const mase = scaled / yTrue.length;
  return { ...regressionMetrics(yTrue, yPred), mase, smape: smape(yTrue, yPred) } satisfies ForecastScores;
}

/** The peers' forecasts when the training data is there to fit them on; else a note (or, asked for, an error). */
function peersOf(dataset: ForecastDataset, split: ForecastSplit, context: MetricsContext) {
  const choice = context.peers ?? DEFAULT_PEERS;
  const training = context.training;
  if (choice.names.length === 0) return { forecasts: {}, notes: [] };
  if (training?.task === 'forecast') return peerForecasts(dataset, split, training, choice, context.peerFits);
  const why = 'the training data is not there to fit them on';
  if (choice.explicit)
    throw new DataError(dataset.summary.file, `the baselines asked for by --baselines cannot be fitted: ${why}`);
  return { forecasts: {}, notes: [`statistical baselines (${choice.names.join(', ')}) left out: ${why}`] };
}

/** Every baseline's forecasts [n, leads, targets] for the split, and what to say about them. */
function baselineForecasts(dataset: ForecastDataset, split: ForecastSplit, context: MetricsContext) {
  const forecasts: Partial<Record<BaselineName, Float32Array>> = {};
  const notes: string[] = [];
  const info = dataset.forecast;
  forecasts.persistence = persistence(info, split.ends);
  const season = info.season;
  if (season !== undefined) {
    const naive = seasonalNaive(info, split.ends, season);
    forecasts['seasonal-naive'] = naive.values;
    if (naive.fallbacks > 0)
      notes.push(
        `seasonal-naive: ${naive.fallbacks} forecasts start less than a season into the series and repeat the last value`,
      );
  }
  const training = context.training;
  const linear =
    training?.task === 'forecast' ? fitLinear(training) : { skipped: 'the training data is not there to fit it on' };
  if ('skipped' in linear) notes.push(`linear baseline left out: ${linear.skipped}`);
  else forecasts.linear = linear.predict(split);
  const peers = peersOf(dataset, split, context);
  Object.assign(forecasts, peers.forecasts);
  notes.push(...peers.notes);
  return { forecasts, notes };
}

export function forecastMetrics(
  p: ForecastPredictions,
  dataset: ForecastDataset,
  split: ForecastSplit,
  context: MetricsContext,
): ForecastMetrics {
  const baselines = baselineForecasts(dataset, split, context);
  const { forecasts } = baselines;
  const training = context.training?.task === 'forecast' ? context.training : undefined;
  const scales = maseScales(dataset, training);
  const perExample = exampleScales(dataset, split, scales);
  const notes = [...(context.notes ?? []), ...baselines.notes];
  if (scales.some(Number.isNaN))
    notes.push('MASE left out (null) where a series has no training part to scale by, or a constant one');
  const names = Object.keys(forecasts) as BaselineName[];
  const targets = dataset.targetNames.map((name, j): ForecastTargetMetrics => {
    const scores = (values: Float32Array, k?: number) => scoresOf(p, values, j, perExample, k);
    const model = scores(p.yPred);
    const baselines = Object.fromEntries(names.map((b) => [b, scores(forecasts[b] as Float32Array)]));
    const skills = Object.fromEntries(names.map((b) => [b, skill(model.mae, baselines[b].mae)]));
    const byLead = p.leads.map((lead, k) => ({
      lead,
      model: scores(p.yPred, k),
      baselines: Object.fromEntries(names.map((b) => [b, scores(forecasts[b] as Float32Array, k)])),
    }));
    return {
      name,
      model,
      persistence: baselines.persistence,
      skill: skills.persistence ?? NaN,
      baselines,
      skills,
      byLead,
    };
  });
  const intervals = context.intervals;
  const bySeries = seriesReport(p, dataset, split, forecasts, perExample);
  const report: ForecastMetrics = {
    task: 'forecast',
    count: p.count,
    loss: p.loss,
    leads: p.leads,
    targets,
    ...(bySeries ?? {}),
    notes,
  };
  if (intervals === undefined) return report;
  const calibration = context.calibration ?? `the val split (${intervals.windows} windows)`;
  return { ...report, coverage: { levels: intervals.levels, ...coverage(p, intervals), calibration } };
}
