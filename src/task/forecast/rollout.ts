// Forecasts past the horizon by feeding the model's own forecasts back in as the next rows of its window.
import { calendarEncoder, timesSource, writeRows } from '../../data/encoders/index.js';
import { calendarNames, futureColumns, futureNames, oneHotNames, oneHotWidth } from '../../data/features.js';
import { windowBatch } from '../../data/windows.js';
import { stepTime, type Frequency } from '../../data/time.js';
import type { Batch, ForecastDataset, Series } from '../../data/types.js';
import { UsageError } from '../../errors.js';
import { restoreLevels } from './predictions.js';
import type { Forward } from '../forward.js';

/** A feature's next value in a rollout: a target's forecast (its index), or computed from the time (CALENDAR). */
const CALENDAR = -2;
/** a known-future input: from the series' later rows, or past its end from its future rows */
const FUTURE = -3;
/** a feature of a known-future column: the row's own value, from the series or its future rows */
const OWN = -4;

/**
 * Where each input's next value comes from: a numeric feature must be a target; calendar inputs follow the time;
 * a categorical input (or a numeric feature that is not a target) has no future value, and is refused by name.
 */
export function rolloutSources(dataset: ForecastDataset, steps: number): Int32Array {
  const { layout, leads } = dataset.forecast;
  if (leads.some((lead, k) => lead !== k + 1))
    throw new UsageError(
      `--steps ${steps}: this model predicts only step ${leads.join(', ')} ahead (it was trained before multi-step ` +
        'forecasts), so it cannot roll out past it',
    );
  // a feature comes from the forecasts (a target), or from the future rows (a known-future column), or nowhere
  const known = new Set(layout.future ? futureColumns(layout.future) : []);
  const numeric = layout.numeric.map((f) => {
    const j = dataset.targetNames.indexOf(f);
    return j >= 0 ? j : known.has(f) ? OWN : j;
  });
  const unknown = [
    ...layout.numeric.filter((_, f) => numeric[f] === -1),
    ...layout.categories.map((c) => c.column).filter((c) => !known.has(c)),
  ];
  if (unknown.length > 0)
    throw new UsageError(
      `--steps ${steps}: forecasting past the horizon (${leads.length}) feeds the forecasts back in as inputs, ` +
        `which needs every feature to be a target (or a calendar feature, or in data.futureFeatures); these features have no future values: ${unknown.join(', ')}`,
      `ask for at most --steps ${leads.length}, or train with these columns among data.targets or data.futureFeatures`,
    );
  const oneHot = layout.categories.flatMap((c) => oneHotNames(c).map(() => (known.has(c.column) ? OWN : -1)));
  const calendar = layout.calendar.flatMap(calendarNames).map(() => CALENDAR);
  const future = layout.future ? futureNames(layout.future).map(() => FUTURE) : [];
  return Int32Array.from([...numeric, ...oneHot, ...calendar, ...future]);
}

/** The model's forecasts for a batch of windows: [batch, leads, targets] in scaled target units (levels restored). */
async function forecastBatch(forward: Forward, batch: Batch, targets: number): Promise<Float32Array> {
  return restoreLevels(await forward(batch), batch, targets);
}

/** A growing copy of a series' last window, for one origin: the rows forecasts are appended to, and its time. */
interface Copy {
  s: Series;
  series: number;
  time?: number;
  /** the series row its last row is (rows past the series' end continue the count) */
  end: number;
}

function windowCopy(data: ForecastDataset, end: number): Copy {
  const { series: s, window, seriesOf, time } = data.forecast;
  const first = end - window + 1;
  return {
    s: {
      ...s,
      rows: window,
      x: s.x.slice(first * s.features, (end + 1) * s.features),
      y: s.y.slice(first * s.targets, (end + 1) * s.targets),
    },
    series: seriesOf[end],
    time: time?.values[end],
    end,
  };
}

