import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { checkParity, compareModels, parityBatch, FORWARD_TOL } from '../../src/compare/parity.js';
import { variantModel, type Variant } from '../../src/compare/variants.js';
import { buildModel, shapeOf } from '../../src/models/build.js';
import { KERNELS } from '../../src/models/kernels.js';
import { lstmReference } from '../../src/models/lstm-reference.js';
import type { LstmWeights } from '../../src/models/types.js';
import '../../src/models/register.js';
import { datasetOf, smallConfig, useCpu } from './helpers.js';

before(useCpu);

for (const [kind, model] of [
  ['forecast', {}],
  ['classify', {}],
  ['classify-long', { layers: 2 }], // ragged sequences: the mask, and a stacked layer
] as const) {
  test(`parity: builtin and hand agree for uni and bi on the ${kind} data`, async () => {
    const config = smallConfig(kind, model);
    const dataset = await datasetOf(config);
    const before = tf.memory().numTensors;
    const results = checkParity(config, dataset);
    assert.deepEqual(
      results.slice(0, 2).map((r) => r.pair),
      ['builtin ↔ hand', 'builtin-bi ↔ hand-bi'],
    );
    for (const r of results) {
      assert.ok(r.pass, `${r.pair}: ${r.explanation}`);
      assert.ok(r.forwardMaxDiff <= 1e-5 && r.gradientMaxDiff <= 1e-4, r.pair);
      assert.equal(r.diagnosis.length, 0);
    }
    if (kind === 'classify-long') assert.ok(dataset.masked, 'the long data is ragged, so the models take a mask');
    assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  });
}

/** A copy of `model` whose builtin LSTM layers have one config field changed (through the serialised model). */
async function withLstmConfig(
  model: tf.LayersModel,
  edit: (config: Record<string, unknown>) => void,
): Promise<tf.LayersModel> {
  const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
  for (const layer of json.config.layers) {
    if (layer.class_name === 'LSTM') edit(layer.config);
    if (layer.class_name === 'Bidirectional') edit(layer.config.layer.config);
  }
  const copy = await tf.models.modelFromJSON(json);
  copy.setWeights(model.getWeights());
  return copy;
}

async function pairFor(v: Variant, layers = 1) {
  const config = smallConfig('classify', { layers });
  const dataset = await datasetOf(config);
  const builtin = buildModel(variantModel(config.model, v), shapeOf(dataset), config.seed);
  const hand = buildModel(variantModel(config.model, v.replace('builtin', 'hand') as Variant), shapeOf(dataset), 99);
  hand.setWeights(builtin.getWeights());
  return { builtin, hand, dataset };
}

for (const v of ['builtin', 'builtin-bi'] as const) {
  test(`a builtin ${v} with hardSigmoid fails parity, diagnosed at step 0 in i with the right cause`, async () => {
    const { builtin, hand, dataset } = await pairFor(v);
    const wrong = await withLstmConfig(builtin, (c) => (c.recurrent_activation = 'hard_sigmoid'));
    const r = compareModels(
      { name: 'builtin', model: wrong },
      { name: 'hand', model: hand },
      parityBatch(dataset),
      dataset,
    );
    assert.equal(r.pass, false);
    assert.ok(r.forwardMaxDiff > FORWARD_TOL, `forward |Δ| ${r.forwardMaxDiff}`);
    assert.equal(r.diagnosis.length, 1, 'only the builtin departs from the equations');
    const d = r.diagnosis[0];
    assert.equal(d.implementation, 'builtin');
    assert.equal(d.direction, 'forward');
    assert.equal(d.step, 0);
    assert.equal(d.quantity, 'i');
    assert.match(d.cause, /hardSigmoid instead of sigmoid/);
    assert.match(
      r.explanation!,
      /builtin .*lstm_1 \(forward direction\) departs from the equations at time step 0, first in i/,
    );
    // the correct builtin passes against the same hand model
    assert.ok(
      compareModels({ name: 'builtin', model: builtin }, { name: 'hand', model: hand }, parityBatch(dataset), dataset)
        .pass,
    );
  });
}

test('a kernel that reads the gate blocks as i, g, f, o is diagnosed as a gate-order mistake', async (t) => {
  const swapped = (w: LstmWeights): LstmWeights => {
    const swap = (m: tf.Tensor, axis: number) => {
      const [i, f, g, o] = tf.split(m, 4, axis);
      return tf.concat([i, g, f, o], axis);
    };
    return {
      kernel: swap(w.kernel, 1) as tf.Tensor2D,
      recurrentKernel: swap(w.recurrentKernel, 1) as tf.Tensor2D,
      bias: swap(w.bias, 0) as tf.Tensor1D,
    };
  };
  const original = KERNELS.fused;
  KERNELS.fused = (x, w, mask) => tf.tidy(() => lstmReference(x, swapped(w), mask));
  t.after(() => (KERNELS.fused = original));
  const { builtin, dataset } = await pairFor('builtin');
  const config = smallConfig('classify');
  const buggy = buildModel({ ...variantModel(config.model, 'hand'), kernel: 'fused' }, shapeOf(dataset), 5);
  buggy.setWeights(builtin.getWeights());
  const r = compareModels(
    { name: 'builtin', model: builtin },
    { name: 'hand (buggy kernel)', model: buggy },
    parityBatch(dataset),
    dataset,
  );
  assert.equal(r.pass, false);
  assert.equal(r.diagnosis.length, 1);
  assert.equal(r.diagnosis[0].implementation, 'hand (buggy kernel)');
  assert.match(r.diagnosis[0].cause, /gate order: the weight blocks are read as i, g, f, o/);
  assert.equal(r.diagnosis[0].step, 0);
  assert.equal(r.diagnosis[0].quantity, 'f', 'i reads its own block; f is the first gate that reads another');
});
