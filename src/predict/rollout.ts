// Forecasts past the horizon by feeding the model's own forecasts back in as the next rows of its window.
import * as tf from '@tensorflow/tfjs';
import { windowBatch } from '../data/forecast.js';
import type { Batch, ForecastDataset, Series } from '../data/types.js';
import { ConfigError } from '../errors.js';
import { batchInputs } from '../task/batch.js';
import { restoreLevels } from '../task/forecast/predictions.js';

/** For each feature, the target whose forecast is its next value: a rollout needs one for every feature. */
export function rolloutSources(dataset: ForecastDataset, steps: number): Int32Array {
  const sources = Int32Array.from(dataset.featureNames, (f) => dataset.targetNames.indexOf(f));
  const unknown = dataset.featureNames.filter((_, f) => sources[f] < 0);
  const leads = dataset.forecast.leads;
  if (leads.some((lead, k) => lead !== k + 1))
    throw new ConfigError('command line', [
      `--steps ${steps}: this model predicts only step ${leads.join(', ')} ahead (it was trained before multi-step ` +
        'forecasts), so it cannot roll out past it',
    ]);
  if (unknown.length > 0)
    throw new ConfigError(
      'command line',
      [
        `--steps ${steps}: forecasting past the horizon (${leads.length}) feeds the forecasts back in as inputs, ` +
          `which needs every feature to be a target; these features have no future values: ${unknown.join(', ')}`,
      ],
      `ask for at most --steps ${leads.length}, or train with these columns among data.targets`,
    );
  return sources;
}

/** The model's forecasts for a batch of windows: [batch, leads, targets] in scaled target units (levels restored). */
function forecastBatch(model: tf.LayersModel, batch: Batch, targets: number): Float32Array {
  const out = tf.tidy(() => (model.predict(batchInputs(batch)) as tf.Tensor).dataSync());
  return restoreLevels(out, batch, targets);
}

/** A growing copy of a series' last window, for one origin: the rows forecasts are appended to. */
function windowCopy(s: Series, end: number, window: number): Series {
  const first = end - window + 1;
  return {
    rows: window,
    x: s.x.slice(first * s.features, (end + 1) * s.features),
    features: s.features,
    y: s.y.slice(first * s.targets, (end + 1) * s.targets),
    targets: s.targets,
    targetFeature: s.targetFeature,
  };
}

/** Appends forecast rows (scaled target units [leads, targets]) as new rows of features and targets. */
function append(s: Series, forecast: Float32Array, dataset: ForecastDataset, sources: Int32Array): Series {
  const [tScaler, fScaler] = [dataset.targetScaler, dataset.featureScaler];
  const rows = forecast.length / s.targets;
  const x = new Float32Array((s.rows + rows) * s.features);
  x.set(s.x);
  const y = new Float32Array((s.rows + rows) * s.targets);
  y.set(s.y);
  y.set(forecast, s.rows * s.targets);
  for (let r = 0; r < rows; r++)
    for (let f = 0; f < s.features; f++) {
      const j = sources[f];
      const value = forecast[r * s.targets + j] * tScaler.scale[j] + tScaler.offset[j]; // original units
      x[(s.rows + r) * s.features + f] = (value - fScaler.offset[f]) / fScaler.scale[f];
    }
  return { ...s, rows: s.rows + rows, x, y };
}

/**
 * The next `steps` values of every target after each of the series rows `origins`, [origins, steps, targets] in
 * scaled target units: the direct forecast for the first `leads` steps, then round after round the model's own
 * forecasts appended to its window. Every origin runs in the same batch.
 */
export function rollout(
  model: tf.LayersModel,
  dataset: ForecastDataset,
  origins: number[],
  steps: number,
  sources: Int32Array,
): Float32Array {
  const { series, leads, window, windowLevel } = dataset.forecast;
  const spec = { window, leads, level: windowLevel };
  const t = series.targets;
  let copies = origins.map((end) => windowCopy(series, end, window));
  const out = new Float32Array(origins.length * steps * t);
  for (let done = 0; done < steps; done += leads.length) {
    const batches = copies.map((c) => windowBatch(c, spec, [c.rows - 1], windowLevel, false));
    const forecast = forecastBatch(model, concat(batches), t); // [origins, leads, targets]
    const take = Math.min(leads.length, steps - done);
    copies = copies.map((c, i) => {
      const mine = forecast.subarray(i * leads.length * t, (i + 1) * leads.length * t);
      out.set(mine.subarray(0, take * t), (i * steps + done) * t);
      return done + take < steps ? append(c, mine, dataset, sources) : c;
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
