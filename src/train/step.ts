// One optimisation step in train mode: forward with dropout, the task's loss, gradients, clipping, update.
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/types.js';
import { anchorPenalty, type AnchorTerms } from '../models/anchor.js';
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
  /** the model, or for an ensemble its training view: every member's output, each trained on its own loss */
  view: tf.LayersModel;
  /** per member, its variables' names: each member's gradients are clipped by their own global norm */
  groups: string[][];
  variables: tf.Variable[];
  optimizer: tf.Optimizer;
  task: Task;
  outputSize: number;
  clipNorm: number;
  /** decoupled weight decay (AdamW): after the update, each kernel (rank ≥ 2) × (1 − learningRate × weightDecay) */
  weightDecay: number;
  /** classify: each class's weight in the loss [classes] (train.classWeights) */
  classWeights?: tf.Tensor1D;
  /** a layer held near its start: its penalty joins the loss */
  anchor?: AnchorTerms;
  /** with variables left out (frozen): every trainable variable's name in order, for the optimizer's moments */
  order?: string[];
}

/** w ← keep × w for every kernel; biases (rank 1) are not decayed, as in the usual AdamW setup. */
function decay(variables: tf.Variable[], keep: number): void {
  for (const v of variables) if (v.rank >= 2) v.assign(tf.mul(v, keep));
}

function clipByMember(grads: tf.NamedTensorMap, groups: string[][], clipNorm: number): tf.NamedTensorMap {
  if (groups.length === 1) return clipByGlobalNorm(grads, clipNorm);
  const clipped = groups.map((names) =>
    clipByGlobalNorm(Object.fromEntries(names.map((n) => [n, grads[n]])), clipNorm),
  );
  return Object.assign({}, ...clipped) as tf.NamedTensorMap;
}

/**
 * The gradients in the order of every trainable variable, a frozen one's undefined: optimizers keep their moments by
 * position, so a variable left out must keep its place (an optimizer skips a missing gradient).
 */
function inPlace(grads: tf.NamedTensorMap, order: string[]): tf.NamedTensorMap {
  return Object.fromEntries<tf.Tensor>(order.map((name) => [name, grads[name]]));
}

export function trainStep(s: StepInputs, batch: Batch, learningRate: number): StepResult {
  return tf.tidy(() => {
    const x = batchInputs(batch);
    const y = s.task.targetTensor(batch, s.outputSize);
    let output: tf.Tensor2D | undefined;
    let data: tf.Scalar | undefined;
    // Σ of the members' losses: each member's gradient is its own loss's, as if it were trained alone
    const { grads } = tf.variableGrads(() => {
      const members = [s.view.apply(x, { training: true }) as tf.Tensor2D | tf.Tensor2D[]].flat(); // k × [batch, out]
      output = tf.keep(members.length === 1 ? members[0] : tf.div<tf.Tensor2D>(tf.addN(members), members.length));
      data = tf.keep(tf.addN<tf.Scalar>(members.map((m) => s.task.loss(m, y, s.classWeights))));
      return s.anchor && s.anchor.pairs.length > 0 ? tf.add<tf.Scalar>(data, anchorPenalty(s.anchor)) : data;
    }, s.variables);
    const clipped = clipByMember(grads, s.groups, s.clipNorm);
    s.optimizer.applyGradients(s.order ? inPlace(clipped, s.order) : clipped);
    // decoupled decay pulls kernels towards zero: not an anchored one, which its penalty pulls towards its start
    if (s.weightDecay > 0)
      decay(
        s.variables.filter((v) => !s.anchor?.names.has(v.name)),
        1 - learningRate * s.weightDecay,
      );
    const [kept, loss] = [output as tf.Tensor2D, data as tf.Scalar]; // set by the loss function, which has run
    // the members' mean loss (the data's, without an anchor's penalty), and the ensemble's output for the metric
    const result = { loss: loss.dataSync()[0] / s.groups.length, output: kept.dataSync() as Float32Array };
    tf.dispose([kept, loss]);
    return result;
  });
}
