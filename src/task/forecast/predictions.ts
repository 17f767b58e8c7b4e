// A forecaster's outputs back in original units: each window's level restored, then the target scaler inverted.
import type { Batch, ForecastDataset } from '../../data/types.js';
import { inverseScaler } from '../../data/scaler.js';
import type { Collector, ForecastPredictions } from '../types.js';

/**
 * Values laid out [batch, leads, targets] (the head's outputs, or a batch's targets) taken from the window's level
 * back to scaled levels: v · scale + offset for each example and target (absolute windows: as they are).
 */
export function restoreLevels(values: ArrayLike<number>, batch: Batch, targets: number): Float32Array {
  const out = Float32Array.from(values);
  const r = batch.restore;
  if (r === undefined) return out;
  const perExample = out.length / batch.batchSize;
  for (let b = 0; b < batch.batchSize; b++)
    for (let k = 0; k < perExample; k++) {
      const j = b * targets + (k % targets);
      out[b * perExample + k] = out[b * perExample + k] * r.scale[j] + r.offset[j];
    }
  return out;
}

/** A batch's outputs and targets in original units. */
export function inUnits(dataset: ForecastDataset, batch: Batch, output: ArrayLike<number>) {
  const t = dataset.targetNames.length;
  const unscale = (v: ArrayLike<number>) => inverseScaler(dataset.targetScaler, restoreLevels(v, batch, t));
  return { yTrue: unscale(batch.y), yPred: unscale(output) };
}

export function forecastCollector(dataset: ForecastDataset, size: number): Collector {
  const width = dataset.outputSize;
  const yTrue = new Float32Array(size * width);
  const yPred = new Float32Array(size * width);
  return {
    add(batch, start, shown) {
      const units = inUnits(dataset, batch, shown);
      yTrue.set(units.yTrue, start * width);
      yPred.set(units.yPred, start * width);
    },
    finish: (loss): ForecastPredictions => ({
      task: 'forecast',
      loss,
      count: size,
      leads: dataset.forecast.leads,
      targets: dataset.targetNames.length,
      yTrue,
      yPred,
    }),
  };
}
