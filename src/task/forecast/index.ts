// The forecast task: scaled targets for every lead, MSE, MAE in original units, baselines, intervals, charts.
import * as tf from '@tensorflow/tfjs';
import type { ForecastDataset, ForecastSplit, SplitData } from '../../data/types.js';
import { formatTime } from '../../data/time.js';
import { forecastSpec, maeByStepSpec, type ForecastRow } from '../../charts/prediction-plot.js';
import { f32, type Cell } from '../../util/table.js';
import { meanAbsoluteError } from '../metrics.js';
import { asTask, own, type ForecastPredictions, type MetricsContext, type Task } from '../types.js';
import { runModel } from '../run-model.js';
import { conformalWidths, halfWidths, levelName } from './intervals.js';
import { calibratedLevels } from '../../data/interval-bounds.js';
import { forecastCollector, inUnits } from './predictions.js';
import { forecastPredictor } from './predictor.js';
import { formatForecastMetrics, forecastMetrics } from './metrics.js';
import { forecastCaption, forecastReportTables, forecastScoreText } from './report.js';
import { settleForecast } from './settle.js';
import { startLinearSkip } from './skip-start.js';
import { peerFitsOf } from './peers/index.js';

/** The dataset's own split object of that name: a ForecastSplit, with its window ends. */
const ownSplit = (d: ForecastDataset, split: SplitData): ForecastSplit => d.splits[split.name];

/** What x each example's lead k is drawn at: the predicted row's time, or its data-row index. */
function xOf(d: ForecastDataset, split: ForecastSplit, i: number, lead: number): number {
  const row = split.ends[i] + lead;
  return d.forecast.time ? d.forecast.time.values[row] : d.forecast.rowIds[row];
}

/** One row per window and lead: id, time (with a time column), step, then each target's truth, prediction, bounds. */
function predictionTable(p: ForecastPredictions, d: ForecastDataset, split: ForecastSplit, context?: MetricsContext) {
  const time = d.forecast.time;
  const intervals = context?.intervals;
  const bounds = (t: string) =>
    (intervals?.levels ?? []).flatMap((l) => [`${t}_lower_${levelName(l)}`, `${t}_upper_${levelName(l)}`]);
  const info = d.forecast;
  const many = info.seriesNames.length > 1;
  const headers = [
    'id',
    ...(many ? ['series'] : []),
    ...(time ? ['time'] : []),
    'step',
    ...d.targetNames.flatMap((t) => [`${t}_true`, `${t}_pred`, ...bounds(t)]),
  ];
  const [L, T] = [p.leads.length, p.targets];
  const rows: Cell[][] = [];
  for (let i = 0; i < p.count; i++)
    p.leads.forEach((lead, k) => {
      const at = (i * L + k) * T;
      const when = time ? [formatTime(time.values[split.ends[i] + lead], time.form)] : [];
      const perLevel = intervals ? halfWidths(intervals, k, p.units?.subarray(i * T, (i + 1) * T)) : [];
      const cells = d.targetNames.flatMap((_, j) => {
        const pred = p.yPred[at + j];
        const widths = perLevel.map((w) => w[j]);
        return [f32(p.yTrue[at + j]), f32(pred), ...widths.flatMap((w) => [f32(pred - w), f32(pred + w)])];
      });
      const series = many ? [info.seriesNames[info.seriesOf[split.ends[i]]]] : [];
      rows.push([split.ids[i], ...series, ...when, lead, ...cells]);
    });
  return { headers, rows };
}

