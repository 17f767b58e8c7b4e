// The linear skip: the model's output is the LSTM head's plus a linear map of the flattened window, for builtin and
// hand alike; it starts at zero; a classifier refuses it; "auto" turns it off where the window has more inputs
// than the training split has windows, and true is refused there.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/models/build.js';
import { LINEAR_SKIP } from '../../src/models/linear-skip.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { resolveLinearSkip } from '../../src/task/linear-skip.js';
import { Rng } from '../../src/util/rng.js';
import { buildCase, CASES } from '../export/helpers.js';
import { loadForecastText, csv, forecastCfg } from '../data/helpers.js';
import { maxAbsDiff, modelConfig, randn, useCpu } from './helpers.js';

before(useCpu);

const SPLIT = { train: 0.5, val: 0.25, test: 0.25 };
const shape = { steps: 5, features: 3, outputSize: 4, masked: false };

test('output = the head of the LSTM + flatten(x)·W + b, for builtin and hand', () => {
  for (const c of CASES.filter((k) => k.model.linearSkip === true && k.model.ensemble === 1)) {
    const model = buildCase(c);
    const x = randn(new Rng(5), [6, c.shape.steps, c.shape.features]);
    const [kernel, bias] = model.getLayer(LINEAR_SKIP).getWeights();
    assert.ok(tf.tidy(() => tf.abs(kernel).max().dataSync()[0]) > 0.1, 'a skip that counts');
    const lstmOnly = tf.model({ inputs: model.inputs, outputs: model.getLayer('head').output });
    const expected = tf.tidy(() =>
      tf.add(lstmOnly.predict(x) as tf.Tensor, tf.add(tf.matMul(x.reshape([6, -1]), kernel), bias)),
    );
    const actual = model.predict(x) as tf.Tensor;
    assert.ok(maxAbsDiff(actual, expected) < 1e-5, `${c.name}: ${maxAbsDiff(actual, expected)}`);
    tf.dispose([x, expected, actual]);
    model.dispose();
  }
});

test('hand = builtin with the skip: the same weights give the same outputs', () => {
  const builtin = buildModel(modelConfig({ linearSkip: true }), shape, 7);
  const hand = buildModel(modelConfig({ linearSkip: true, impl: 'hand', kernel: 'fused' }), shape, 7);
  const weights = builtin
    .getWeights()
    .map((w) => tf.tidy(() => tf.add(w, tf.randomNormal(w.shape, 0, 0.2, 'float32', 3))));
  builtin.setWeights(weights);
  hand.setWeights(weights);
  const x = randn(new Rng(9), [4, shape.steps, shape.features]);
  const diff = maxAbsDiff(builtin.predict(x) as tf.Tensor, hand.predict(x) as tf.Tensor);
  assert.ok(diff < 1e-5, `max |builtin − hand| ${diff}`);
  tf.dispose([...weights, x]);
});

test('the skip starts at zero, so a new model predicts what the LSTM alone does', () => {
  const model = buildModel(modelConfig({ linearSkip: true }), shape, 7);
  for (const w of model.getLayer(LINEAR_SKIP).getWeights()) assert.equal(tf.abs(w).max().dataSync()[0], 0);
  assert.equal(model.getWeights().length, buildModel(modelConfig(), shape, 7).getWeights().length + 2);
});

test('a classifier refuses linearSkip true with the path; auto and false are fine', () => {
  const classify = (linearSkip: unknown) =>
    parseConfig(
      { data: { task: 'classify', path: 'x.csv', steps: 3, features: ['a'] }, model: { linearSkip } },
      'cfg.json',
    );
  assert.throws(
    () => classify(true),
    (e: unknown) =>
      e instanceof ConfigError && /model\.linearSkip: expected false or "auto" for a classifier/.test(e.message),
  );
  assert.equal(classify('auto').model.linearSkip, 'auto');
  assert.throws(() => classify('yes'), ConfigError);
});

test('auto: on when the window has fewer inputs than training windows, off with a note otherwise (a ridge towards zero); true refused there; a smoothing start is on either way', async () => {
  const text = csv(
    'a,b,c',
    Array.from({ length: 100 }, (_, i) => [Math.sin(i), i % 7, Math.cos(i / 3)]),
  );
  const cfg = (window: number, linearSkip: boolean | 'auto', skipStart: 'ridge' | 'smoothing' = 'ridge') =>
    parseConfig(
      {
        data: forecastCfg({ features: ['a', 'b', 'c'], targets: ['a'], window, horizon: 2, split: SPLIT }),
        model: { linearSkip, skipStart },
      },
      'cfg.json',
    );
  const short = await loadForecastText(
    text,
    forecastCfg({ features: ['a', 'b', 'c'], targets: ['a'], window: 3, horizon: 2, split: SPLIT }),
  );
  assert.equal(resolveLinearSkip(cfg(3, 'auto'), short).config.model.linearSkip, true);
  const long = await loadForecastText(
    text,
    forecastCfg({ features: ['a', 'b', 'c'], targets: ['a'], window: 20, horizon: 2, split: SPLIT }),
  );
  const off = resolveLinearSkip(cfg(20, 'auto'), long);
  assert.equal(off.config.model.linearSkip, false);
  assert.match(off.note ?? '', /linearSkip "auto" is off: the window has 60 inputs and the training split \d+ windows/);
  assert.throws(
    () => resolveLinearSkip(cfg(20, true), long),
    (e: unknown) =>
      e instanceof ConfigError &&
      /model\.linearSkip: expected fewer window inputs than training windows.*got 60 inputs \(window 20 × 3 features\)/.test(
        e.message,
      ),
  );
  assert.equal(resolveLinearSkip(cfg(3, false), short).config.model.linearSkip, false);
  // towards smoothing of the target (an input here), more inputs than windows are well posed
  const smoothing = resolveLinearSkip(cfg(20, 'auto', 'smoothing'), long);
  assert.equal(smoothing.config.model.linearSkip, true);
  assert.equal(smoothing.note, undefined);
  assert.equal(resolveLinearSkip(cfg(20, true, 'smoothing'), long).config.model.linearSkip, true);
});
