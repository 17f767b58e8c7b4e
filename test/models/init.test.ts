import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/models/build.js';
import { orthogonal } from '../../src/models/init.js';
import { Rng } from '../../src/util/rng.js';
import type { ModelConfig } from '../../src/config/schema.js';
import { modelConfig, useCpu } from './helpers.js';

before(useCpu);

const shape = { steps: 4, features: 3, outputSize: 2, masked: false };
const H = 5;
const weightsOf = (config: Partial<ModelConfig>, seed: number) =>
  buildModel(modelConfig({ hiddenSize: H, ...config }), shape, seed)
    .getWeights()
    .map((w) => ({ shape: w.shape, values: w.dataSync() }));

for (const init of ['pytorch', 'keras'] as const) {
  test(`${init}: the same seed gives the same weights, another seed other weights, builtin and hand alike`, () => {
    const config = { init, layers: 2, bidirectional: true };
    const a = weightsOf({ ...config, impl: 'builtin' }, 3);
    assert.deepEqual(weightsOf({ ...config, impl: 'builtin' }, 3), a);
    assert.deepEqual(weightsOf({ ...config, impl: 'hand' }, 3), a);
    const b = weightsOf({ ...config, impl: 'builtin' }, 4);
    a.forEach((w, k) => {
      if (w.values.some((v) => v !== 0 && v !== 1)) assert.notDeepEqual(b[k].values, w.values, `weight ${k}`);
    });
  });
}

test('pytorch: every LSTM weight within ±1/√H, the head within ±1/√fanIn, and spread over the range', () => {
  const [kernel, recurrent, bias, headKernel, headBias] = weightsOf({ init: 'pytorch' }, 1);
  for (const w of [kernel, recurrent, bias]) {
    const bound = 1 / Math.sqrt(H);
    assert.ok(w.values.every((v) => Math.abs(v) <= bound));
    assert.ok(Math.max(...w.values.map(Math.abs)) > 0.7 * bound, 'uses the range');
  }
  for (const w of [headKernel, headBias]) assert.ok(w.values.every((v) => Math.abs(v) <= 1 / Math.sqrt(H)));
  assert.ok(headBias.values.some((v) => v !== 0));
});

test('keras: glorot kernel, orthogonal recurrent gate blocks (VᵀV = I), bias 0 with forget bias 1, head bias 0', () => {
  const [kernel, recurrent, bias, headKernel, headBias] = weightsOf({ init: 'keras' }, 2);
  const limit = Math.sqrt(6 / (3 + 4 * H));
  assert.ok(kernel.values.every((v) => Math.abs(v) <= limit));
  const V = tf.tensor2d(recurrent.values, [H, 4 * H]);
  for (let gate = 0; gate < 4; gate++) {
    const block = tf.slice(V, [0, gate * H], [H, H]);
    const gram = tf.matMul(block, block, true, false).arraySync() as number[][];
    gram.forEach((row, i) =>
      row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-5, `gate ${gate} [${i},${j}] = ${v}`)),
    );
  }
  assert.deepEqual(Array.from(bias.values), [...Array(H).fill(0), ...Array(H).fill(1), ...Array(2 * H).fill(0)]);
  assert.ok(headKernel.values.every((v) => Math.abs(v) <= Math.sqrt(6 / (H + 2))));
  assert.ok(headBias.values.every((v) => v === 0));
});

test('orthogonal: QᵀQ = I and QQᵀ = I for a larger matrix', () => {
  const n = 40;
  const q = tf.tensor2d(Float32Array.from(orthogonal(new Rng(3), n)), [n, n]);
  for (const product of [tf.matMul(q, q, true, false), tf.matMul(q, q, false, true)]) {
    const diff = tf.max(tf.abs(tf.sub(product, tf.eye(n)))).dataSync()[0];
    assert.ok(diff < 1e-5, `max |QᵀQ - I| = ${diff}`);
  }
});
