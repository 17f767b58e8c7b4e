// A forecaster's report: the model and its baselines per target, over every lead and lead by lead; its text.
import type { ForecastDataset, ForecastSplit } from '../../data/types.js';
import { formatNumber, formatTable } from '../../util/table.js';
import { regressionMetrics, skill, type RegressionMetrics } from '../metrics.js';
import type {
  BaselineName,
  ForecastPredictions,
  ForecastMetrics,
  ForecastTargetMetrics,
  MetricsContext,
} from '../types.js';
import { persistence, seasonalNaive } from './baselines.js';
import { coverage, levelName } from './intervals.js';
import { fitLinear } from './linear.js';

/** Values [n, leads, targets] of target j: at lead index k, or (k undefined) at every lead. */
function column(values: Float32Array, p: ForecastPredictions, j: number, k?: number): Float32Array {
  const [L, T] = [p.leads.length, p.targets];
  const ks = k === undefined ? p.leads.map((_, i) => i) : [k];
  const out = new Float32Array(p.count * ks.length);
  for (let i = 0; i < p.count; i++) ks.forEach((kk, m) => (out[i * ks.length + m] = values[(i * L + kk) * T + j]));
  return out;
}

const metricsOf = (p: ForecastPredictions, predicted: Float32Array, j: number, k?: number) =>
  regressionMetrics(column(p.yTrue, p, j, k), column(predicted, p, j, k));

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
  const notes = [...(context.notes ?? []), ...baselines.notes];
  const names = Object.keys(forecasts) as BaselineName[];
  const targets = dataset.targetNames.map((name, j): ForecastTargetMetrics => {
    const model = metricsOf(p, p.yPred, j);
    const baselines = Object.fromEntries(names.map((b) => [b, metricsOf(p, forecasts[b] as Float32Array, j)]));
    const skills = Object.fromEntries(names.map((b) => [b, skill(model.mae, baselines[b].mae)]));
    const byLead = p.leads.map((lead, k) => ({
      lead,
      model: metricsOf(p, p.yPred, j, k),
      baselines: Object.fromEntries(names.map((b) => [b, metricsOf(p, forecasts[b] as Float32Array, j, k)])),
    }));
    const persistenceMetrics = baselines.persistence;
    return {
      name,
      model,
      persistence: persistenceMetrics,
      skill: skills.persistence ?? NaN,
      baselines,
      skills,
      byLead,
    };
  });
  const intervals = context.intervals;
  const bySeries = seriesReport(p, dataset, split, forecasts);
  const report: ForecastMetrics = {
    task: 'forecast',
    count: p.count,
    loss: p.loss,
    leads: p.leads,
    targets,
    ...(bySeries ? { series: bySeries } : {}),
    notes,
  };
  if (intervals === undefined) return report;
  const calibration = context.calibration ?? `the val split (${intervals.windows} windows)`;
  return { ...report, coverage: { levels: intervals.levels, ...coverage(p, intervals), calibration } };
}

/** Each series' MAE over its own windows (every lead), the model's and each baseline's: a file of several series. */
function seriesReport(
  p: ForecastPredictions,
  dataset: ForecastDataset,
  split: ForecastSplit,
  forecasts: Partial<Record<BaselineName, Float32Array>>,
): ForecastMetrics['series'] {
  const info = dataset.forecast;
  if (info.seriesNames.length < 2) return undefined;
  const [L, T] = [p.leads.length, p.targets];
  const names = Object.keys(forecasts) as BaselineName[];
  const members = info.seriesNames.map((): number[] => []);
  for (let i = 0; i < split.ends.length; i++) members[info.seriesOf[split.ends[i]]].push(i);
  const mae = (values: Float32Array, examples: number[], j: number) => {
    let sum = 0;
    for (const i of examples)
      for (let k = 0; k < L; k++) sum += Math.abs(values[(i * L + k) * T + j] - p.yTrue[(i * L + k) * T + j]);
    return sum / Math.max(1, examples.length * L);
  };
  return info.seriesNames.flatMap((name, s) =>
    members[s].length === 0
      ? []
      : [
          {
            name,
            windows: members[s].length,
            targets: dataset.targetNames.map((t, j) => ({
              name: t,
              mae: mae(p.yPred, members[s], j),
              baselines: Object.fromEntries(names.map((b) => [b, mae(forecasts[b] as Float32Array, members[s], j)])),
            })),
          },
        ],
  );
}

