// One optimisation step in train mode: forward with dropout, loss, gradients, global-norm clipping, update.
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/types.js';
import { clipByGlobalNorm, batchInputs, targetTensor, taskLoss, type Task } from './loss.js';

export interface StepResult {
  loss: number;
  /** the train-mode outputs of the step [batch, outputSize] (logits or scaled targets), for the running metric */
  output: Float32Array;
}

/** The variables a step updates: the model's trainable weights (read once per epoch, not per batch). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

export function trainStep(
  model: tf.LayersModel,
  variables: tf.Variable[],
  optimizer: tf.Optimizer,
  task: Task,
  batch: Batch,
  outputSize: number,
  clipNorm: number,
): StepResult {
  return tf.tidy(() => {
    const x = batchInputs(batch);
    const y = targetTensor(task, batch, outputSize);
    let output: tf.Tensor2D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      output = tf.keep(model.apply(x, { training: true }) as tf.Tensor2D);
      return taskLoss(task, output, y);
    }, variables);
    optimizer.applyGradients(clipByGlobalNorm(grads, clipNorm));
    const result = { loss: value.dataSync()[0], output: output!.dataSync() as Float32Array };
    output!.dispose();
    return result;
  });
}
