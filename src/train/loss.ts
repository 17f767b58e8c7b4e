// The task's loss on a batch: MSE on scaled targets (forecast) or softmax cross-entropy on logits (classify).
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/types.js';

export type Task = 'forecast' | 'classify';

/** Target tensor for a batch: [batch, targets] floats, or [batch, classes] one-hot. */
export function targetTensor(task: Task, batch: Batch, outputSize: number): tf.Tensor2D {
  if (task === 'forecast') return tf.tensor2d(batch.y as Float32Array, [batch.batchSize, outputSize]);
  return tf.tidy(() => tf.oneHot(tf.tensor1d(batch.y as Int32Array, 'int32'), outputSize).toFloat() as tf.Tensor2D);
}

/** The model's inputs for a batch: x [batch, steps, features], plus the mask [batch, steps] for padded sequences. */
export function batchInputs(batch: Batch): tf.Tensor | tf.Tensor[] {
  const x = tf.tensor3d(batch.x, [batch.batchSize, batch.steps, batch.features]);
  return batch.mask ? [x, tf.tensor2d(batch.mask, [batch.batchSize, batch.steps])] : x;
}

/** Mean loss over the batch (a scalar). */
export function taskLoss(task: Task, output: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  return task === 'forecast'
    ? (tf.losses.meanSquaredError(target, output) as tf.Scalar) // mean over batch and targets
    : (tf.losses.softmaxCrossEntropy(target, output) as tf.Scalar); // mean over batch; output = logits
}

/**
 * Scales gradients so their global L2 norm is at most `clipNorm` (0 disables), as torch's clip_grad_norm_ and
 * Keras's global_clipnorm do. Returns new tensors; the caller disposes the old ones.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, clipNorm: number): tf.NamedTensorMap {
  if (clipNorm <= 0) return grads;
  return tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    const norm = tf.sqrt(tf.addN(squares));
    const scale = tf.minimum(1, tf.div(clipNorm, tf.maximum(norm, 1e-12)));
    const out: tf.NamedTensorMap = {};
    for (const [name, g] of Object.entries(grads)) out[name] = tf.mul(g, scale);
    return out;
  });
}
