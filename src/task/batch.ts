// A batch as the model's inputs: x [batch, steps, features], plus the mask [batch, steps] for padded sequences.
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/types.js';

export function batchInputs(batch: Batch): tf.Tensor | tf.Tensor[] {
  const x = tf.tensor3d(batch.x, [batch.batchSize, batch.steps, batch.features]);
  return batch.mask ? [x, tf.tensor2d(batch.mask, [batch.batchSize, batch.steps])] : x;
}
