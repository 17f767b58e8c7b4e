import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { drifts, epochDiffs } from '../../src/compare/drift.js';
import { shapeOf } from '../../src/models/build.js';
import { race } from '../../src/compare/race.js';
import { seededWeights } from '../../src/compare/weights.js';
import type { HistoryRow } from '../../src/train/state.js';
import { datasetOf, smallConfig, useCpu } from './helpers.js';

before(useCpu);

test('race: builtin and hand from identical weights, dropout 0, agree epoch by epoch (epoch-1 train loss to 1e-4)', async () => {
  const config = smallConfig('forecast', { dropout: 0, hiddenSize: 6 }, { epochs: 3 });
  const dataset = await datasetOf(config);
  const outDir = mkdtempSync(join(tmpdir(), 'compare-race-'));
  const before = tf.memory().numTensors;
  const weights = seededWeights(config, shapeOf(dataset));
  const results = await race(config, dataset, {
    variants: ['builtin', 'hand'],
    initial: weights.initial,
    backend: 'cpu',
    outDir,
  });
  weights.dispose();
  assert.equal(tf.memory().numTensors, before, 'models, optimizers and weights are all disposed');
  assert.deepEqual(
    results.map((r) => r.variant),
    ['builtin', 'hand'],
  );
  for (const r of results) {
    assert.match(basename(r.runDir), new RegExp(`^${r.variant}-\\d{8}-\\d{6}`));
    for (const f of ['summary.json', 'history.csv', 'loss.png', 'checkpoints/best/model.json'])
      assert.ok(existsSync(join(r.runDir, f)), `${r.variant}: ${f}`);
    assert.equal(r.history.length, 3);
    assert.ok(r.params > 0 && r.secondsPerEpoch > 0 && r.trainSamplesPerSec > 0 && r.inferenceSamplesPerSec > 0);
    assert.ok(Number.isFinite(r.scores!.val.loss));
  }
  assert.equal(results[0].params, results[1].params);
  const [d] = drifts(results);
  assert.ok(d.firstEpochDiff <= 1e-4, `epoch-1 |Δ train loss| ${d.firstEpochDiff}`);
  assert.ok(Math.abs(results[0].history[0].valLoss - results[1].history[0].valLoss) <= 1e-4);
  assert.equal(d.trainLossDiffs.length, 3);
});

test('drift: per-epoch |Δ| over the epochs both ran, pairs only where both variants exist', () => {
  const rows = (losses: number[]) =>
    losses.map((trainLoss, k) => ({ epoch: k + 1, trainLoss, valLoss: trainLoss / 2 }) as HistoryRow);
  assert.deepEqual(epochDiffs(rows([1, 0.5, 0.25]), rows([1, 0.75]), 'trainLoss'), [0, 0.25]);
  const d = drifts([
    { variant: 'builtin', history: rows([1, 0.5, 0.3]) },
    { variant: 'hand', history: rows([1, 0.5, 0.1]) },
    { variant: 'hand-bi', history: rows([1]) },
  ]);
  assert.equal(d.length, 1);
  assert.equal(d[0].firstEpochDiff, 0);
  assert.ok(Math.abs(d[0].maxDiff - 0.2) < 1e-12);
  assert.equal(d[0].maxEpoch, 3);
});
