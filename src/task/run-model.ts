// Runs a model over a split in eval mode, batch by batch: the task's loss, and its predictions in original units.
import * as tf from '@tensorflow/tfjs';
import type { Dataset, SplitData } from '../data/types.js';
import { batchInputs } from './batch.js';
import type { Forward } from './forward.js';
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

/** runModel with the forward pass given (tfjs's or ONNX Runtime's): the loss and the task's view taken in tfjs. */
export async function runForward(
  task: Task,
  forward: Forward,
  dataset: Dataset,
  split: SplitData,
  batchSize: number,
): Promise<Predictions> {
  const n = split.size;
  const collect = task.collector(dataset, n);
  let lossSum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const batch = split.batch(indices);
    const raw = await forward(batch);
    const [loss, shown] = tf.tidy(() => {
      const y = task.targetTensor(batch, dataset.outputSize);
      const output = tf.tensor2d(raw, [indices.length, dataset.outputSize]);
      return [task.loss(output, y).dataSync()[0], task.shown(output).dataSync() as Float32Array];
    });
    lossSum += loss * indices.length;
    collect.add(batch, start, shown);
  }
  return collect.finish(n > 0 ? lossSum / n : NaN);
}
