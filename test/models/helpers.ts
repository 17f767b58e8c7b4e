// Shared helpers for the model tests: seeded random tensors, comparisons with tolerances, ragged masks.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../../src/config/schema.js';
import { Rng } from '../../src/util/rng.js';

export const FORWARD_ATOL = 1e-5;
export const GRADIENT_ATOL = 1e-4;

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
}

/** A tensor of standard-normal values from our seeded Rng (tfjs's own random ops differ across versions). */
export function randn(rng: Rng, shape: number[], scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: n }, () => rng.normal() * scale),
    shape,
  );
}

/** A [batch, time] mask of 1s for the first lengths[b] steps, 0s after (post-padding, as the data layer pads). */
export function raggedMask(lengths: number[], time: number): tf.Tensor2D {
  return tf.tensor2d(lengths.map((len) => Array.from({ length: time }, (_, t) => (t < len ? 1 : 0))));
}

export function assertClose(actual: tf.Tensor, expected: tf.Tensor, atol: number, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]));
  assert.ok(worst <= atol, `${what}: max |difference| ${worst} > ${atol}`);
}

export function assertArraysClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++)
    assert.ok(Math.abs(actual[i] - expected[i]) <= atol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

export function modelConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    impl: 'builtin',
    kernel: 'reference',
    bidirectional: false,
    hiddenSize: 4,
    layers: 1,
    dropout: 0,
    linearSkip: false,
    skipStart: 'ridge',
    ensemble: 1,
    init: 'pytorch',
    ...overrides,
  };
}

/** Plain-number LSTM weights: kernel[in][4H], recurrent[H][4H], bias[4H], gate order i, f, g, o. */
export interface JsWeights {
  kernel: number[][];
  recurrent: number[][];
  bias: number[];
}

export function jsWeights(rng: Rng, inputSize: number, hidden: number): JsWeights {
  const row = (n: number) => Array.from({ length: n }, () => rng.uniform(-0.8, 0.8));
  return {
    kernel: Array.from({ length: inputSize }, () => row(4 * hidden)),
    recurrent: Array.from({ length: hidden }, () => row(4 * hidden)),
    bias: row(4 * hidden),
  };
}

export function toLstmWeights(w: JsWeights) {
  return { kernel: tf.tensor2d(w.kernel), recurrentKernel: tf.tensor2d(w.recurrent), bias: tf.tensor1d(w.bias) };
}

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

/** One LSTM step for one example, scalar by scalar from the equations: an independent check of the tensor code. */
export function jsLstmStep(x: number[], hPrev: number[], cPrev: number[], w: JsWeights): { h: number[]; c: number[] } {
  const H = hPrev.length;
  const pre = (gate: number, j: number) => {
    let z = w.bias[gate * H + j];
    for (let k = 0; k < x.length; k++) z += x[k] * w.kernel[k][gate * H + j];
    for (let k = 0; k < H; k++) z += hPrev[k] * w.recurrent[k][gate * H + j];
    return z;
  };
  const h: number[] = [];
  const c: number[] = [];
  for (let j = 0; j < H; j++) {
    const i = sigma(pre(0, j));
    const f = sigma(pre(1, j));
    const g = Math.tanh(pre(2, j));
    const o = sigma(pre(3, j));
    c.push(f * cPrev[j] + i * g);
    h.push(o * Math.tanh(c[j]));
  }
  return { h, c };
}

/** A whole sequence for one example; at a padded step (mask 0) h, c and the output carry over. */
export function jsLstmSequence(
  xs: number[][],
  w: JsWeights,
  mask?: number[],
): { outputs: number[][]; h: number[]; c: number[] } {
  const H = w.recurrent.length;
  let h = new Array<number>(H).fill(0);
  let c = new Array<number>(H).fill(0);
  const outputs: number[][] = [];
  xs.forEach((x, t) => {
    if (mask === undefined || mask[t] === 1) ({ h, c } = jsLstmStep(x, h, c, w));
    outputs.push(h);
  });
  return { outputs, h, c };
}
