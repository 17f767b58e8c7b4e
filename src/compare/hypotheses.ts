// The usual ways to get the LSTM equations wrong, each as a cell that reproduces the mistake exactly.
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights } from '../models/types.js';

/**
 * A mistaken reading of the shared weights: `weights` turns the true weights into the ones the mistaken cell in
 * effect uses (a gate order reads another block, a run-time forget bias adds to f's); `activation` replaces σ on
 * i, f and o. Either may be left out.
 */
export interface Hypothesis {
  cause: string;
  weights?: (w: LstmWeights) => LstmWeights;
  activation?: (z: tf.Tensor) => tf.Tensor;
}

/** tfjs's hardSigmoid, its LSTM's default recurrent activation: clip(0.2·z + 0.5, 0, 1). */
export const hardSigmoid = (z: tf.Tensor) => tf.clipByValue(tf.add(tf.mul(z, 0.2), 0.5), 0, 1);

type GateOrder = [number, number, number, number];

/** The weights with gate k of (i, f, g, o) taken from block order[k]: an exact permutation, no arithmetic. */
function permuteGates(w: LstmWeights, order: GateOrder): LstmWeights {
  const permute = <T extends tf.Tensor>(m: T, axis: number) => {
    const blocks = tf.split(m, 4, axis);
    return tf.concat(
      order.map((k) => blocks[k]),
      axis,
    ) as T;
  };
  return { kernel: permute(w.kernel, 1), recurrentKernel: permute(w.recurrentKernel, 1), bias: permute(w.bias, 0) };
}

/** A constant added to f's pre-activation at run time (TF1's BasicLSTMCell does this): the same as in its bias. */
function withForgetBias(w: LstmWeights, extra: number): LstmWeights {
  const hidden = w.recurrentKernel.shape[0];
  const add = new Float32Array(4 * hidden).fill(extra, hidden, 2 * hidden);
  return { ...w, bias: tf.add(w.bias, tf.tensor1d(add)) };
}

/** Every reordering of the four gate blocks but the true one, named as the order the blocks are read in. */
function gateOrders(): { name: string; order: GateOrder }[] {
  const out: { name: string; order: GateOrder }[] = [];
  const names = ['i', 'f', 'g', 'o'];
  for (const a of [0, 1, 2, 3])
    for (const b of [0, 1, 2, 3])
      for (const c of [0, 1, 2, 3])
        for (const d of [0, 1, 2, 3]) {
          if (new Set([a, b, c, d]).size < 4 || (a === 0 && b === 1 && c === 2 && d === 3)) continue;
          const stored = [0, 1, 2, 3].map((gate) => names[[a, b, c, d].indexOf(gate)]).join(', ');
          out.push({
            name: `gate order: the weight blocks are read as ${stored} instead of i, f, g, o`,
            order: [a, b, c, d],
          });
        }
  return out;
}

/** The usual per-cell mistakes, tried in this order. */
export const CELL_HYPOTHESES: Hypothesis[] = [
  { cause: 'recurrent activation hardSigmoid instead of sigmoid (tfjs LSTM default)', activation: hardSigmoid },
  {
    cause: 'a forget-gate bias of +1 added at run time (unitForgetBias / forget_bias)',
    weights: (w) => withForgetBias(w, 1),
  },
  ...gateOrders().map(({ name, order }) => ({ cause: name, weights: (w: LstmWeights) => permuteGates(w, order) })),
];
