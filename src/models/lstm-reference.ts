// The reference sequence kernel: loops the equation-level cell over time, honouring the padding mask.
import * as tf from '@tensorflow/tfjs';
import { lstmCell, type LstmState } from './lstm-cell.js';
import type { LstmSequenceFn } from './types.js';
import './tfjs-patches.js'; // unstack of a length-1 sequence must be differentiable

/**
 * Runs `lstmCell` step by step from a zero state. With a mask, a padded step (mask 0) leaves h and c as they
 * were and its output repeats the previous h, exactly as tfjs-layers' rnn() does:
 * `new = step * m + prev * (1 - m)` (so leading padding outputs zeros, trailing padding repeats the last h).
 */
export const lstmReference: LstmSequenceFn = (x, weights, mask) =>
  tf.tidy(() => {
    const [batch, time] = x.shape;
    const hidden = weights.recurrentKernel.shape[0];
    const inputs = tf.unstack(x, 1) as tf.Tensor2D[]; // time × [batch, input]
    const stepMasks =
      mask === undefined ? undefined : (tf.unstack(tf.expandDims(tf.cast(mask, 'float32'), 2), 1) as tf.Tensor2D[]); // time × [batch, 1]
    let state: LstmState = { h: tf.zeros([batch, hidden]), c: tf.zeros([batch, hidden]) };
    const outputs: tf.Tensor2D[] = [];
    for (let t = 0; t < time; t++) {
      const prev = state;
      state = tf.tidy(() => {
        const next = lstmCell(inputs[t], prev, weights);
        return stepMasks === undefined ? next : carryOverPadding(next, prev, stepMasks[t]);
      });
      outputs.push(state.h);
    }
    return { outputs: tf.stack(outputs, 1) as tf.Tensor3D, h: state.h, c: state.c };
  });

/** Where `m` is 0 (padding) the previous state survives; written as tfjs-layers writes it, so results match bit for bit. */
export function carryOverPadding(next: LstmState, prev: LstmState, m: tf.Tensor2D): LstmState {
  const notM = tf.sub(1, m); // [batch, 1]
  const blend = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.add<tf.Tensor2D>(tf.mul(a, m), tf.mul(b, notM));
  return { h: blend(next.h, prev.h), c: blend(next.c, prev.c) };
}