/** Appends forecast rows (scaled target units [leads, targets]) as new rows of inputs and targets. */
function append(
  c: Copy,
  forecast: Float32Array,
  data: ForecastDataset,
  sources: Int32Array,
  frequency?: Frequency,
): Copy {
  const { s } = c;
  const info = data.forecast;
  const [tScaler, fScaler] = [info.targetScalerOf(c.series), info.featureScalerOf(c.series)];
  const rows = forecast.length / s.targets;
  const x = new Float32Array((s.rows + rows) * s.features);
  x.set(s.x);
  const y = new Float32Array((s.rows + rows) * s.targets);
  y.set(s.y);
  y.set(forecast, s.rows * s.targets);
  for (let r = 0; r < rows; r++)
    for (let f = 0; f < info.layout.numeric.length; f++) {
      const j = sources[f];
      if (j < 0) continue;
      const value = forecast[r * s.targets + j] * tScaler.scale[j] + tScaler.offset[j]; // original units
      x[(s.rows + r) * s.features + f] = (value - fScaler.offset[f]) / fScaler.scale[f];
    }
  if (sources.includes(OWN)) {
    const ownWidth = info.layout.numeric.length + oneHotWidth(info.layout.categories);
    for (let r = 0; r < rows; r++) {
      const own = inputsAt(info, c.series, c.end + 1 + r, [0, ownWidth], info.futureOwn?.[c.series]);
      sources.forEach((source, f) => {
        if (source === OWN) x[(s.rows + r) * s.features + f] = own[f];
      });
    }
  }
  const calendarAt = sources.indexOf(CALENDAR);
  const time = c.time !== undefined && frequency ? c.time : undefined;
  if (calendarAt >= 0 && time !== undefined && frequency && info.time) {
    const times = Array.from({ length: rows }, (_, r) => stepTime(time, r + 1, frequency));
    const write = calendarEncoder(info.layout.calendar, info.time.form).bind(timesSource(times));
    writeRows(write, 0, rows, x, s.features, s.rows * s.features + calendarAt);
  }
  const futureAt = sources.indexOf(FUTURE);
  if (futureAt >= 0)
    for (let r = 0; r < rows; r++) {
      const later = inputsAt(info, c.series, c.end + 1 + r, [futureAt, s.features], info.futureTails?.[c.series]);
      x.set(later, (s.rows + r) * s.features + futureAt);
    }
  const next = time !== undefined && frequency ? stepTime(time, rows, frequency) : undefined;
  return { ...c, s: { ...s, rows: s.rows + rows, x, y }, time: next, end: c.end + rows };
}

/**
 * Series row q's inputs [from, to): inside the series its own row, past its end the row of `tail` that its future
 * rows give (the future rows' own inputs, or their known-future inputs).
 */
function inputsAt(
  info: ForecastDataset['forecast'],
  series: number,
  q: number,
  [from, to]: [number, number],
  tail: Float32Array | undefined,
): Float32Array {
  const { x, features } = info.series;
  const end = info.seriesBounds[series][1];
  if (q < end) return x.subarray(q * features + from, q * features + to);
  const [width, k] = [to - from, q - end];
  if (!tail || (k + 1) * width > tail.length)
    throw new Error(`rollout: series row ${q} is past the future rows (checked before the rollout starts)`);
  return tail.subarray(k * width, (k + 1) * width);
}

/**
 * The next `steps` values of every target after each of the series rows `origins`, [origins, steps, targets] in
 * scaled target units of each origin's series: the direct forecast for the first `leads` steps, then round after
 * round the model's own forecasts appended to its window. Every origin runs in the same batch.
 */
export async function rollout(
  forward: Forward,
  data: ForecastDataset,
  origins: ArrayLike<number>,
  steps: number,
  sources: Int32Array,
  frequency?: Frequency,
): Promise<Float32Array> {
  const { leads, window, windowLevel } = data.forecast;
  const spec = { window, leads, level: windowLevel };
  const t = data.targetNames.length;
  let copies = Array.from(origins, (end) => windowCopy(data, end));
  const out = new Float32Array(origins.length * steps * t);
  for (let done = 0; done < steps; done += leads.length) {
    const batches = copies.map((c) => windowBatch(c.s, spec, [c.s.rows - 1], windowLevel, { targets: false }));
    const forecast = await forecastBatch(forward, concat(batches), t); // [origins, leads, targets]
    const take = Math.min(leads.length, steps - done);
    copies = copies.map((c, i) => {
      const mine = forecast.subarray(i * leads.length * t, (i + 1) * leads.length * t);
      out.set(mine.subarray(0, take * t), (i * steps + done) * t);
      return done + take < steps ? append(c, mine, data, sources, frequency) : c;
    });
  }
  return out;
}

/** One batch of several one-window batches (no targets). */
function concat(batches: Batch[]): Batch {
  const join = (parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const [first] = batches;
  const restore = first.restore && {
    offset: join(batches.map((b) => b.restore?.offset ?? new Float32Array(0))),
    scale: join(batches.map((b) => b.restore?.scale ?? new Float32Array(0))),
  };
  return {
    batchSize: batches.length,
    steps: first.steps,
    features: first.features,
    x: join(batches.map((b) => b.x)),
    y: new Float32Array(0),
    ...(restore ? { restore } : {}),
  };
}