export const forecastTask: Task = asTask<Task, 'forecast'>('forecast', {
  name: 'forecast',
  metric: 'mae',
  examples: 'windows',
  usesTrainingData: true,
  higherIsBetter: false,
  forecastsAhead: true,
  modelNoun: 'a forecaster',
  outputs: 'targets',
  head: 'linear',
  masked: () => false,
  metricScope: (dataset) => {
    const leads = dataset.forecast.leads;
    const targets = dataset.targetNames.length;
    const over = [leads.length > 1 ? `${leads.length} steps ahead` : '', targets > 1 ? `${targets} targets` : ''];
    return over.some(Boolean) ? `, the mean over ${over.filter(Boolean).join(' and ')}` : '';
  },
  targetTensor: (batch, outputSize) => tf.tensor2d(batch.y, [batch.batchSize, outputSize]), // [batch, leads × targets]
  // mean over batch, leads and targets
  loss: (output, target) => tf.losses.meanSquaredError<tf.Tensor2D, tf.Scalar>(target, output),
  shown: (output) => output,
  batchMetric: (dataset, batch, output) => {
    const { yTrue, yPred } = inUnits(dataset, batch, output);
    return meanAbsoluteError(yTrue, yPred);
  },
  collector: (dataset, size) => forecastCollector(dataset, size),
  headline: (p) => {
    const f = p;
    return meanAbsoluteError(f.yTrue, f.yPred);
  },
  checkpointTransforms: (dataset, val) => {
    const d = dataset;
    const forecast = d.fitted.forecast ?? { leads: d.forecast.leads };
    const intervals = conformalWidths(val, d.forecast.intervalLevels);
    return { ...d.fitted, forecast: { ...forecast, intervals, peers: peerFitsOf(d) } };
  },
  settle: (config, dataset, o) => settleForecast(config, dataset, o),
  startWeights: (model, dataset, config, progress, o) =>
    startLinearSkip(model, dataset, config, progress?.('fitting the linear skip'), o),
  metricsContext: ({ model, training, fitted, batchSize }) => {
    const stored = calibratedLevels(fitted?.forecast?.intervals);
    const peerFits = fitted?.forecast?.peers;
    if (fitted?.forecast?.intervals) return { training, peerFits, ...stored };
    if (training === undefined)
      return { notes: ['no intervals: the checkpoint has none, and its training data is not there to calibrate them'] };
    const d = own(training, 'forecast');
    const val = own(runModel(forecastTask, model, d, d.splits.val, batchSize), 'forecast');
    const all = conformalWidths(val, d.forecast.intervalLevels);
    const calibrated = calibratedLevels(all);
    const calibration = `the training data's val split (${all.windows} windows), now`;
    return { training, peerFits, ...calibrated, calibration };
  },
  metrics: (p, dataset, split, context) => {
    const d = dataset;
    return forecastMetrics(p, d, ownSplit(d, split), context ?? {});
  },
  predictionTable: (p, dataset, split, context) => {
    const d = dataset;
    return predictionTable(p, d, ownSplit(d, split), context);
  },
  plots(metrics, p, dataset, split, name) {
    const f = p;
    const d = dataset;
    const s = ownSplit(d, split);
    const shown = [...new Set([0, f.leads.length - 1])]; // the nearest and the farthest lead
    const rows: ForecastRow[] = [];
    const { windows, of } = lastWindows(d, s, f.count);
    for (const i of windows)
      for (const k of shown)
        d.targetNames.forEach((target, j) => {
          const at = (i * f.leads.length + k) * f.targets + j;
          const lead = f.leads[k];
          const panel =
            d.forecast.seriesNames.length > 1
              ? `${d.forecast.seriesNames[d.forecast.seriesOf[s.ends[i]]]}: ${target}`
              : target;
          rows.push({ id: xOf(d, s, i, lead), target: panel, actual: f.yTrue[at], predicted: f.yPred[at], lead });
        });
    const subtitle = `${metrics.split} split, original units`;
    const span =
      windows.length < of
        ? `${subtitle}; the last ${windows.length} of ${of} windows${d.forecast.seriesNames.length > 1 ? ' of each series' : ''}`
        : subtitle;
    const temporal = d.forecast.time !== undefined && d.forecast.time.form.kind !== 'number';
    const r = metrics;
    const steps = r.targets.flatMap((t) =>
      t.byLead.flatMap((l) => [
        { target: t.name, step: l.lead, forecast: 'model', mae: l.model.mae },
        ...Object.entries(l.baselines).map(([b, m]) => ({ target: t.name, step: l.lead, forecast: b, mae: m.mae })),
      ]),
    );
    return [
      {
        name: 'predictions',
        spec: forecastSpec(rows, { title: `${name}: actual vs predicted`, subtitle: span, temporal }),
      },
      { name: 'mae-by-step', spec: maeByStepSpec(steps, { title: `${name}: MAE by step ahead`, subtitle }) },
    ];
  },
  formatMetrics: (r) => formatForecastMetrics(r),
  reportTables: (e) => forecastReportTables(e),
  scoreText: (e, metric) => forecastScoreText(e, metric),
  caption: (p, dataset, index) => forecastCaption(p, dataset, index),
  predictor: forecastPredictor((o) => forecastTask.metricsContext(o)),
});

/** Windows drawn per series: a line of more points than this is a solid band at a chart's width. */
const MAX_DRAWN = 240;

/**
 * The windows the predictions chart draws: of the first four series (a panel each), each one's last MAX_DRAWN in
 * the split, so what is drawn can be read; `of` is the most any drawn series has.
 */
function lastWindows(d: ForecastDataset, s: ForecastSplit, count: number): { windows: number[]; of: number } {
  const bySeries = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const series = d.forecast.seriesOf[s.ends[i]];
    if (series >= 4) continue; // a panel per series: the first few
    bySeries.set(series, [...(bySeries.get(series) ?? []), i]);
  }
  const all = [...bySeries.values()];
  const windows = all.flatMap((w) => w.slice(-MAX_DRAWN)).sort((a, b) => a - b);
  return { windows, of: Math.max(0, ...all.map((w) => w.length)) };
}
