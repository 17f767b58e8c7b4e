// The LSTM equations stepped one time step at a time, with every gate kept, and the usual ways to get them wrong.
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights } from '../models/types.js';

export type Quantity = 'i' | 'f' | 'g' | 'o' | 'c' | 'h';
export const QUANTITIES: Quantity[] = ['i', 'f', 'g', 'o', 'c', 'h'];

/** Everything one step computes: the gates and the new state. */
export type StepTrace = Record<Quantity, tf.Tensor2D>; // each [batch, hidden]

/**
 * How a cell reads the equations. The true reading is EQUATIONS; the others are known mistakes:
 * `gateOrder[k]` is the weight block read as gate k of (i, f, g, o); `gate` is the activation of i, f and o;
 * `forgetBias` is a constant added to f's pre-activation at run time (TF1's BasicLSTMCell does this).
 */
export interface CellReading {
  gate: (z: tf.Tensor) => tf.Tensor;
  gateOrder: readonly [number, number, number, number];
  forgetBias: number;
}

/** tfjs's hardSigmoid, its LSTM's default recurrent activation: clip(0.2·z + 0.5, 0, 1). */
export const hardSigmoid = (z: tf.Tensor) => tf.clipByValue(tf.add(tf.mul(z, 0.2), 0.5), 0, 1);

export const EQUATIONS: CellReading = { gate: tf.sigmoid, gateOrder: [0, 1, 2, 3], forgetBias: 0 };

/**
 *   i = σ(z_i), f = σ(z_f + forgetBias), g = tanh(z_g), o = σ(z_o),   z = x_t U + h_{t-1} V + b
 *   c = f ⊙ c_{t-1} + i ⊙ g,   h = o ⊙ tanh(c)
 * The caller owns memory (run inside tf.tidy).
 */
export function stepCell(
  x: tf.Tensor2D,
  hPrev: tf.Tensor2D,
  cPrev: tf.Tensor2D,
  w: LstmWeights,
  r: CellReading,
): StepTrace {
  const z = tf.add(tf.add(tf.matMul(x, w.kernel), tf.matMul(hPrev, w.recurrentKernel)), w.bias) as tf.Tensor2D; // [batch, 4H]
  const blocks = tf.split(z, 4, 1) as tf.Tensor2D[]; // 4 × [batch, H]
  const [zi, zf, zg, zo] = r.gateOrder.map((k) => blocks[k]);
  const i = r.gate(zi) as tf.Tensor2D;
  const f = r.gate(r.forgetBias === 0 ? zf : tf.add(zf, r.forgetBias)) as tf.Tensor2D;
  const g = tf.tanh(zg) as tf.Tensor2D;
  const o = r.gate(zo) as tf.Tensor2D;
  const c = tf.add(tf.mul(f, cPrev), tf.mul(i, g)) as tf.Tensor2D;
  const h = tf.mul(o, tf.tanh(c)) as tf.Tensor2D;
  return { i, f, g, o, c, h };
}

export interface DirectionRun {
  h: tf.Tensor3D; // [batch, time, H] in processing order
  c: tf.Tensor3D; // [batch, time, H]
}

/** One direction over a whole sequence from a zero state, in processing order; padding (mask 0) carries h and c over. */
export function runDirection(
  x: tf.Tensor3D,
  w: LstmWeights,
  mask: tf.Tensor2D | undefined,
  r: CellReading,
): DirectionRun {
  return tf.tidy(() => {
    const [batch, time] = x.shape;
    const hidden = w.recurrentKernel.shape[0];
    let h = tf.zeros([batch, hidden]) as tf.Tensor2D;
    let c = tf.zeros([batch, hidden]) as tf.Tensor2D;
    const hs: tf.Tensor2D[] = [];
    const cs: tf.Tensor2D[] = [];
    for (let t = 0; t < time; t++) {
      const xt = tf.squeeze(tf.slice(x, [0, t, 0], [batch, 1, -1]), [1]) as tf.Tensor2D; // [batch, input]
      const next = stepCell(xt, h, c, w, r);
      const m = mask && (tf.slice(mask, [0, t], [batch, 1]) as tf.Tensor2D); // [batch, 1]
      h = m ? (tf.add(tf.mul(next.h, m), tf.mul(h, tf.sub(1, m))) as tf.Tensor2D) : next.h;
      c = m ? (tf.add(tf.mul(next.c, m), tf.mul(c, tf.sub(1, m))) as tf.Tensor2D) : next.c;
      hs.push(h);
      cs.push(c);
    }
    return { h: tf.stack(hs, 1) as tf.Tensor3D, c: tf.stack(cs, 1) as tf.Tensor3D };
  });
}

/** Every reordering of the four gate blocks but the true one, named as the order the blocks are read in. */
function gateOrders(): { name: string; order: [number, number, number, number] }[] {
  const out: { name: string; order: [number, number, number, number] }[] = [];
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

/** The usual per-cell mistakes, each a way of reading the shared weights; tried in this order. */
export const CELL_HYPOTHESES: { cause: string; reading: CellReading }[] = [
  {
    cause: 'recurrent activation hardSigmoid instead of sigmoid (tfjs LSTM default)',
    reading: { ...EQUATIONS, gate: hardSigmoid },
  },
  {
    cause: 'a forget-gate bias of +1 added at run time (unitForgetBias / forget_bias)',
    reading: { ...EQUATIONS, forgetBias: 1 },
  },
  ...gateOrders().map(({ name, order }) => ({ cause: name, reading: { ...EQUATIONS, gateOrder: order } })),
];
