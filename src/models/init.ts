// Seeded weight initialisation (PyTorch or Keras style) from our Rng: tfjs's own initialisers ignore seeds.
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema.js';
import { Rng } from '../util/rng.js';
import { isLinearSkip } from './linear-skip.js';

export type InitScheme = ModelConfig['init']; // 'pytorch' | 'keras'

/** Class names of layers whose weights come in (kernel, recurrent kernel, bias) triples, one per direction. */
const LSTM_LAYERS = new Set(['LSTM', 'Bidirectional', 'HandLSTM']);

/**
 * Sets every LSTM and Dense weight of `model` from one Rng seeded with `seed`, layer by layer in model order,
 * so the same seed always gives the same weights (builtin and hand models included: same shapes, same values).
 *
 * pytorch (torch.nn.LSTM / nn.Linear): every LSTM weight U(±1/√H); Dense kernel and bias U(±1/√fanIn).
 * keras: LSTM kernel glorot-uniform, recurrent kernel orthogonal per gate block ([H, H] each), bias 0 with the
 *   forget-gate block 1; Dense kernel glorot-uniform, bias 0.
 */
export function initializeWeights(model: tf.LayersModel, scheme: InitScheme, seed: number): void {
  const rng = new Rng(seed);
  for (const layer of model.layers) {
    const shapes = layer.weights.map((w) => w.shape as number[]);
    if (shapes.length === 0) continue;
    const className = layer.getClassName();
    let values: Float32Array[];
    if (LSTM_LAYERS.has(className)) values = shapes.map((shape, k) => lstmWeight(rng, scheme, shape, k % 3));
    else if (isLinearSkip(layer)) values = shapes.map((shape) => new Float32Array(size(shape)));
    else if (className === 'Dense') values = denseWeights(rng, scheme, shapes[0]);
    else throw new Error(`initializeWeights: no rule for layer ${layer.name} (${className})`);
    const tensors = values.map((v, k) => tf.tensor(v, shapes[k]));
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}

/** One LSTM weight; `role` 0 = kernel [in, 4H], 1 = recurrent kernel [H, 4H], 2 = bias [4H]. */
function lstmWeight(rng: Rng, scheme: InitScheme, shape: number[], role: number): Float32Array {
  const hidden = shape[shape.length - 1] / 4;
  if (scheme === 'pytorch') return uniform(rng, size(shape), 1 / Math.sqrt(hidden));
  if (role === 0) return glorotUniform(rng, shape[0], shape[1]);
  if (role === 1) return orthogonalGateBlocks(rng, hidden);
  const bias = new Float32Array(4 * hidden);
  bias.fill(1, hidden, 2 * hidden); // gate order i, f, g, o: the forget gate starts open
  return bias;
}

function denseWeights(rng: Rng, scheme: InitScheme, kernelShape: number[]): Float32Array[] {
  const [fanIn, fanOut] = kernelShape;
  if (scheme === 'keras') return [glorotUniform(rng, fanIn, fanOut), new Float32Array(fanOut)];
  const bound = 1 / Math.sqrt(fanIn);
  return [uniform(rng, fanIn * fanOut, bound), uniform(rng, fanOut, bound)];
}

export function uniform(rng: Rng, n: number, bound: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(-bound, bound);
  return out;
}

/** Glorot/Xavier uniform for a [fanIn, fanOut] matrix: U(±√(6 / (fanIn + fanOut))). */
export function glorotUniform(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  return uniform(rng, fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut)));
}

/**
 * The recurrent kernel [H, 4H] as four orthogonal [H, H] blocks side by side (V_i | V_f | V_g | V_o), so each
 * gate's recurrence preserves norms. (Keras's own orthogonal initialiser treats [H, 4H] as one matrix and makes
 * its rows orthonormal; per block is this project's choice, as in its issue.)
 */
export function orthogonalGateBlocks(rng: Rng, hidden: number): Float32Array {
  const out = new Float32Array(hidden * 4 * hidden);
  for (let gate = 0; gate < 4; gate++) {
    const q = orthogonal(rng, hidden);
    for (let r = 0; r < hidden; r++)
      for (let c = 0; c < hidden; c++) out[r * 4 * hidden + gate * hidden + c] = q[r * hidden + c];
  }
  return out;
}

/**
 * A random orthogonal n×n matrix (row-major): modified Gram-Schmidt on the columns of a seeded Gaussian matrix,
 * which is the Q of its QR decomposition with R's diagonal positive, the same distribution Keras draws from.
 */
export function orthogonal(rng: Rng, n: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let r = 0; r < n; r++) dot += q[r * n + j] * q[r * n + k];
      for (let r = 0; r < n; r++) q[r * n + j] -= dot * q[r * n + k];
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += q[r * n + j] ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < n; r++) q[r * n + j] /= norm;
  }
  return q;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
