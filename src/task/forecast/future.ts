// lstm-predict for a forecaster: the next steps after each series' last row (or --from), with times and intervals.
import { calibratedLevels } from '../../data/interval-bounds.js';
import type * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../../checkpoint/model-card.js';
import { chronologicalSegments } from '../../data/split.js';
import { inverseRows } from '../../data/scaler.js';
import { formatTime, parseTime, parseTimeIn, stepTime } from '../../data/time.js';
import type { Dataset, ForecastDataset, Intervals } from '../../data/types.js';
import { futureColumns, futureNeeded } from '../../data/features.js';
import { DataError, UsageError } from '../../errors.js';
import { conformalWidths, halfWidths } from './intervals.js';
import { seriesUnits } from './predictions.js';
import { tfjsForward, type Forward } from '../forward.js';
import type { FutureForecast, FutureStep } from '../prediction.js';
import { own } from '../types.js';
import { rollout, rolloutSources } from './rollout.js';

export interface ForecastRequest {
  model: tf.LayersModel;
  /** the forward passes of the forecast itself (tfjs's or ONNX Runtime's); interval calibration runs `model` in tfjs */
  forward: Forward;
  card: ModelCard;
  /** the file to forecast from, loaded with the card's transforms (inputs only) */
  data: ForecastDataset;
  /** the card's training data, to calibrate rolled-out steps' intervals; undefined when it is not there */
  training?: Dataset;
  steps?: number;
  from?: string;
  /** the series to forecast (a file with several); default every one */
  series?: string[];
}

/** The series to forecast: every one of the file, or those --series names (each must be in it). */
function chosenSeries(data: ForecastDataset, wanted?: string[]): number[] {
  const names = data.forecast.seriesNames;
  if (wanted === undefined) return names.map((_, s) => s);
  const missing = wanted.filter((w) => !names.includes(w));
  if (missing.length > 0)
    throw new UsageError(
      `--series: expected series of ${data.summary.file}, got ${missing.map((m) => JSON.stringify(m)).join(', ')} ` +
        `(it has ${names.length}: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''})`,
    );
  return wanted.map((w) => names.indexOf(w));
}

/**
 * Each chosen series' window end: its last row, or the row --from names (a time of the time column, or a data-row
 * index as in lstm-eval's id column). A series without a whole window up to it is refused.
 */
export function originRows(data: ForecastDataset, series: number[], from: string | undefined): number[] {
  const info = data.forecast;
  const time = info.time;
  const pattern = time?.form.kind === 'number' ? undefined : time?.form.pattern;
  const parsed = from === undefined ? undefined : (parseTimeIn(from, pattern) ?? parseTime(from));
  const asTime = time !== undefined && parsed !== undefined && parsed.form.kind === time.form.kind;
  const byRow =
    from !== undefined && !asTime && /^\d+$/.test(from) ? Array.from(info.rowIds).indexOf(Number(from)) : -1;
  const rows = series.flatMap((s) => {
    const [start, end] = info.seriesBounds[s];
    if (from === undefined) return [end - 1];
    if (asTime && time && parsed) {
      const r = time.values.subarray(start, end).indexOf(parsed.value);
      return r < 0 ? [] : [start + r];
    }
    return byRow >= start && byRow < end ? [byRow] : [];
  });
  if (from !== undefined && rows.length === 0) {
    const span = time
      ? `its times run from ${formatTime(time.values[0], time.form)} to ${formatTime(time.values[info.series.rows - 1], time.form)}`
      : `its data rows run from 0 to ${info.rowIds[info.series.rows - 1]}`;
    throw new UsageError(
      `--from: expected ${time ? 'a time of the file, or ' : ''}a data-row index of ${data.summary.file}, got "${from}" (${span})`,
    );
  }
  for (const r of rows)
    if (r - info.seriesBounds[info.seriesOf[r]][0] < info.window - 1) {
      const where = from === undefined ? 'the file' : `--from ${from}`;
      const series =
        info.seriesNames.length > 1 ? ` in series ${JSON.stringify(info.seriesNames[info.seriesOf[r]])}` : '';
      throw new UsageError(
        `${where}: expected a whole window (${info.window} rows) up to the forecast's start${series}`,
      );
    }
  return rows;
}

