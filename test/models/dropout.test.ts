import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/models/build.js';
import { dropoutMask, SeededDropout, setDropoutSeed } from '../../src/models/dropout.js';
import { Rng } from '../../src/util/rng.js';
import { modelConfig, randn, useCpu } from './helpers.js';

before(useCpu);

const shape = { steps: 5, features: 3, outputSize: 2, masked: false };
const x = () => randn(new Rng(1), [8, 5, 3]);

function run(model: tf.LayersModel, training: boolean): Float32Array {
  return tf.tidy(() => (model.apply(x(), { training }) as tf.Tensor).dataSync() as Float32Array);
}

for (const impl of ['builtin', 'hand'] as const) {
  test(`${impl}: train mode drops differently per seed, the same for the same seed; eval mode is the identity`, () => {
    const model = buildModel(modelConfig({ impl, layers: 2, dropout: 0.5, hiddenSize: 6 }), shape, 1);
    setDropoutSeed(model, 1);
    const a = run(model, true);
    setDropoutSeed(model, 2);
    const b = run(model, true);
    setDropoutSeed(model, 1);
    const a2 = run(model, true);
    assert.notDeepEqual(a, b);
    assert.deepEqual(a2, a);
    const e1 = run(model, false);
    const e2 = run(model, false);
    assert.deepEqual(e1, e2);
    assert.notDeepEqual(e1, a);
    // eval mode equals the same model without dropout layers
    const plain = buildModel(modelConfig({ impl, layers: 2, dropout: 0, hiddenSize: 6 }), shape, 1);
    assert.deepEqual(run(plain, false), e1);
  });
}

test('the mask zeroes about `rate` of the elements and scales the rest by 1/(1-rate)', () => {
  const rate = 0.3;
  const values = dropoutMask([100, 50], rate, 9).dataSync();
  const dropped = values.filter((v) => v === 0).length / values.length;
  assert.ok(Math.abs(dropped - rate) < 0.03, `dropped fraction ${dropped}`);
  for (const v of values) assert.ok(v === 0 || Math.abs(v - 1 / (1 - rate)) < 1e-6);
  assert.deepEqual(dropoutMask([100, 50], rate, 9).dataSync(), values);
});

test('setDropoutSeed gives each dropout layer its own seed', () => {
  const model = buildModel(modelConfig({ layers: 3, dropout: 0.2 }), shape, 1);
  setDropoutSeed(model, 5);
  const seeds = model.layers.filter((l) => l instanceof SeededDropout).map((l) => l.seed);
  assert.equal(seeds.length, 3);
  assert.equal(new Set(seeds).size, 3);
});

test('SeededDropout rejects a rate outside [0, 1)', () => {
  assert.throws(() => new SeededDropout({ rate: 1 }), /expected 0 ≤ rate < 1, got 1/);
});
