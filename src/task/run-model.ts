// Runs a model over a split in eval mode, batch by batch: the task's loss, and its predictions in original units.
import * as tf from '@tensorflow/tfjs';
import type { Dataset, SplitData } from '../data/types.js';
import { batchInputs } from './batch.js';
import type { Predictions, Task } from './types.js';

export function runModel(
  task: Task,
  model: tf.LayersModel,
  dataset: Dataset,
  split: SplitData,
  batchSize: number,
): Predictions {
  const n = split.size;
  const collect = task.collector(dataset, n);
  let lossSum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const batch = split.batch(indices);
    const [loss, shown] = tf.tidy(() => {
      const y = task.targetTensor(batch, dataset.outputSize);
      const raw = model.apply(batchInputs(batch), { training: false }) as tf.Tensor2D;
      return [task.loss(raw, y).dataSync()[0], task.shown(raw).dataSync() as Float32Array];
    });
    lossSum += loss * indices.length;
    collect.add(batch, start, shown);
  }
  return collect.finish(n > 0 ? lossSum / n : NaN);
}