/** How far past its origin a forecast of `steps` reads known-future inputs (0 without them). */
function futureReach(info: ForecastDataset['forecast'], steps: number): number {
  const future = info.layout.future;
  if (!future) return 0;
  // a rollout's last window ends (rounds − 1) × leads rows later, and reads `shift` rows past that
  return (Math.ceil(steps / info.leads.length) - 1) * info.leads.length + future.shift;
}

/** How many of its series' future rows a forecast of `steps` from row r reads (≤ 0: none, or no future inputs). */
function futureRowsNeeded(info: ForecastDataset['forecast'], r: number, steps: number): number {
  const reach = futureReach(info, steps);
  return reach === 0 ? 0 : r + reach - (info.seriesBounds[info.seriesOf[r]][1] - 1);
}

/**
 * With known-future columns, a forecast from row r reads them up to `shift` rows later: from the series' own rows,
 * or past its end from its future rows, which must be there.
 */
function checkFuture(data: ForecastDataset, r: number, o: { from?: string; steps: number }): void {
  const info = data.forecast;
  const future = info.layout.future;
  if (!future || !info.futureRows) return;
  const s = info.seriesOf[r];
  const needed = futureRowsNeeded(info, r, o.steps);
  const reach = futureReach(info, o.steps);
  if (needed <= info.futureRows[s]) return;
  const where = info.seriesNames.length > 1 ? ` of series ${JSON.stringify(info.seriesNames[s])}` : '';
  const read = o.steps > info.leads.length ? `--steps ${o.steps} reads them` : 'data.futureFeatures are read';
  throw new DataError(
    o.from === undefined ? data.summary.file : `${data.summary.file} (--from ${o.from})`,
    `expected ${futureNeeded(needed, data.targetNames, futureColumns(future), where)}: ${read} up to ${reach} steps ` +
      `after the forecast's start; found ${info.futureRows[s]}`,
    "add the future rows, with the known values, after each series' last observed row",
  );
}

/** Rolled-out steps' interval half-widths from the same rollout run from every val window of the training data. */
async function rolloutIntervals(
  r: ForecastRequest,
  steps: number,
  sources: Int32Array,
): Promise<Intervals | undefined> {
  if (r.training === undefined) return undefined;
  const training = own(r.training, 'forecast');
  const info = training.forecast;
  const valEnds = info.seriesBounds.map(([a, b]) => a + chronologicalSegments(b - a, r.card.config.data.split).val[1]);
  // the truth stays inside each series' val part, and known-future inputs inside what the file holds
  const known = (e: number) => futureRowsNeeded(info, e, steps) <= (info.futureRows?.[info.seriesOf[e]] ?? 0);
  const origins = Array.from(training.splits.val.ends).filter((e) => e + steps < valEnds[info.seriesOf[e]] && known(e));
  if (origins.length === 0) return undefined;
  const frequency = r.card.fitted.forecast?.time?.frequency;
  const t = training.targetNames.length;
  const scaled = await rollout(tfjsForward(r.model), training, origins, steps, sources, frequency);
  const yPred = inverseRows(scaled, steps * t, (i) => info.targetScalerOf(info.seriesOf[origins[i]]));
  const yTrue = new Float32Array(yPred.length);
  origins.forEach((e, i) => yTrue.set(info.targetRaw.subarray((e + 1) * t, (e + 1 + steps) * t), i * steps * t));
  const leads = Array.from({ length: steps }, (_, k) => k + 1);
  const units = seriesUnits(
    training,
    Array.from(origins, (e) => info.seriesOf[e]),
  );
  const p = { task: 'forecast' as const, loss: NaN, count: origins.length, leads, targets: t, yTrue, yPred, units };
  return conformalWidths(p, info.intervalLevels);
}

/** The targets before a forecast, for the plot: the last three windows up to the origin. */
function historyBefore(data: ForecastDataset, origin: number, series?: string): FutureForecast['history'] {
  const info = data.forecast;
  if (!info.hasTargets) return [];
  const t = data.targetNames.length;
  const first = Math.max(info.seriesBounds[info.seriesOf[origin]][0], origin - 3 * info.window + 1);
  return Array.from({ length: origin - first + 1 }, (_, i) => {
    const row = first + i;
    const x = info.time ? info.time.values[row] : info.rowIds[row];
    return {
      ...(series !== undefined ? { series } : {}),
      x,
      values: Array.from(info.targetRaw.subarray(row * t, (row + 1) * t)),
    };
  });
}