/** Rows of the by-series table, at most this many printed (--json has them all). */
const SERIES_SHOWN = 20;

const VERDICTS: Record<BaselineName, string> = {
  persistence: 'the naive last-value forecast',
  'seasonal-naive': 'the value one season earlier',
  linear: 'a ridge regression on the flattened window',
};

function verdict(t: ForecastTargetMetrics, b: BaselineName): string {
  const s = t.skills[b] ?? NaN;
  const said = Number.isNaN(s) ? 'cannot be compared with' : s > 0 ? 'beats' : 'does NOT beat';
  const plain =
    b === 'linear' && s <= 0
      ? `; the linear baseline wins here (MAE ${formatNumber(t.baselines.linear?.mae ?? NaN)} against ${formatNumber(t.model.mae)})`
      : '';
  const label = b === 'persistence' ? '(1 − MAE_model / MAE_naive)' : '(1 − MAE_model / MAE_baseline)';
  return `${t.name}: skill vs ${b} ${formatNumber(s)} ${label}: the model ${said} ${VERDICTS[b]}${plain}`;
}

export function formatForecastMetrics(r: ForecastMetrics): string[] {
  const metrics = (m: RegressionMetrics) => [m.mse, m.rmse, m.mae, m.mape, m.r2];
  const names = (t: ForecastTargetMetrics) => Object.keys(t.baselines) as BaselineName[];
  const rows = r.targets.flatMap((t) => [
    [t.name, 'model', ...metrics(t.model)],
    ...names(t).map((b) => [t.name, b, ...metrics(t.baselines[b] as RegressionMetrics)]),
  ]);
  const steps = r.leads.length > 1 ? ` (each the mean over ${r.leads.length} steps ahead, 1 … ${r.leads.at(-1)})` : '';
  const lines = [formatTable(['target', 'forecast', 'MSE', 'RMSE', 'MAE', 'MAPE %', 'R²'], rows) + steps];
  for (const t of r.targets) {
    for (const b of names(t)) lines.push(verdict(t, b));
    if (t.model.mapeSkipped > 0) lines.push(`  MAPE skips ${t.model.mapeSkipped} zero targets`);
  }
  if (r.leads.length > 1)
    for (const t of r.targets) {
      const headers = ['step', 'model', ...names(t)];
      const byLead = t.byLead.map((l) => [l.lead, l.model.mae, ...names(t).map((b) => l.baselines[b]?.mae)]);
      lines.push(`${t.name}: MAE by step ahead`, formatTable(headers, byLead));
    }
  if (r.coverage) {
    const c = r.coverage;
    const each = c.levels.map((l, i) => `${levelName(l)}%: ${formatNumber(c.overall[i])}`).join(', ');
    lines.push(`intervals (split conformal, calibrated on ${c.calibration}): coverage on this split ${each}`);
  }
  if (r.series) {
    const baselines = Object.keys(r.series[0].targets[0].baselines) as BaselineName[];
    const rows = r.series
      .slice(0, SERIES_SHOWN)
      .flatMap((s) =>
        s.targets.map((t) => [s.name, t.name, s.windows, t.mae, ...baselines.map((b) => t.baselines[b])]),
      );
    lines.push(`MAE by series (each over its windows and every step ahead)`);
    lines.push(formatTable(['series', 'target', 'windows', 'model', ...baselines], rows));
    if (r.series.length > SERIES_SHOWN)
      lines.push(`  … and ${r.series.length - SERIES_SHOWN} more series (--json lists them all)`);
  }
  for (const note of r.notes) lines.push(`note: ${note}`);
  return lines;
}
