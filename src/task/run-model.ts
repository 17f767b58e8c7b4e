// Runs a model over a split in eval mode, batch by batch: the task's loss, and its predictions in original units.
import * as tf from '@tensorflow/tfjs';
import type { Batch, Dataset, SplitData } from '../data/types.js';
import { batchInputs } from './batch.js';
import type { Forward } from './forward.js';
import type { Predictions, Task } from './types.js';

/** The split in batches of `batchSize`, in order, each with the index of its first example. */
function* batchesOf(split: SplitData, batchSize: number): Generator<{ start: number; batch: Batch }> {
  for (let start = 0; start < split.size; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, split.size - start) }, (_, i) => start + i);
    yield { start, batch: split.batch(indices) };
  }
}

/** A batch's loss and the task's view of the head's raw outputs [batch, outputSize]. */
function lossAndShown(task: Task, dataset: Dataset, batch: Batch, raw: tf.Tensor2D): [number, Float32Array] {
  const y = task.targetTensor(batch, dataset.outputSize);
  return [task.loss(raw, y).dataSync()[0], task.shown(raw).dataSync() as Float32Array];
}

export function runModel(
  task: Task,
  model: tf.LayersModel,
  dataset: Dataset,
  split: SplitData,
  batchSize: number,
): Predictions {
  const collect = task.collector(dataset, split.size);
  let lossSum = 0;
  for (const { start, batch } of batchesOf(split, batchSize)) {
    const [loss, shown] = tf.tidy(() =>
      lossAndShown(task, dataset, batch, model.apply(batchInputs(batch), { training: false }) as tf.Tensor2D),
    );
    lossSum += loss * batch.batchSize;
    collect.add(batch, start, shown);
  }
  return collect.finish(split.size > 0 ? lossSum / split.size : NaN);
}

/** runModel with the forward pass given (tfjs's or ONNX Runtime's): the loss and the task's view taken in tfjs. */
export async function runForward(
  task: Task,
  forward: Forward,
  dataset: Dataset,
  split: SplitData,
  batchSize: number,
): Promise<Predictions> {
  const collect = task.collector(dataset, split.size);
  let lossSum = 0;
  for (const { start, batch } of batchesOf(split, batchSize)) {
    const raw = await forward(batch);
    const [loss, shown] = tf.tidy(() =>
      lossAndShown(task, dataset, batch, tf.tensor2d(raw, [batch.batchSize, dataset.outputSize])),
    );
    lossSum += loss * batch.batchSize;
    collect.add(batch, start, shown);
  }
  return collect.finish(split.size > 0 ? lossSum / split.size : NaN);
}
