// A forecaster's outputs back in original units: each window's level restored, then the target scaler inverted.
import type { Batch, ForecastDataset } from '../../data/types.js';
import { inverseRows } from '../../data/scaler.js';
import { restoreLevel } from '../../data/window-level.js';
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
      out[b * perExample + k] = restoreLevel(out[b * perExample + k], r.offset[j], r.scale[j]);
    }
  return out;
}

/** A batch's outputs and targets in original units. */
export function inUnits(dataset: ForecastDataset, batch: Batch, output: ArrayLike<number>) {
  const t = dataset.targetNames.length;
  const info = dataset.forecast;
  const scalerOf = (b: number) => info.targetScalerOf(batch.series?.[b] ?? 0);
  const unscale = (v: ArrayLike<number>) =>
    inverseRows(restoreLevels(v, batch, t), v.length / batch.batchSize, scalerOf);
  return { yTrue: unscale(batch.y), yPred: unscale(output) };
}

/** scaleBy "series": each example's target scales [examples, targets], which its interval widths are in. */
export function seriesUnits(dataset: ForecastDataset, seriesOfExample: ArrayLike<number>): Float32Array | undefined {
  if (dataset.fitted.forecast?.seriesScalers === undefined) return undefined;
  const t = dataset.targetNames.length;
  const units = new Float32Array(seriesOfExample.length * t);
  for (let i = 0; i < seriesOfExample.length; i++)
    units.set(dataset.forecast.targetScalerOf(seriesOfExample[i]).scale, i * t);
  return units;
}

export function forecastCollector(dataset: ForecastDataset, size: number): Collector {
  const width = dataset.outputSize;
  const yTrue = new Float32Array(size * width);
  const yPred = new Float32Array(size * width);
  const series = new Int32Array(size);
  return {
    add(batch, start, shown) {
      const units = inUnits(dataset, batch, shown);
      yTrue.set(units.yTrue, start * width);
      yPred.set(units.yPred, start * width);
      if (batch.series) series.set(batch.series, start);
    },
    finish: (loss): ForecastPredictions => ({
      task: 'forecast',
      loss,
      count: size,
      leads: dataset.forecast.leads,
      targets: dataset.targetNames.length,
      yTrue,
      yPred,
      ...(dataset.fitted.forecast?.seriesScalers ? { units: seriesUnits(dataset, series) } : {}),
    }),
  };
}
