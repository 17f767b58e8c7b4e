// lstm-predict's library half: a checkpoint on a file without (or with) its truth, by the model's task.
import type * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../checkpoint/model-card.js';
import type { TaskName } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { fanChartSpec, type FanBand, type FanPoint } from '../charts/fan-chart.js';
import { predictedClassesSpec } from '../charts/prediction-plot.js';
import { f32, type Cell } from '../util/table.js';
import { loadCardData, loadCardTrainingData } from '../task/dataset.js';
import { levelName } from '../task/forecast/intervals.js';
import { taskOf, type Chart, type Table } from '../task/index.js';
import { asTask, own } from '../task/types.js';
import { labelSequences, type Labelled } from './classify.js';
import { forecastFuture, type FutureForecast } from './forecast.js';
import { withForward, type Runtime } from './runtime.js';

export { RUNTIMES, type Runtime } from './runtime.js';

export type Prediction = FutureForecast | Labelled;

export interface PredictRequest {
  model: tf.LayersModel;
  card: ModelCard;
  /** the CSV to predict from */
  dataPath: string;
  /** forecast: steps ahead (default: the horizon) and the row or time the window ends at */
  steps?: number;
  from?: string;
  /** forecast: the series to forecast (default: every series of the file) */
  series?: string[];
  batchSize: number;
  /** what runs the model for the predictions (default tfjs; interval calibration runs in tfjs either way) */
  runtime?: Runtime;
}

interface Predictor {
  run(r: PredictRequest): Promise<Prediction>;
  table(p: Prediction): Table;
  /** what --json prints besides the rows */
  extras(p: Prediction): Record<string, unknown>;
  /** the chart, titled after the run's name */
  chart(p: Prediction, name: string): Chart;
}

const forecaster: Predictor = asTask<Predictor, 'forecast'>('forecast', {
  async run(r) {
    const data = own(await loadCardData(r.card, r.dataPath, true), 'forecast');
    const needsTraining =
      r.card.fitted.forecast?.intervals === undefined || (r.steps ?? 0) > data.forecast.leads.length;
    const training = needsTraining ? await loadCardTrainingData(r.card) : undefined;
    const context = taskOf('forecast').metricsContext({
      model: r.model,
      training,
      fitted: r.card.fitted,
      batchSize: r.batchSize,
    });
    const direct = { intervals: context.intervals, notes: context.notes ?? [] };
    return withForward(r.runtime ?? 'tfjs', r.model, r.card, data, (forward) =>
      forecastFuture({ ...r, forward, data, training }, direct),
    );
  },
  table(p) {
    const f = p;
    const time = f.steps.some((s) => s.time !== undefined);
    const series = f.steps.some((s) => s.series !== undefined);
    const bounds = (t: string) => f.levels.flatMap((l) => [`${t}_lower_${levelName(l)}`, `${t}_upper_${levelName(l)}`]);
    const headers = [
      ...(series ? ['series'] : []),
      'step',
      ...(time ? ['time'] : []),
      ...f.targets.flatMap((t) => [t, ...bounds(t)]),
    ];
    const rows = f.steps.map((s): Cell[] => [
      ...(series ? [s.series] : []),
      s.step,
      ...(time ? [s.time] : []),
      ...f.targets.flatMap((_, j) => [
        f32(s.values[j]),
        ...f.levels.flatMap((_, l) =>
          s.lower && s.upper ? [f32(s.lower[l][j]), f32(s.upper[l][j])] : [undefined, undefined],
        ),
      ]),
    ]);
    return { headers, rows };
  },
  extras: (p) => {
    const { origins } = p;
    return origins.length === 1 ? { origin: origins[0] } : { origins };
  },
  chart(p, name) {
    const title = `${name}: forecast`;
    const f = p;
    // with several series, a panel per series and target (the first few series)
    const shown = [...new Set(f.origins.map((o) => o.series))].slice(0, 6);
    const panel = (series: string | undefined, target: string) =>
      series === undefined ? target : `${series}: ${target}`;
    const points: FanPoint[] = [];
    const bands: FanBand[] = [];
    for (const series of shown)
      f.targets.forEach((target, j) => {
        const history = f.history.filter((h) => h.series === series);
        const steps = f.steps.filter((s) => s.series === series);
        const label = panel(series, target);
        for (const h of history) points.push({ target: label, x: h.x, kind: 'history', value: h.values[j] });
        const last = history.at(-1);
        if (last) points.push({ target: label, x: last.x, kind: 'forecast', value: last.values[j] });
        for (const s of steps) {
          points.push({ target: label, x: s.x, kind: 'forecast', value: s.values[j] });
          if (s.actual) points.push({ target: label, x: s.x, kind: 'actual', value: s.actual[j] });
          if (s.lower && s.upper)
            f.levels.forEach((l, i) =>
              bands.push({
                target: label,
                x: s.x,
                level: `${levelName(l)}%`,
                lower: s.lower![i][j],
                upper: s.upper![i][j],
              }),
            );
        }
      });
    const origin = f.origins[0];
    const from = origin.time ?? `row ${origin.row}`;
    const steps = f.steps.length / Math.max(1, f.origins.length);
    const subtitle = `${steps} steps after ${from}, original units; shaded: the prediction intervals`;
    return { name: 'forecast', spec: fanChartSpec(points, bands, { title, subtitle, temporal: f.temporal }) };
  },
});

const classifier: Predictor = asTask<Predictor, 'classify'>('classify', {
  async run(r) {
    if (r.steps !== undefined || r.from !== undefined)
      throw new UsageError(
        `${r.steps !== undefined ? '--steps' : '--from'}: a classifier labels whole sequences; it takes neither --steps nor --from`,
      );
    const data = await loadCardData(r.card, r.dataPath, true);
    return withForward(r.runtime ?? 'tfjs', r.model, r.card, data, (forward) =>
      labelSequences(forward, data, r.batchSize),
    );
  },
  table(p) {
    const c = p;
    const headers = ['sequence', 'label', ...c.classes.map((k) => `p_${k}`)];
    return { headers, rows: c.rows.map((r) => [r.sequence, r.label, ...r.probabilities.map(f32)]) };
  },
  extras: () => ({}),
  chart(p, name) {
    const title = `${name}: predicted labels`;
    const c = p;
    const spec = predictedClassesSpec(
      c.classes,
      c.rows.map((r) => r.label),
      { title, subtitle: `${c.rows.length} sequences` },
    );
    return { name: 'labels', spec };
  },
});

const PREDICTORS: Record<TaskName, Predictor> = { forecast: forecaster, classify: classifier };

export const predictorOf = (p: Prediction | TaskName) => PREDICTORS[typeof p === 'string' ? p : p.task];

export function predict(r: PredictRequest): Promise<Prediction> {
  return predictorOf(r.card.config.data.task).run(r);
}

/** The table as JSON: one object per row, keyed by the CSV's column names, and the notes. */
export function predictionJson(p: Prediction): Record<string, unknown> {
  const { headers, rows } = predictorOf(p).table(p);
  const objects = rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? null])));
  return { ...predictorOf(p).extras(p), rows: objects, notes: p.notes };
}
