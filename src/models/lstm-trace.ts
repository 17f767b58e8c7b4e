// One LSTM direction over a whole sequence with every gate kept: what the gate plots and the parity diagnosis read.
import * as tf from '@tensorflow/tfjs';
import { lstmGates, type GateQuantity, type LstmState } from './lstm-cell.js';
import { carryOverPadding } from './lstm-reference.js';
import type { LstmWeights } from './types.js';

/** i, f, g, o, c and h of every step, [batch, time, hidden] each, in processing order. */
export type LstmTrace = Record<GateQuantity, tf.Tensor3D>;

/**
 * Steps lstmGates from a zero state, as lstmReference does. At a padded step (mask 0) c and h carry over, as in
 * the model; the gates are kept as computed there, and mean nothing (a plot should leave them out).
 */
export function traceLstm(
  x: tf.Tensor3D,
  weights: LstmWeights,
  mask?: tf.Tensor2D,
  recurrentActivation?: (z: tf.Tensor) => tf.Tensor,
): LstmTrace {
  return tf.tidy(() => {
    const [batch, time] = x.shape;
    const hidden = weights.recurrentKernel.shape[0];
    const inputs = tf.unstack(x, 1) as tf.Tensor2D[]; // time × [batch, input]
    const stepMasks = mask && (tf.unstack(tf.expandDims(tf.cast(mask, 'float32'), 2), 1) as tf.Tensor2D[]); // time × [batch, 1]
    let state: LstmState = { h: tf.zeros([batch, hidden]), c: tf.zeros([batch, hidden]) };
    const steps: Record<GateQuantity, tf.Tensor2D>[] = [];
    for (let t = 0; t < time; t++) {
      const gates = lstmGates(inputs[t], state, weights, recurrentActivation);
      state = stepMasks === undefined ? gates : carryOverPadding(gates, state, stepMasks[t]);
      steps.push({ ...gates, c: state.c, h: state.h });
    }
    const stacked = (q: GateQuantity) =>
      tf.stack(
        steps.map((s) => s[q]),
        1,
      ) as tf.Tensor3D; // [batch, time, hidden]
    return { i: stacked('i'), f: stacked('f'), g: stacked('g'), o: stacked('o'), c: stacked('c'), h: stacked('h') };
  });
}
