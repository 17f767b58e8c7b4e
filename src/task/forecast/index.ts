// The forecast task: scaled targets for every lead, MSE, MAE in original units, baselines, intervals, charts.
import * as tf from '@tensorflow/tfjs';
import type { Dataset, ForecastDataset, ForecastSplit, SplitData } from '../../data/types.js';
import { formatTime } from '../../data/time.js';
import { forecastSpec, maeByStepSpec, type ForecastRow } from '../../report/prediction-plot.js';
import { f32, type Cell } from '../../report/table.js';
import { meanAbsoluteError } from '../metrics.js';
import { own, type ForecastPredictions, type ReportContext, type Task } from '../types.js';
import { runModel } from '../run-model.js';
import { conformalWidths, levelName } from './intervals.js';
import { forecastCollector, inUnits } from './predictions.js';
import { formatForecastReport, forecastReport } from './report.js';

const ownData = (d: Dataset) => own(d, 'forecast');
/** The dataset's own split object of that name: a ForecastSplit, with its window ends. */
const ownSplit = (d: ForecastDataset, split: SplitData): ForecastSplit => d.splits[split.name];

/** What x each example's lead k is drawn at: the predicted row's time, or its data-row index. */
function xOf(d: ForecastDataset, split: ForecastSplit, i: number, lead: number): number {
  const row = split.ends[i] + lead;
  return d.forecast.time ? d.forecast.time.values[row] : d.forecast.rowIds[row];
}

/** One row per window and lead: id, time (with a time column), step, then each target's truth, prediction, bounds. */
function predictionTable(p: ForecastPredictions, d: ForecastDataset, split: ForecastSplit, context?: ReportContext) {
  const time = d.forecast.time;
  const intervals = context?.intervals;
  const bounds = (t: string) =>
    (intervals?.levels ?? []).flatMap((l) => [`${t}_lower_${levelName(l)}`, `${t}_upper_${levelName(l)}`]);
  const headers = [
    'id',
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
      const cells = d.targetNames.flatMap((_, j) => {
        const pred = p.yPred[at + j];
        const widths = intervals?.widths.map((w) => w[k][j]) ?? [];
        return [f32(p.yTrue[at + j]), f32(pred), ...widths.flatMap((w) => [f32(pred - w), f32(pred + w)])];
      });
      rows.push([split.ids[i], ...when, lead, ...cells]);
    });
  return { headers, rows };
}

export const forecastTask: Task = {
  name: 'forecast',
  metric: 'mae',
  examples: 'windows',
  plotName: 'actual vs predicted',
  usesTrainingData: true,
  metricScope: (dataset) => {
    const leads = ownData(dataset).forecast.leads;
    const targets = dataset.targetNames.length;
    const over = [leads.length > 1 ? `${leads.length} steps ahead` : '', targets > 1 ? `${targets} targets` : ''];
    return over.some(Boolean) ? `, the mean over ${over.filter(Boolean).join(' and ')}` : '';
  },
  targetTensor: (batch, outputSize) => tf.tensor2d(batch.y, [batch.batchSize, outputSize]), // [batch, leads × targets]
  // mean over batch, leads and targets
  loss: (output, target) => tf.losses.meanSquaredError<tf.Tensor2D, tf.Scalar>(target, output),
  shown: (output) => output,
  batchMetric: (dataset, batch, output) => {
    const { yTrue, yPred } = inUnits(ownData(dataset), batch, output);
    return meanAbsoluteError(yTrue, yPred);
  },
  collector: (dataset, size) => forecastCollector(ownData(dataset), size),
  headline: (p) => {
    const f = own(p, 'forecast');
    return meanAbsoluteError(f.yTrue, f.yPred);
  },
  checkpointTransforms: (dataset, val) => {
    const d = ownData(dataset);
    const forecast = d.fitted.forecast ?? { leads: d.forecast.leads };
    const intervals = conformalWidths(own(val, 'forecast'), d.forecast.intervalLevels);
    return { ...d.fitted, forecast: { ...forecast, intervals } };
  },
  reportContext: ({ model, training, fitted, batchSize }) => {
    const stored = fitted?.forecast?.intervals;
    if (stored) return { training, intervals: stored };
    if (training === undefined)
      return { notes: ['no intervals: the checkpoint has none, and its training data is not there to calibrate them'] };
    const d = ownData(training);
    const val = own(runModel(forecastTask, model, d, d.splits.val, batchSize), 'forecast');
    const intervals = conformalWidths(val, d.forecast.intervalLevels);
    return { training, intervals, calibration: `the training data's val split (${intervals.windows} windows), now` };
  },
  report: (p, dataset, split, context) => {
    const d = ownData(dataset);
    return forecastReport(own(p, 'forecast'), d, ownSplit(d, split), context ?? {});
  },
  predictionTable: (p, dataset, split, context) => {
    const d = ownData(dataset);
    return predictionTable(own(p, 'forecast'), d, ownSplit(d, split), context);
  },
  plots(report, p, dataset, split, title) {
    const f = own(p, 'forecast');
    const d = ownData(dataset);
    const s = ownSplit(d, split);
    const shown = [...new Set([0, f.leads.length - 1])]; // the nearest and the farthest lead
    const rows: ForecastRow[] = [];
    for (let i = 0; i < f.count; i++)
      for (const k of shown)
        d.targetNames.forEach((target, j) => {
          const at = (i * f.leads.length + k) * f.targets + j;
          const lead = f.leads[k];
          rows.push({ id: xOf(d, s, i, lead), target, actual: f.yTrue[at], predicted: f.yPred[at], lead });
        });
    const subtitle = `${report.split} split, original units`;
    const temporal = d.forecast.time !== undefined && d.forecast.time.form.kind !== 'number';
    const r = own(report, 'forecast');
    const steps = r.targets.flatMap((t) =>
      t.byLead.flatMap((l) => [
        { target: t.name, step: l.lead, forecast: 'model', mae: l.model.mae },
        ...Object.entries(l.baselines).map(([b, m]) => ({ target: t.name, step: l.lead, forecast: b, mae: m.mae })),
      ]),
    );
    return [
      { name: 'predictions', spec: forecastSpec(rows, { title, subtitle, temporal }) },
      { name: 'mae-by-step', spec: maeByStepSpec(steps, { title: `${title}: MAE by step ahead`, subtitle }) },
    ];
  },
  formatReport: (r) => formatForecastReport(own(r, 'forecast')),
};
