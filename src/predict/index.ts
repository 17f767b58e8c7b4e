// lstm-predict's library half: a checkpoint on a file without (or with) its truth, by the model's task.
import type * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../checkpoint/model-card.js';
import type { TaskName } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { fanChartSpec, type FanBand, type FanPoint } from '../report/fan-chart.js';
import { predictedClassesSpec } from '../report/prediction-plot.js';
import { f32, type Cell } from '../report/table.js';
import { loadCardData, loadCardTrainingData } from '../task/dataset.js';
import { levelName } from '../task/forecast/intervals.js';
import { taskOf, type Chart, type Table } from '../task/index.js';
import { own } from '../task/types.js';
import { labelSequences, type Labelled } from './classify.js';
import { forecastFuture, type FutureForecast } from './forecast.js';

export type Prediction = FutureForecast | Labelled;

export interface PredictRequest {
  model: tf.LayersModel;
  card: ModelCard;
  /** the CSV to predict from */
  dataPath: string;
  /** forecast: steps ahead (default: the horizon) and the row or time the window ends at */
  steps?: number;
  from?: string;
  batchSize: number;
}

interface Predictor {
  run(r: PredictRequest): Promise<Prediction>;
  table(p: Prediction): Table;
  /** what --json prints besides the rows */
  extras(p: Prediction): Record<string, unknown>;
  /** the chart, titled after the run's name */
  chart(p: Prediction, name: string): Chart;
}

const forecaster: Predictor = {
  async run(r) {
    const data = own(await loadCardData(r.card, r.dataPath, true), 'forecast');
    const needsTraining =
      r.card.fitted.forecast?.intervals === undefined || (r.steps ?? 0) > data.forecast.leads.length;
    const training = needsTraining ? await loadCardTrainingData(r.card) : undefined;
    const context = taskOf('forecast').reportContext({
      model: r.model,
      training,
      fitted: r.card.fitted,
      batchSize: r.batchSize,
    });
    return forecastFuture({ ...r, data, training }, { intervals: context.intervals, notes: context.notes ?? [] });
  },
  table(p) {
    const f = own(p, 'forecast');
    const time = f.steps.some((s) => s.time !== undefined);
    const bounds = (t: string) => f.levels.flatMap((l) => [`${t}_lower_${levelName(l)}`, `${t}_upper_${levelName(l)}`]);
    const headers = ['step', ...(time ? ['time'] : []), ...f.targets.flatMap((t) => [t, ...bounds(t)])];
    const rows = f.steps.map((s): Cell[] => [
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
  extras: (p) => ({ origin: own(p, 'forecast').origin }),
  chart(p, name) {
    const title = `${name}: forecast`;
    const f = own(p, 'forecast');
    const points: FanPoint[] = f.targets.flatMap((target, j) => [
      ...f.history.map((h) => ({ target, x: h.x, kind: 'history' as const, value: h.values[j] })),
      ...(f.history.length > 0
        ? [
            {
              target,
              x: f.history[f.history.length - 1].x,
              kind: 'forecast' as const,
              value: f.history[f.history.length - 1].values[j],
            },
          ]
        : []),
      ...f.steps.map((s, k) => ({ target, x: f.xs[k], kind: 'forecast' as const, value: s.values[j] })),
      ...f.steps.flatMap((s, k) =>
        s.actual ? [{ target, x: f.xs[k], kind: 'actual' as const, value: s.actual[j] }] : [],
      ),
    ]);
    const bands: FanBand[] = f.targets.flatMap((target, j) =>
      f.steps.flatMap((s, k) =>
        s.lower && s.upper
          ? f.levels.map((l, i) => ({
              target,
              x: f.xs[k],
              level: `${levelName(l)}%`,
              lower: s.lower![i][j],
              upper: s.upper![i][j],
            }))
          : [],
      ),
    );
    const from = f.origin.time ?? `row ${f.origin.row}`;
    const subtitle = `${f.steps.length} steps after ${from}, original units; shaded: the prediction intervals`;
    return { name: 'forecast', spec: fanChartSpec(points, bands, { title, subtitle, temporal: f.temporal }) };
  },
};

const classifier: Predictor = {
  async run(r) {
    if (r.steps !== undefined || r.from !== undefined)
      throw new ConfigError('command line', [
        `${r.steps !== undefined ? '--steps' : '--from'}: a classifier labels whole sequences; it takes neither --steps nor --from`,
      ]);
    return labelSequences(r.model, await loadCardData(r.card, r.dataPath, true), r.batchSize);
  },
  table(p) {
    const c = own(p, 'classify');
    const headers = ['sequence', 'label', ...c.classes.map((k) => `p_${k}`)];
    return { headers, rows: c.rows.map((r) => [r.sequence, r.label, ...r.probabilities.map(f32)]) };
  },
  extras: () => ({}),
  chart(p, name) {
    const title = `${name}: predicted labels`;
    const c = own(p, 'classify');
    const spec = predictedClassesSpec(
      c.classes,
      c.rows.map((r) => r.label),
      { title, subtitle: `${c.rows.length} sequences` },
    );
    return { name: 'labels', spec };
  },
};

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
