// train.classWeights: "balanced" from the training counts, a map by label, a label the data lacks refused; the
// weighted loss is Σ w·CE / Σ w. Bad schedule fields are refused with their JSON path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { classWeightsOf } from '../../src/task/class-weights.js';
import { taskOf } from '../../src/task/index.js';
import { classifyCfg, csv, loadText } from '../data/helpers.js';

// 3 of class a, 9 of class b: wide rows of two steps
const text = csv(
  'x_0,x_1,label',
  Array.from({ length: 12 }, (_, i) => [i, i + 1, i < 3 ? 'a' : 'b']),
);
const data = classifyCfg({ steps: 2, features: ['x'], split: { train: 0.5, val: 0.25, test: 0.25 } });
const config = (classWeights: unknown) => parseConfig({ data, train: { classWeights } }, 'cfg.json');

test('balanced weighs each class by n / (classes × its count) in the training split', async () => {
  const ds = await loadText(text, data);
  const counts = ds.summary.classCounts!.train;
  const n = counts.a + counts.b;
  const w = classWeightsOf(config('balanced'), ds)!;
  assert.deepEqual(Array.from(w), [Math.fround(n / (2 * counts.a)), Math.fround(n / (2 * counts.b))]);
  assert.ok(w[0] > w[1], 'the rare class weighs more');
});

test('a map weighs the classes it names (the rest 1); a class the data lacks is refused by name', async () => {
  const ds = await loadText(text, data);
  assert.deepEqual(Array.from(classWeightsOf(config({ a: 4 }), ds)!), [4, 1]);
  assert.equal(classWeightsOf(parseConfig({ data }, 'cfg.json'), ds), undefined);
  assert.throws(
    () => classWeightsOf(config({ c: 2 }), ds),
    (e: unknown) =>
      e instanceof ConfigError &&
      /train\.classWeights\.c: expected a class of the data \(a, b\), got "c"/.test(e.message),
  );
});

test('the weighted loss is Σ w·CE / Σ w over the batch', () => {
  const logits = tf.tensor2d([
    [2, 0],
    [0, 1],
    [1, 1],
  ]);
  const target = tf.tensor2d([
    [1, 0],
    [0, 1],
    [0, 1],
  ]);
  const each = tf.losses.softmaxCrossEntropy(target, logits, undefined, undefined, tf.Reduction.NONE).dataSync();
  const loss = taskOf('classify')
    .loss(logits, target, tf.tensor1d([3, 1]))
    .dataSync()[0];
  assert.ok(Math.abs(loss - (3 * each[0] + each[1] + each[2]) / 5) < 1e-6);
  const plain = taskOf('classify').loss(logits, target).dataSync()[0];
  assert.ok(Math.abs(plain - (each[0] + each[1] + each[2]) / 3) < 1e-6);
});

test('class weights on a forecaster, a schedule with a bad kind or field: the JSON path and what was expected', () => {
  const problems = (input: object) => {
    try {
      parseConfig(input, 'cfg.json');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.problems.join('\n');
    }
    assert.fail('expected the config to be refused');
  };
  const forecast = { task: 'forecast', path: 'data.csv', targets: ['value'] };
  assert.match(
    problems({ data: forecast, train: { classWeights: 'balanced' } }),
    /train\.classWeights: expected nothing for a forecaster/,
  );
  assert.match(
    problems({ data: forecast, train: { schedule: { kind: 'cosin' } } }),
    /train\.schedule\.kind: .*"cosine"/,
  );
  assert.match(
    problems({ data: forecast, train: { schedule: { kind: 'plateau', factr: 0.5 } } }),
    /train\.schedule.*factr.*factor/,
  );
  assert.match(
    problems({ data: forecast, train: { schedule: { kind: 'plateau', factor: 1.5 } } }),
    /train\.schedule\.factor: expected a number between 0 and 1/,
  );
  assert.match(
    problems({ data: forecast, train: { epochs: 5, schedule: { kind: 'cosine', warmupEpochs: 5 } } }),
    /train\.schedule\.warmupEpochs: expected fewer than train\.epochs \(5\), got 5/,
  );
});
