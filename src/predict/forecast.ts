// lstm-predict for a forecaster: the next steps after the file's last row (or --from), with times and intervals.
import type * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../checkpoint/model-card.js';
import { chronologicalSegments } from '../data/split.js';
import { inverseScaler } from '../data/scaler.js';
import { formatTime, parseTime, stepTime } from '../data/time.js';
import type { Dataset, ForecastDataset, Intervals } from '../data/types.js';
import { ConfigError } from '../errors.js';
import { conformalWidths } from '../task/forecast/intervals.js';
import { rollout, rolloutSources } from './rollout.js';

export interface FutureStep {
  step: number;
  /** written as the file writes its times (with a time column) */
  time?: string;
  /** per target, original units */
  values: number[];
  /** [level][target]; undefined where no interval could be calibrated for the step */
  lower?: number[][];
  upper?: number[][];
  /** the file's own values at that step, when it has rows after --from */
  actual?: number[];
}

export interface FutureForecast {
  task: 'forecast';
  targets: string[];
  levels: number[];
  /** the window's last row: its data-row index and time */
  origin: { row: number; time?: string };
  steps: FutureStep[];
  /** the targets before the forecast, for the plot: x (time in ms, or data-row index) and values */
  history: { x: number; values: number[] }[];
  /** the x of each step (time in ms, or origin row + step) */
  xs: number[];
  temporal: boolean;
  notes: string[];
}

export interface ForecastRequest {
  model: tf.LayersModel;
  card: ModelCard;
  /** the file to forecast from, loaded with the card's transforms (inputs only) */
  data: ForecastDataset;
  /** the card's training data, to calibrate rolled-out steps' intervals; undefined when it is not there */
  training?: Dataset;
  steps?: number;
  from?: string;
}

/** The series row --from names: a time of the file's time column, or a data-row index (as lstm-eval's id column). */
export function originRow(data: ForecastDataset, from: string | undefined): number {
  const info = data.forecast;
  const last = info.series.rows - 1;
  if (from === undefined) return last;
  const time = info.time;
  // a time of the file's own kind, else a data-row index (a number-kind time column reads numbers as times)
  const parsed = parseTime(from);
  const asTime = time !== undefined && parsed !== undefined && parsed.form.kind === time.form.kind;
  const row = asTime
    ? time.values.indexOf(parsed.value)
    : /^\d+$/.test(from)
      ? Array.from(info.rowIds).indexOf(Number(from))
      : -1;
  const span = time
    ? `its times run from ${formatTime(time.values[0], time.form)} to ${formatTime(time.values[last], time.form)}`
    : `its data rows run from 0 to ${info.rowIds[last]}`;
  if (row < 0)
    throw new ConfigError('command line', [
      `--from: expected ${time ? 'a time of the file, or ' : ''}a data-row index of ${data.summary.file}, got "${from}" (${span})`,
    ]);
  if (row < info.window - 1)
    throw new ConfigError('command line', [
      `--from ${from}: expected a row with a whole window (${info.window} rows) up to it, found ${row + 1}`,
    ]);
  return row;
}

/** Rolled-out steps' interval half-widths from the same rollout run from every val window of the training data. */
function rolloutIntervals(r: ForecastRequest, steps: number, sources: Int32Array): Intervals | undefined {
  const training = r.training;
  if (training?.task !== 'forecast') return undefined;
  const info = training.forecast;
  const valEnd = chronologicalSegments(info.series.rows, r.card.config.data.split).val[1];
  const origins = training.splits.val.ends.filter((e) => e + steps < valEnd); // the truth stays inside val
  if (origins.length === 0) return undefined;
  const yPred = inverseScaler(training.targetScaler, rollout(r.model, training, origins, steps, sources));
  const t = info.series.targets;
  const yTrue = new Float32Array(yPred.length);
  origins.forEach((e, i) => yTrue.set(info.targetRaw.subarray((e + 1) * t, (e + 1 + steps) * t), i * steps * t));
  const leads = Array.from({ length: steps }, (_, k) => k + 1);
  const p = { task: 'forecast' as const, loss: NaN, count: origins.length, leads, targets: t, yTrue, yPred };
  return conformalWidths(p, info.intervalLevels);
}

/** The targets before the forecast, for the plot: the last three windows up to the origin. */
function historyBefore(data: ForecastDataset, origin: number): FutureForecast['history'] {
  const info = data.forecast;
  if (!info.hasTargets) return [];
  const t = data.targetNames.length;
  const first = Math.max(0, origin - 3 * info.window + 1);
  return Array.from({ length: origin - first + 1 }, (_, i) => {
    const row = first + i;
    const x = info.time ? info.time.values[row] : info.rowIds[row];
    return { x, values: Array.from(info.targetRaw.subarray(row * t, (row + 1) * t)) };
  });
}

/**
 * The next steps after the origin: the model's direct forecast of its leads, or (`steps` beyond them) a recursive
 * rollout. Intervals: the checkpoint's for the direct steps (or calibrated now on the training data's val split
 * when it has none), and for rolled-out steps the same rollout run from every val window.
 */
export function forecastFuture(r: ForecastRequest, direct: { intervals?: Intervals; notes: string[] }): FutureForecast {
  const { data } = r;
  const info = data.forecast;
  const origin = originRow(data, r.from);
  const horizon = info.leads.length;
  const steps = r.steps ?? horizon;
  const rolled = steps > horizon;
  const sources = rolled ? rolloutSources(data, steps) : new Int32Array(data.featureNames.length);
  const values = inverseScaler(data.targetScaler, rollout(r.model, data, [origin], Math.max(steps, horizon), sources));
  const later = rolled ? rolloutIntervals(r, steps, sources) : undefined;
  const notes = [...direct.notes];
  if (rolled && later === undefined)
    notes.push(
      `steps past ${horizon} have no intervals: the training data's val split is not there, or too short, to calibrate them`,
    );
  const t = data.targetNames.length;
  const time = info.time;
  const frequency = r.card.fitted.forecast?.time?.frequency ?? time?.frequency;
  const aheads = rolled ? Array.from({ length: steps }, (_, k) => k + 1) : info.leads.slice(0, steps);
  const xs: number[] = [];
  const out = aheads.map((step, k): FutureStep => {
    const v = Array.from(values.subarray(k * t, (k + 1) * t));
    const widths = (k < horizon ? direct.intervals : later)?.widths.map((w) => w[k]);
    const when = time && frequency ? stepTime(time.values[origin], step, frequency) : undefined;
    xs.push(when ?? info.rowIds[origin] + step);
    const row = origin + step;
    const actual =
      row < info.series.rows && info.hasTargets
        ? Array.from(info.targetRaw.subarray(row * t, (row + 1) * t))
        : undefined;
    const bounds = widths && {
      lower: widths.map((w) => v.map((x, j) => x - w[j])),
      upper: widths.map((w) => v.map((x, j) => x + w[j])),
    };
    return {
      step,
      ...(when !== undefined && time ? { time: formatTime(when, time.form) } : {}),
      values: v,
      ...bounds,
      ...(actual ? { actual } : {}),
    };
  });
  return {
    task: 'forecast',
    targets: data.targetNames,
    levels: direct.intervals?.levels ?? later?.levels ?? [],
    origin: { row: info.rowIds[origin], ...(time ? { time: formatTime(time.values[origin], time.form) } : {}) },
    steps: out,
    history: historyBefore(data, origin),
    xs,
    temporal: time !== undefined && time.form.kind !== 'number',
    notes,
  };
}
