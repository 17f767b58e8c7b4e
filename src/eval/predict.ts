// Runs a model over a split in eval mode, batch by batch, and returns the loss and outputs in original units.
import * as tf from '@tensorflow/tfjs';
import type { Batch, Dataset, SplitData, Scaler } from '../data/types.js';
import { inverseScaler } from '../data/scaler.js';
import { batchInputs, targetTensor, taskLoss } from '../train/loss.js';
import { accuracy, argmaxRows, meanAbsoluteError } from './metrics.js';

export interface Predictions {
  /** mean loss (scaled units for forecast, as in training) */
  loss: number;
  count: number;
  /** forecast: true and predicted targets [count, targets] in original units */
  yTrue?: Float32Array;
  yPred?: Float32Array;
  /** classify: true class indices [count] and softmax probabilities [count, classes] */
  labels?: Int32Array;
  probabilities?: Float32Array;
}

const toOriginalUnits = (values: ArrayLike<number>, scaler?: Scaler) =>
  scaler ? inverseScaler(scaler, values) : Float32Array.from(values);

export function predictSplit(
  model: tf.LayersModel,
  dataset: Dataset,
  split: SplitData,
  batchSize: number,
): Predictions {
  const n = split.size;
  const width = dataset.outputSize;
  const outputs = new Float32Array(n * width);
  const targets = new Float32Array(dataset.task === 'forecast' ? n * width : 0);
  const labels = new Int32Array(dataset.task === 'classify' ? n : 0);
  let lossSum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const batch = split.batch(indices);
    const [loss, out] = tf.tidy(() => {
      const y = targetTensor(dataset.task, batch, width);
      const raw = model.apply(batchInputs(batch), { training: false }) as tf.Tensor2D;
      const shown = dataset.task === 'classify' ? tf.softmax(raw) : raw;
      return [taskLoss(dataset.task, raw, y).dataSync()[0], shown.dataSync() as Float32Array];
    });
    lossSum += loss * indices.length;
    outputs.set(out, start * width);
    if (dataset.task === 'forecast') targets.set(batch.y as Float32Array, start * width);
    else labels.set(batch.y as Int32Array, start);
  }
  const loss = n > 0 ? lossSum / n : NaN;
  if (dataset.task === 'classify') return { loss, count: n, labels, probabilities: outputs };
  return {
    loss,
    count: n,
    yTrue: toOriginalUnits(targets, dataset.targetScaler),
    yPred: toOriginalUnits(outputs, dataset.targetScaler),
  };
}

/** The task's headline metric: MAE in original units (forecast) or accuracy (classify). */
export function headlineMetric(p: Predictions, classes: number): number {
  if (p.labels && p.probabilities) return accuracy(p.labels, argmaxRows(p.probabilities, classes));
  return meanAbsoluteError(p.yTrue!, p.yPred!);
}

/** The headline metric of one batch's outputs (logits or scaled targets), with the same code as predictSplit's. */
export function batchMetric(dataset: Dataset, batch: Batch, output: Float32Array): number {
  if (dataset.task === 'classify') return accuracy(batch.y, argmaxRows(output, dataset.outputSize));
  return meanAbsoluteError(
    toOriginalUnits(batch.y, dataset.targetScaler),
    toOriginalUnits(output, dataset.targetScaler),
  );
}

export const metricName = (task: 'forecast' | 'classify') => (task === 'forecast' ? 'mae' : 'accuracy');
