import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { saveCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { variantModel } from '../../src/compare/variants.js';
import { applyWeights, assertFitsAll, checkpointWeights, seededWeights } from '../../src/compare/weights.js';
import { CheckpointError } from '../../src/errors.js';
import { buildModel, shapeOf } from '../../src/models/build.js';
import { parityBatch } from '../../src/compare/parity.js';
import { batchInputs } from '../../src/task/batch.js';
import { datasetOf, smallConfig, useCpu } from './helpers.js';

before(useCpu);

const bits = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

test('weights move builtin → hand → builtin through checkpoints exactly (every value, and the outputs)', async () => {
  const config = smallConfig('classify', { layers: 2 });
  const dataset = await datasetOf(config);
  const shape = shapeOf(dataset);
  const dir = mkdtempSync(join(tmpdir(), 'compare-weights-'));
  const builtin = buildModel(variantModel(config.model, 'builtin'), shape, 11);
  const original = bits(builtin.getWeights());
  await saveCheckpoint(join(dir, 'builtin'), { model: builtin, meta: { config } });

  const fromBuiltin = await checkpointWeights(join(dir, 'builtin'));
  const hand = buildModel(variantModel(config.model, 'hand'), shape, 12); // other seed: the weights must move
  applyWeights(hand, fromBuiltin.weights, 'builtin checkpoint');
  await saveCheckpoint(join(dir, 'hand'), { model: hand, meta: { config } });
  assert.equal(
    fromBuiltin.meta.config?.name,
    'classify',
    'the meta comes along (lstm-compare --from takes its config)',
  );

  const fromHand = await checkpointWeights(join(dir, 'hand'));
  const back = buildModel(variantModel(config.model, 'builtin'), shape, 13);
  applyWeights(back, fromHand.weights, 'hand checkpoint');
  assert.deepEqual(bits(back.getWeights()), original);
  const x = batchInputs(parityBatch(dataset));
  assert.deepEqual(
    Array.from((builtin.predict(x) as tf.Tensor).dataSync()),
    Array.from((back.predict(x) as tf.Tensor).dataSync()),
  );
  // the hand model computes the same function (to float32 rounding: the fused kernel sums in another order)
  const handOut = (hand.predict(x) as tf.Tensor).dataSync();
  const backOut = (back.predict(x) as tf.Tensor).dataSync();
  assert.ok(
    handOut.every((v, i) => Math.abs(v - backOut[i]) <= 1e-5),
    'hand and builtin outputs agree to 1e-5',
  );
  fromBuiltin.dispose();
  fromHand.dispose();
});

test('a uni checkpoint cannot start bi variants: the error names them and suggests the ones it fits', async () => {
  const config = smallConfig('forecast');
  const dataset = await datasetOf(config);
  const dir = mkdtempSync(join(tmpdir(), 'compare-weights-'));
  const hand = buildModel(variantModel(config.model, 'hand'), shapeOf(dataset), 1);
  await saveCheckpoint(dir, { model: hand, meta: {} });
  const source = await checkpointWeights(dir);
  assert.doesNotThrow(() => assertFitsAll(config, shapeOf(dataset), ['builtin', 'hand'], source));
  assert.throws(
    () => assertFitsAll(config, shapeOf(dataset), ['builtin', 'builtin-bi', 'hand', 'hand-bi'], source),
    (e: unknown) =>
      e instanceof CheckpointError &&
      /do not fit variants builtin-bi, hand-bi/.test(e.message) &&
      e.suggestion === 'compare only the variants it fits: --variants builtin,hand',
  );
  const wider = buildModel(variantModel({ ...config.model, hiddenSize: 5 }, 'builtin'), shapeOf(dataset), 1);
  assert.throws(() => applyWeights(wider, source.weights, dir), /do not fit the model/);
  source.dispose();
});

test('seeded weights: uni variants share one set, bi variants another, both the builtin model of the seed', async () => {
  const config = smallConfig('forecast');
  const dataset = await datasetOf(config);
  const source = seededWeights(config, shapeOf(dataset));
  assert.equal(source.initial('builtin'), source.initial('hand'));
  assert.equal(source.initial('builtin-bi'), source.initial('hand-bi'));
  const builtinBi = buildModel(variantModel(config.model, 'builtin-bi'), shapeOf(dataset), config.seed);
  assert.deepEqual(bits(source.initial('hand-bi')), bits(builtinBi.getWeights()));
  source.dispose();
});

test('an ensemble checkpoint cannot start the variants: the error says it is one, and how many members', async () => {
  const config = smallConfig('forecast');
  const dataset = await datasetOf(config);
  const dir = mkdtempSync(join(tmpdir(), 'compare-weights-'));
  const ensemble = buildModel({ ...config.model, ensemble: 2 }, shapeOf(dataset), 1);
  await saveCheckpoint(dir, { model: ensemble, meta: {} });
  await assert.rejects(
    () => checkpointWeights(dir),
    (e: unknown) => e instanceof CheckpointError && /found an ensemble of 2 \(model\.ensemble\)/.test(e.message),
  );
  ensemble.dispose();
});
