import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel, countParams, describeModel, modelInputs } from '../../src/models/build.js';
import { setDropoutSeed } from '../../src/models/dropout.js';
import { CUSTOM_LAYERS } from '../../src/models/register.js';
import { Rng } from '../../src/util/rng.js';
import type { ModelConfig } from '../../src/config/schema.js';
import { modelConfig, raggedMask, randn, useCpu } from './helpers.js';

before(useCpu);

const shape = { steps: 6, features: 3, outputSize: 2, masked: false };
const lstmParams = (input: number, H: number) => 4 * H * (input + H + 1);

test('layers, names, output shapes and parameter counts read as the config says', () => {
  const H = 4;
  const model = buildModel(
    modelConfig({ impl: 'builtin', bidirectional: true, layers: 2, dropout: 0.1, hiddenSize: H }),
    { ...shape, masked: true },
    1,
  );
  const summary = describeModel(model);
  assert.deepEqual(
    summary.layers.map((l) => [l.name, l.type, l.outputShape, l.params]),
    [
      ['x', 'InputLayer', '[batch, 6, 3]', 0],
      ['mask', 'InputLayer', '[batch, 6]', 0],
      ['sequence_mask', 'SequenceMask', '[batch, 6, 3]', 0],
      ['bi_lstm_1', 'Bidirectional(LSTM)', '[batch, 6, 8]', 2 * lstmParams(3, H)],
      ['dropout_1', 'SeededDropout', '[batch, 6, 8]', 0],
      ['bi_lstm_2', 'Bidirectional(LSTM)', '[batch, 8]', 2 * lstmParams(2 * H, H)],
      ['dropout_2', 'SeededDropout', '[batch, 8]', 0],
      ['head', 'Dense', '[batch, 2]', 2 * H * 2 + 2],
    ],
  );
  assert.equal(summary.params, 2 * lstmParams(3, H) + 2 * lstmParams(2 * H, H) + 2 * H * 2 + 2);
  assert.equal(countParams(model), summary.params);
  const hand = describeModel(
    buildModel(
      modelConfig({ impl: 'hand', bidirectional: true, layers: 2, dropout: 0.1, hiddenSize: H }),
      { ...shape, masked: true },
      1,
    ),
  );
  assert.deepEqual(
    hand.layers.map((l) => l.name).filter((n) => n.includes('lstm')),
    ['hand_bi_lstm_1', 'hand_bi_lstm_2'],
  );
  assert.equal(hand.params, summary.params);
  const uni = describeModel(buildModel(modelConfig({ hiddenSize: H }), shape, 1));
  assert.deepEqual(
    uni.layers.map((l) => l.name),
    ['x', 'lstm_1', 'head'],
  );
  assert.equal(
    describeModel(buildModel(modelConfig({ impl: 'hand', hiddenSize: H }), shape, 1)).layers[1].name,
    'hand_lstm_1',
  );
});

test('output is [batch, outputSize]; a masked model takes [x, mask], modelInputs says so', () => {
  const x = randn(new Rng(1), [5, 6, 3]);
  const mask = raggedMask([6, 2, 1, 3, 6], 6);
  const plain = buildModel(modelConfig(), shape, 1);
  const masked = buildModel(modelConfig(), { ...shape, masked: true }, 1);
  assert.deepEqual((plain.apply(modelInputs(plain, x)) as tf.Tensor).shape, [5, 2]);
  assert.deepEqual((masked.apply(modelInputs(masked, x, mask)) as tf.Tensor).shape, [5, 2]);
  assert.throws(() => modelInputs(masked, x), /takes x and a mask, got no mask/);
  assert.throws(() => modelInputs(plain, x, mask), /takes x only, got a mask/);
});

for (const impl of ['builtin', 'hand'] as const) {
  test(`${impl}: no tensor leaks across forward + backward passes (model.apply + tf.variableGrads)`, () => {
    const model = buildModel(
      modelConfig({ impl, bidirectional: true, layers: 2, dropout: 0.2 }),
      { ...shape, masked: true },
      1,
    );
    const x = randn(new Rng(2), [4, 6, 3]);
    const mask = raggedMask([6, 3, 1, 5], 6);
    const step = (seed: number) => {
      setDropoutSeed(model, seed);
      const { value, grads } = tf.variableGrads(() =>
        tf.mean<tf.Scalar>(tf.square(model.apply([x, mask], { training: true }) as tf.Tensor)),
      );
      tf.dispose([value, grads]);
      tf.dispose(model.apply([x, mask]) as tf.Tensor);
    };
    const before = tf.memory().numTensors;
    for (let k = 1; k <= 3; k++) step(k);
    assert.equal(tf.memory().numTensors, before);
  });
}

/** Saves through toJSON + encoded weights, loads with tf.loadLayersModel from memory. */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  const topology = model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'];
  const named = model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }));
  const { data, specs } = await tf.io.encodeWeights(named);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: specs, weightData: data }));
}

/** Saves through model.save with a custom handler (what a checkpoint does), loads from memory. */
async function saveAndLoad(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      saved = artifacts;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

const CUSTOM = new Set(CUSTOM_LAYERS.map((c) => c.className));

const SAVED: Partial<ModelConfig>[] = [
  { impl: 'hand', bidirectional: true, layers: 2, dropout: 0.3, kernel: 'reference' },
  { impl: 'hand', kernel: 'fused' },
  { impl: 'builtin', bidirectional: true, layers: 2, dropout: 0.3 },
];

for (const config of SAVED) {
  test(`serialization round trip gives identical outputs: ${JSON.stringify(config)}`, async () => {
    const model = buildModel(modelConfig(config), { ...shape, masked: true }, 1);
    const x = randn(new Rng(3), [4, 6, 3]);
    const mask = raggedMask([6, 3, 1, 5], 6);
    for (const load of [roundTrip, saveAndLoad]) {
      const loaded = await load(model);
      // classes everywhere; configs of our own layers (tfjs adds `implementation: null` to a reloaded LSTM's)
      const describe = (m: tf.LayersModel) =>
        m.layers.map((l) => [l.getClassName(), CUSTOM.has(l.getClassName()) ? l.getConfig() : null]);
      assert.deepEqual(describe(loaded), describe(model));
      assert.deepEqual(
        (loaded.apply([x, mask]) as tf.Tensor).dataSync(),
        (model.apply([x, mask]) as tf.Tensor).dataSync(),
      );
      setDropoutSeed(model, 9);
      setDropoutSeed(loaded, 9);
      const train = (m: tf.LayersModel) => (m.apply([x, mask], { training: true }) as tf.Tensor).dataSync();
      assert.deepEqual(train(loaded), train(model));
    }
  });
}
