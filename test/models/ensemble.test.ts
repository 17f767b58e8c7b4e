// Seed ensembles: the output is the members' mean, member j is the model of seed + j, and a training step moves
// each member exactly as training it alone would (its own loss, its own gradient clipping).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/models/build.js';
import { ensembleSize, memberModels, trainingView } from '../../src/models/ensemble.js';
import { configSchema } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { taskOf } from '../../src/task/index.js';
import { trainableVariables, trainStep } from '../../src/train/step.js';
import { Rng } from '../../src/util/rng.js';
import { maxAbsDiff, modelConfig, randn, useCpu } from './helpers.js';

before(useCpu);

const shape = { steps: 5, features: 3, outputSize: 2, masked: false };

test('the output is the mean of the members, and member j is the single model of seed + j (builtin and hand)', () => {
  for (const impl of ['builtin', 'hand'] as const) {
    const ensemble = buildModel(modelConfig({ impl, ensemble: 3, linearSkip: true }), shape, 7);
    assert.equal(ensembleSize(ensemble), 3);
    const x = randn(new Rng(2), [4, shape.steps, shape.features]);
    const members = memberModels(ensemble).map((m) => m.predict(x) as tf.Tensor);
    const singles = [7, 8, 9].map((seed) => buildModel(modelConfig({ impl, linearSkip: true }), shape, seed));
    singles.forEach((single, j) => {
      const alone = single.predict(x) as tf.Tensor;
      assert.ok(maxAbsDiff(members[j], alone) < 1e-6, `${impl} member ${j + 1}: ${maxAbsDiff(members[j], alone)}`);
      alone.dispose();
    });
    assert.ok(maxAbsDiff(members[0], members[1]) > 1e-3, `${impl}: the members differ`);
    const mean = tf.tidy(() => tf.div(tf.addN(members), 3));
    const output = ensemble.predict(x) as tf.Tensor;
    assert.ok(maxAbsDiff(output, mean) < 1e-6, `${impl}: output = mean of members: ${maxAbsDiff(output, mean)}`);
    tf.dispose([x, mean, output, ...members]);
    [ensemble, ...singles].forEach((m) => m.dispose());
  }
});

test('a single model (ensemble 1) keeps its layer names, so old checkpoints load as before', () => {
  const model = buildModel(modelConfig({ linearSkip: true }), shape, 1);
  assert.deepEqual(
    model.layers.map((l) => l.name),
    ['x', 'lstm_1', 'skip_window', 'head', 'linear_skip', 'output'],
  );
  assert.deepEqual(memberModels(model), [model]);
  model.dispose();
});

test('training steps move each member as training it alone would: its own loss and its own clipped gradient', () => {
  const batches = [0, 1, 2].map((b) => {
    const x = randn(new Rng(20 + b), [6, shape.steps, shape.features]);
    const y = randn(new Rng(30 + b), [6, shape.outputSize]);
    const batch = {
      batchSize: 6,
      steps: shape.steps,
      features: shape.features,
      x: x.dataSync() as Float32Array,
      y: y.dataSync() as Float32Array,
    };
    tf.dispose([x, y]);
    return batch;
  });
  const trained = (model: tf.LayersModel) => {
    const variables = trainableVariables(model);
    const inputs = {
      ...trainingView(model),
      variables,
      optimizer: tf.train.adam(0.05),
      task: taskOf('forecast'),
      outputSize: shape.outputSize,
      clipNorm: 0.05, // small enough to clip every step: a norm over both members would clip each differently
      weightDecay: 0.1,
    };
    const losses = batches.map((b) => trainStep(inputs, b, 0.05).loss);
    const members = memberModels(model).map((m) => trainableVariables(m).map((v) => v.dataSync() as Float32Array));
    return { members, losses };
  };
  const config = modelConfig({ impl: 'hand', kernel: 'fused', ensemble: 2, linearSkip: true });
  const ensemble = trained(buildModel(config, shape, 4));
  const alone = [4, 5].map((seed) => trained(buildModel({ ...config, ensemble: 1 }, shape, seed)));
  alone.forEach((single, j) => {
    single.members[0].forEach((w, k) => {
      const e = ensemble.members[j][k];
      const diff = Math.max(...w.map((v, i) => Math.abs(v - e[i])));
      assert.ok(diff < 1e-5, `member ${j + 1}, weight ${k}: ${diff}`);
    });
  });
  ensemble.losses.forEach((loss, b) => {
    const mean = (alone[0].losses[b] + alone[1].losses[b]) / 2;
    assert.ok(Math.abs(loss - mean) < 1e-5, `step ${b + 1}: the reported loss ${loss} is the members' mean ${mean}`);
  });
});

test('model.ensemble must be a whole number from 1 to 16, with the path', () => {
  const base = { name: 'e', data: { task: 'forecast', path: 'x.csv', targets: ['v'], window: 4 } };
  assert.equal(configSchema.parse(base).model.ensemble, 1);
  for (const [value, found] of [
    [0, 'got 0'],
    [2.5, 'got 2.5'],
    [17, 'expected at most 16 members, got 17'],
  ] as const)
    assert.throws(
      () => parseConfig({ ...base, model: { ensemble: value } }, 'cfg.json'),
      (e: unknown) => e instanceof ConfigError && e.message.includes('model.ensemble') && e.message.includes(found),
    );
});
