// train.weightDecay is decoupled (AdamW): after the optimizer's update each kernel is × (1 − lr·wd), biases not.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/models/build.js';
import { taskOf } from '../../src/task/index.js';
import { trainingView } from '../../src/models/ensemble.js';
import { trainableVariables, trainStep } from '../../src/train/step.js';
import { Rng } from '../../src/util/rng.js';
import { modelConfig, randn, useCpu } from '../models/helpers.js';

before(useCpu);

test('a step with weight decay gives the step without it, kernels × (1 − lr·wd), biases as they were', () => {
  const shape = { steps: 4, features: 2, outputSize: 3, masked: false };
  const x = randn(new Rng(1), [5, 4, 2]);
  const batch = {
    batchSize: 5,
    steps: 4,
    features: 2,
    x: x.dataSync() as Float32Array,
    y: new Float32Array(15).fill(0.5),
  };
  const after = (weightDecay: number) => {
    const model = buildModel(modelConfig({ linearSkip: true }), shape, 3);
    const variables = trainableVariables(model);
    const inputs = {
      ...trainingView(model),
      variables,
      optimizer: tf.train.sgd(0.1),
      task: taskOf('forecast'),
      outputSize: 3,
      clipNorm: 0,
      weightDecay,
    };
    trainStep(inputs, batch, 0.1);
    return variables.map((v) => ({ rank: v.rank, values: v.dataSync() as Float32Array }));
  };
  const [plain, decayed] = [after(0), after(0.5)];
  for (const [k, v] of plain.entries()) {
    const keep = v.rank >= 2 ? 1 - 0.1 * 0.5 : 1;
    v.values.forEach((w, i) => assert.ok(Math.abs(decayed[k].values[i] - keep * w) < 1e-6, `variable ${k}[${i}]`));
  }
  assert.ok(plain.some((v) => v.rank === 1) && plain.some((v) => v.rank >= 2));
});
