import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel, modelInputs, type ModelShape } from '../../src/models/build.js';
import { setDropoutSeed } from '../../src/models/dropout.js';
import { HandLSTM } from '../../src/models/hand-lstm.js';
import { Rng } from '../../src/util/rng.js';
import type { ModelConfig } from '../../src/config/schema.js';
import { assertClose, FORWARD_ATOL, GRADIENT_ATOL, modelConfig, raggedMask, randn, useCpu } from './helpers.js';

before(useCpu);

interface Case {
  name: string;
  config: Partial<ModelConfig>;
  steps: number;
  lengths?: number[]; // ragged batch: real steps per example (the rest is padding, filled with noise)
}

const CASES: Case[] = [
  { name: 'uni', config: {}, steps: 5 },
  { name: 'bi', config: { bidirectional: true }, steps: 5 },
  { name: '2 layers', config: { layers: 2 }, steps: 4 },
  { name: '2 layers bi', config: { layers: 2, bidirectional: true }, steps: 4 },
  { name: 'masked ragged uni', config: {}, steps: 6, lengths: [6, 3, 1, 4] },
  { name: 'masked ragged bi', config: { bidirectional: true }, steps: 6, lengths: [6, 3, 1, 4] },
  { name: 'masked ragged bi, 2 layers', config: { bidirectional: true, layers: 2 }, steps: 6, lengths: [2, 6, 5, 1] },
  { name: 'sequence length 1', config: {}, steps: 1 },
  { name: 'sequence length 1 bi', config: { bidirectional: true }, steps: 1 },
];

const [BATCH, FEATURES, OUTPUTS] = [4, 3, 2];

/** Output and the gradient of sum(output ⊙ r) w.r.t. every trainable weight (model order) and the input. */
function forwardAndGrads(model: tf.LayersModel, x: tf.Tensor, r: tf.Tensor, mask?: tf.Tensor, training = false) {
  const xVar = tf.variable(x);
  const vars = [...model.trainableWeights.map((w) => w.read() as tf.Variable), xVar];
  let output: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const y = model.apply(modelInputs(model, xVar, mask), { training }) as tf.Tensor;
    output = tf.keep(y.clone());
    return tf.sum<tf.Scalar>(tf.mul(y, r));
  }, vars);
  value.dispose();
  xVar.dispose();
  return { output: output!, grads: vars.map((v) => grads[v.name]), names: vars.map((v) => v.name) };
}

function pair(c: Case, extra: Partial<ModelConfig> = {}) {
  const shape: ModelShape = {
    steps: c.steps,
    features: FEATURES,
    outputSize: OUTPUTS,
    masked: c.lengths !== undefined,
  };
  const builtin = buildModel(modelConfig({ ...c.config, ...extra, impl: 'builtin' }), shape, 1);
  const hand = buildModel(modelConfig({ ...c.config, ...extra, impl: 'hand' }), shape, 2); // other seed: weights must move
  hand.setWeights(builtin.getWeights());
  return { builtin, hand };
}

for (const c of CASES) {
  test(`hand == builtin from identical weights: ${c.name} (outputs and every gradient)`, () => {
    const rng = new Rng(100);
    const { builtin, hand } = pair(c);
    const x = randn(rng, [BATCH, c.steps, FEATURES]);
    const mask = c.lengths && raggedMask(c.lengths, c.steps);
    const r = randn(rng, [BATCH, OUTPUTS]);
    const a = forwardAndGrads(builtin, x, r, mask);
    const b = forwardAndGrads(hand, x, r, mask);
    assertClose(b.output, a.output, FORWARD_ATOL, 'output');
    assert.equal(b.grads.length, a.grads.length);
    a.grads.forEach((g, k) =>
      assertClose(b.grads[k], g, GRADIENT_ATOL, `gradient of ${b.names[k]} (builtin ${a.names[k]})`),
    );
    if (c.lengths) {
      // padded steps must not matter: their input gradient is exactly 0 in both
      const padded = tf.sub(1, tf.expandDims(mask!, 2));
      assert.equal(tf.sum(tf.abs(tf.mul(b.grads.at(-1)!, padded))).dataSync()[0], 0);
      assert.equal(tf.sum(tf.abs(tf.mul(a.grads.at(-1)!, padded))).dataSync()[0], 0);
    }
  });
}