/**
 * The next steps after each origin: the model's direct forecast of its leads, or (`steps` beyond them) a
 * recursive rollout. Intervals: the checkpoint's for the direct steps (or calibrated now on the training data's
 * val split when it has none), and for rolled-out steps the same rollout run from every val window.
 */
export async function forecastFuture(
  r: ForecastRequest,
  direct: { intervals?: Intervals; notes: string[] },
): Promise<FutureForecast> {
  const { data } = r;
  const info = data.forecast;
  const chosen = chosenSeries(data, r.series);
  const origins = originRows(data, chosen, r.from);
  const horizon = info.leads.length;
  const steps = r.steps ?? horizon;
  const rolled = steps > horizon;
  const sources = rolled ? rolloutSources(data, steps) : new Int32Array(data.featureNames.length);
  const frequency = r.card.fitted.forecast?.time?.frequency ?? info.time?.frequency;
  const count = Math.max(steps, horizon);
  for (const o of origins) checkFuture(data, o, { from: r.from, steps: count });
  const t = data.targetNames.length;
  const scaled = await rollout(r.forward, data, origins, count, sources, frequency);
  const values = inverseRows(scaled, count * t, (i) => info.targetScalerOf(info.seriesOf[origins[i]]));
  const rolledOut = calibratedLevels(rolled ? await rolloutIntervals(r, steps, sources) : undefined);
  // one set of levels for every step: the direct steps' (rolled-out steps calibrated for other levels have none)
  const sameLevels = (direct.intervals?.levels ?? []).join() === (rolledOut.intervals?.levels ?? []).join();
  const later = direct.intervals === undefined || sameLevels ? rolledOut.intervals : undefined;
  const notes = [...direct.notes, ...rolledOut.notes.map((n) => `steps past ${horizon}: ${n}`)];
  if (rolled && later === undefined)
    notes.push(
      `steps past ${horizon} have no intervals: the training data's val split is not there, or too short, to calibrate them`,
    );
  const many = info.seriesNames.length > 1;
  const time = info.time;
  const aheads = rolled ? Array.from({ length: steps }, (_, k) => k + 1) : info.leads.slice(0, steps);
  const out = origins.flatMap((origin, o) => {
    const series = many ? info.seriesNames[info.seriesOf[origin]] : undefined;
    const end = info.seriesBounds[info.seriesOf[origin]][1];
    return aheads.map((step, k): FutureStep => {
      const v = Array.from(values.subarray((o * count + k) * t, (o * count + k + 1) * t));
      const intervals = k < horizon ? direct.intervals : later;
      const widths = intervals && halfWidths(intervals, k, info.targetScalerOf(info.seriesOf[origin]).scale);
      const when = time && frequency ? stepTime(time.values[origin], step, frequency) : undefined;
      const row = origin + step;
      const actual =
        row < end && info.hasTargets ? Array.from(info.targetRaw.subarray(row * t, (row + 1) * t)) : undefined;
      return {
        ...(series !== undefined ? { series } : {}),
        step,
        ...(when !== undefined && time ? { time: formatTime(when, time.form) } : {}),
        x: when ?? info.rowIds[origin] + step,
        values: v,
        ...(widths
          ? { lower: widths.map((w) => v.map((x, j) => x - w[j])), upper: widths.map((w) => v.map((x, j) => x + w[j])) }
          : {}),
        ...(actual ? { actual } : {}),
      };
    });
  });
  return {
    task: 'forecast',
    targets: data.targetNames,
    levels: direct.intervals?.levels ?? later?.levels ?? [],
    origins: origins.map((origin) => ({
      ...(many ? { series: info.seriesNames[info.seriesOf[origin]] } : {}),
      row: info.rowIds[origin],
      ...(time ? { time: formatTime(time.values[origin], time.form) } : {}),
    })),
    steps: out,
    history: origins.flatMap((origin) =>
      historyBefore(data, origin, many ? info.seriesNames[info.seriesOf[origin]] : undefined),
    ),
    temporal: time !== undefined && time.form.kind !== 'number',
    notes,
  };
}
