// One optimisation step in train mode: forward with dropout, loss, gradients, global-norm clipping, update.
import * as tf from '@tensorflow/tfjs';
import type { Batch, Scaler } from '../data/types.js';
import { clipByGlobalNorm, batchInputs, targetTensor, taskLoss, type Task } from './loss.js';

export interface StepResult {
  loss: number;
  /** sum over the batch of the headline metric's per-example value (abs error in original units, or hits) */
  metricSum: number;
}

/** Per-example contribution to the headline metric, computed from the train-mode outputs of the step. */
function metricSum(task: Task, output: tf.Tensor2D, target: tf.Tensor2D, targetScaler?: Scaler): number {
  return tf.tidy(() => {
    if (task === 'classify') return tf.sum(tf.equal(tf.argMax(output, 1), tf.argMax(target, 1))).dataSync()[0];
    const scale = targetScaler ? tf.tensor1d(targetScaler.scale) : tf.scalar(1);
    const absErr = tf.mul(tf.abs(tf.sub(output, target)), scale); // original units: |Δ| × scale
    return tf.sum(absErr).dataSync()[0] / output.shape[1];
  });
}

export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  task: Task,
  batch: Batch,
  outputSize: number,
  clipNorm: number,
  targetScaler?: Scaler,
): StepResult {
  return tf.tidy(() => {
    const x = batchInputs(batch);
    const y = targetTensor(task, batch, outputSize);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    let output: tf.Tensor2D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      output = tf.keep(model.apply(x, { training: true }) as tf.Tensor2D);
      return taskLoss(task, output, y);
    }, variables);
    optimizer.applyGradients(clipByGlobalNorm(grads, clipNorm));
    const result = { loss: value.dataSync()[0], metricSum: metricSum(task, output!, y, targetScaler) };
    output!.dispose();
    return result;
  });
}
