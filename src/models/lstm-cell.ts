// One LSTM time step written straight from the gate equations: the teaching version of the cell.
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights } from './types.js';

// A type alias, not an interface, so that tf.tidy can return it (tfjs's TensorContainer needs an index signature).
export type LstmState = {
  h: tf.Tensor2D; // [batch, hidden]
  c: tf.Tensor2D; // [batch, hidden]
};

/**
 * One step of an LSTM, as in Keras's LSTMCell (gate order i, f, g, o):
 *
 *   i_t = σ(U_i x_t + V_i h_{t-1} + b_i)        input gate
 *   f_t = σ(U_f x_t + V_f h_{t-1} + b_f)        forget gate
 *   g_t = tanh(U_g x_t + V_g h_{t-1} + b_g)     cell candidate
 *   o_t = σ(U_o x_t + V_o h_{t-1} + b_o)        output gate
 *   c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
 *   h_t = o_t ⊙ tanh(c_t)
 *
 * The four gates' pre-activations come from one matMul each for x and h (the weights hold all four gate
 * blocks side by side) and are then split. The caller owns memory: run it inside `tf.tidy`.
 */
export function lstmCell(x: tf.Tensor2D, prev: LstmState, weights: LstmWeights): LstmState {
  const { h: hPrev, c: cPrev } = prev; // [batch, hidden] each
  const z = tf.add(
    tf.add(tf.matMul(x, weights.kernel), tf.matMul(hPrev, weights.recurrentKernel)),
    weights.bias,
  ) as tf.Tensor2D; // [batch, 4*hidden]
  const [zi, zf, zg, zo] = tf.split(z, 4, 1); // 4 × [batch, hidden]
  const inputGate = tf.sigmoid(zi); // [batch, hidden]
  const forgetGate = tf.sigmoid(zf); // [batch, hidden]
  const cellCandidate = tf.tanh(zg); // [batch, hidden]
  const outputGate = tf.sigmoid(zo); // [batch, hidden]
  const c = tf.add(tf.mul(forgetGate, cPrev), tf.mul(inputGate, cellCandidate)) as tf.Tensor2D; // [batch, hidden]
  const h = tf.mul(outputGate, tf.tanh(c)) as tf.Tensor2D; // [batch, hidden]
  return { h, c };
}
