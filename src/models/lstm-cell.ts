// One LSTM time step written straight from the gate equations: the teaching version of the cell.
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights } from './types.js';

// Type aliases, not interfaces, so that tf.tidy can return them (tfjs's TensorContainer needs an index signature).
export type LstmState = {
  h: tf.Tensor2D; // [batch, hidden]
  c: tf.Tensor2D; // [batch, hidden]
};

/** Everything one step computes: the four gates and the new state. */
export type LstmGates = LstmState & {
  i: tf.Tensor2D; // [batch, hidden] input gate
  f: tf.Tensor2D; // [batch, hidden] forget gate
  g: tf.Tensor2D; // [batch, hidden] cell candidate
  o: tf.Tensor2D; // [batch, hidden] output gate
};

/** The quantities a step computes, in the order the equations compute them. */
export const GATE_QUANTITIES = ['i', 'f', 'g', 'o', 'c', 'h'] as const;
export type GateQuantity = (typeof GATE_QUANTITIES)[number];

/**
 * One step of an LSTM, as in Keras's LSTMCell (gate order i, f, g, o), with every gate returned:
 *
 *   i_t = σ(U_i x_t + V_i h_{t-1} + b_i)        input gate
 *   f_t = σ(U_f x_t + V_f h_{t-1} + b_f)        forget gate
 *   g_t = tanh(U_g x_t + V_g h_{t-1} + b_g)     cell candidate
 *   o_t = σ(U_o x_t + V_o h_{t-1} + b_o)        output gate
 *   c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
 *   h_t = o_t ⊙ tanh(c_t)
 *
 * The four gates' pre-activations come from one matMul each for x and h (the weights hold all four gate
 * blocks side by side) and are then split. `recurrentActivation` is σ in the equations (tfjs-layers names the
 * gates' activation so, and defaults it to hardSigmoid). The caller owns memory: run it inside `tf.tidy`.
 */
export function lstmGates(
  x: tf.Tensor2D,
  prev: LstmState,
  weights: LstmWeights,
  recurrentActivation: (z: tf.Tensor) => tf.Tensor = tf.sigmoid,
): LstmGates {
  const { h: hPrev, c: cPrev } = prev; // [batch, hidden] each
  const z = tf.add<tf.Tensor2D>(
    tf.add(tf.matMul(x, weights.kernel), tf.matMul(hPrev, weights.recurrentKernel)),
    weights.bias,
  ); // [batch, 4*hidden]
  const [zi, zf, zg, zo] = tf.split(z, 4, 1); // 4 × [batch, hidden]
  const inputGate = recurrentActivation(zi) as tf.Tensor2D; // [batch, hidden]
  const forgetGate = recurrentActivation(zf) as tf.Tensor2D; // [batch, hidden]
  const cellCandidate = tf.tanh(zg) as tf.Tensor2D; // [batch, hidden]
  const outputGate = recurrentActivation(zo) as tf.Tensor2D; // [batch, hidden]
  const c = tf.add<tf.Tensor2D>(tf.mul(forgetGate, cPrev), tf.mul(inputGate, cellCandidate)); // [batch, hidden]
  const h = tf.mul<tf.Tensor2D>(outputGate, tf.tanh(c)); // [batch, hidden]
  return { i: inputGate, f: forgetGate, g: cellCandidate, o: outputGate, c, h };
}

/** One step's new state: lstmGates without the gates. */
export function lstmCell(x: tf.Tensor2D, prev: LstmState, weights: LstmWeights): LstmState {
  const { h, c } = lstmGates(x, prev, weights);
  return { h, c };
}
