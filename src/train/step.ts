// One optimisation step in train mode: forward with dropout, the task's loss, gradients, clipping, update.
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/types.js';
import { batchInputs } from '../task/batch.js';
import type { Task } from '../task/index.js';
import { clipByGlobalNorm } from './clip.js';

export interface StepResult {
  loss: number;
  /** the train-mode outputs of the step [batch, outputSize] (logits or scaled targets), for the running metric */
  output: Float32Array;
}

/** The variables a step updates: the model's trainable weights (read once per epoch, not per batch). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

export interface StepInputs {
  model: tf.LayersModel;
  variables: tf.Variable[];
  optimizer: tf.Optimizer;
  task: Task;
  outputSize: number;
  clipNorm: number;
  /** decoupled weight decay (AdamW): after the update, each kernel (rank ≥ 2) × (1 − learningRate × weightDecay) */
  weightDecay: number;
  /** classify: each class's weight in the loss [classes] (train.classWeights) */
  classWeights?: tf.Tensor1D;
}

/** w ← keep × w for every kernel; biases (rank 1) are not decayed, as in the usual AdamW setup. */
function decay(variables: tf.Variable[], keep: number): void {
  for (const v of variables) if (v.rank >= 2) v.assign(tf.mul(v, keep));
}

export function trainStep(s: StepInputs, batch: Batch, learningRate: number): StepResult {
  return tf.tidy(() => {
    const x = batchInputs(batch);
    const y = s.task.targetTensor(batch, s.outputSize);
    let output: tf.Tensor2D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      output = tf.keep(s.model.apply(x, { training: true }) as tf.Tensor2D);
      return s.task.loss(output, y, s.classWeights);
    }, s.variables);
    s.optimizer.applyGradients(clipByGlobalNorm(grads, s.clipNorm));
    if (s.weightDecay > 0) decay(s.variables, 1 - learningRate * s.weightDecay);
    const kept = output as tf.Tensor2D; // set by the loss function above, which variableGrads has run
    const result = { loss: value.dataSync()[0], output: kept.dataSync() as Float32Array };
    kept.dispose();
    return result;
  });
}
