// A new forecaster's linear skip starts at the ridge fit of its own (window-levelled) train windows, the head at
// zero: the new model predicts exactly what that linear model does.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel, shapeOf } from '../../src/models/build.js';
import { fitRidge } from '../../src/task/forecast/linear.js';
import { startLinearSkip } from '../../src/task/forecast/skip-start.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { csv, forecastCfg, loadForecastText } from '../data/helpers.js';
import { modelConfig, useCpu } from '../models/helpers.js';

before(useCpu);

const configWith = (skipStart: 'smoothing' | 'ridge', data: unknown): Config =>
  configSchema.parse({ data, model: { skipStart } });

test('the new model is the ridge regression of its train windows; a model without a skip is left alone', async () => {
  const text = csv(
    'a,b',
    Array.from({ length: 300 }, (_, i) => [Math.sin(i / 5) + 0.01 * i, Math.cos(i / 7)]),
  );
  const data = forecastCfg({ features: ['a', 'b'], targets: ['a'], window: 6, horizon: 3 });
  const ds = await loadForecastText(text, data);
  const model = buildModel(modelConfig({ linearSkip: true }), shapeOf(ds), 1);
  assert.deepEqual(startLinearSkip(model, ds, configWith('ridge', data)), { notes: [], started: true });
  const fit = fitRidge(ds, 'levelled');
  assert.ok(!('skipped' in fit));
  const batch = ds.splits.val.batch(Array.from({ length: 20 }, (_, i) => i));
  const x = tf.tensor3d(batch.x, [20, 6, 2]);
  const expected = tf.tidy(() => {
    const design = tf.concat([x.reshape([20, 12]), tf.ones([20, 1])], 1);
    return tf.matMul(design, tf.tensor2d(fit.w, [fit.d, fit.m]));
  });
  const actual = model.predict(x) as tf.Tensor;
  const worst = tf.tidy(() => tf.abs(tf.sub(actual, expected)).max().dataSync()[0]);
  assert.ok(worst < 1e-4, `max |model − ridge| ${worst}`);
  const plain = buildModel(modelConfig(), shapeOf(ds), 1);
  const before = plain.getWeights().map((w) => w.dataSync().slice());
  assert.deepEqual(startLinearSkip(plain, ds, configWith('smoothing', data)), { notes: [], started: false });
  plain.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), before[i]));
});