test('the mask is honoured by both: noise in padded steps changes nothing', () => {
  const rng = new Rng(5);
  const c = CASES.find((k) => k.name === 'masked ragged bi, 2 layers')!;
  const { builtin, hand } = pair(c);
  const mask = raggedMask(c.lengths!, c.steps);
  const x = randn(rng, [BATCH, c.steps, FEATURES]);
  const noisy = tf.add(x, tf.mul(randn(rng, x.shape, 10), tf.sub(1, tf.expandDims(mask, 2))));
  for (const model of [builtin, hand]) {
    const clean = model.apply([x, mask]) as tf.Tensor;
    assertClose(model.apply([noisy, mask]) as tf.Tensor, clean, FORWARD_ATOL, model.layers[3].name);
    const allReal = tf.onesLike(mask);
    assert.ok(tf.max(tf.abs(tf.sub(model.apply([noisy, allReal]) as tf.Tensor, clean))).dataSync()[0] > 1e-3);
  }
});

test('weights move builtin → hand → builtin unchanged, in the same order (forward then backward)', () => {
  const { builtin, hand } = pair(CASES[3]);
  const original = builtin.getWeights().map((w) => w.dataSync().slice());
  const other = buildModel(
    modelConfig({ impl: 'builtin', layers: 2, bidirectional: true }),
    { steps: 4, features: FEATURES, outputSize: OUTPUTS, masked: false },
    3,
  );
  other.setWeights(hand.getWeights());
  const moved = other.getWeights();
  assert.equal(moved.length, original.length);
  moved.forEach((w, k) => assert.deepEqual(w.dataSync(), original[k], `weight ${k}`));
  assert.deepEqual(
    hand.getWeights().map((w) => w.shape),
    builtin.getWeights().map((w) => w.shape),
  );
});

test('with dropout, train mode on the same dropout seed gives the same output and gradients in both', () => {
  const rng = new Rng(8);
  const c = CASES[3];
  const { builtin, hand } = pair(c, { dropout: 0.4 });
  const x = randn(rng, [BATCH, c.steps, FEATURES]);
  const r = randn(rng, [BATCH, OUTPUTS]);
  setDropoutSeed(builtin, 77);
  setDropoutSeed(hand, 77);
  const a = forwardAndGrads(builtin, x, r, undefined, true);
  const b = forwardAndGrads(hand, x, r, undefined, true);
  assertClose(b.output, a.output, FORWARD_ATOL, 'output');
  a.grads.forEach((g, k) => assertClose(b.grads[k], g, GRADIENT_ATOL, `gradient ${k}`));
});

test("the 'fused' kernel name runs a kernel that computes the same function as 'reference'", () => {
  const rng = new Rng(4);
  const c = CASES[6];
  const shape: ModelShape = { steps: c.steps, features: FEATURES, outputSize: OUTPUTS, masked: true };
  const reference = buildModel(modelConfig({ ...c.config, impl: 'hand', kernel: 'reference' }), shape, 1);
  const fused = buildModel(modelConfig({ ...c.config, impl: 'hand', kernel: 'fused' }), shape, 1);
  const mask = raggedMask(c.lengths!, c.steps);
  const x = randn(rng, [BATCH, c.steps, FEATURES]);
  const r = randn(rng, [BATCH, OUTPUTS]);
  const a = forwardAndGrads(reference, x, r, mask);
  const b = forwardAndGrads(fused, x, r, mask);
  assertClose(b.output, a.output, FORWARD_ATOL, 'output');
  a.grads.forEach((g, k) => assertClose(b.grads[k], g, GRADIENT_ATOL, `gradient ${k}`));
});

test('HandLSTM rejects bad arguments with what it expected and what it got', () => {
  assert.throws(() => new HandLSTM({ units: 0 }), /expected units to be a positive integer, got 0/);
  assert.throws(() => new HandLSTM({ units: 2, kernel: 'turbo' as never }), /unknown LSTM kernel "turbo"/);
});
