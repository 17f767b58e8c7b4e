import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { drifts, epochDiffs } from '../../src/compare/drift.js';
import { shapeOf } from '../../src/models/build.js';
import { race } from '../../src/compare/race.js';
import { seededWeights } from '../../src/compare/weights.js';
import { resolveLinearSkip } from '../../src/task/linear-skip.js';
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

test("race from seeded weights starts each variant's skip as lstm-train does (the same start for all); from a checkpoint it does not", async () => {
  const given = smallConfig('forecast', { dropout: 0, hiddenSize: 4 }, { epochs: 1 });
  const dataset = await datasetOf(given);
  const { config } = resolveLinearSkip(given, dataset); // as lstm-compare resolves it: on for a forecaster
  const weights = seededWeights(config, shapeOf(dataset));
  const raced = (startSkip: boolean) =>
    race(config, dataset, {
      variants: ['builtin', 'hand'],
      initial: weights.initial,
      backend: 'cpu',
      outDir: mkdtempSync(join(tmpdir(), 'compare-start-')),
      startSkip,
    });
  const started = await raced(true);
  const seeded = await raced(false);
  weights.dispose();
  const summary = (r: { runDir: string }) => JSON.parse(readFileSync(join(r.runDir, 'summary.json'), 'utf8'));
  const notes = (r: { runDir: string }) => (summary(r).data?.notes ?? []) as string[];
  for (const r of started) {
    assert.ok(
      notes(r).some((n) => n.startsWith('the linear skip starts at')),
      `${r.variant}: ${notes(r).join('; ')}`,
    );
    // the start is a model in its own right, scored on val before the first epoch
    assert.ok(summary(r).start, `${r.variant}: the start's scores`);
  }
  for (const r of seeded) {
    assert.ok(!notes(r).some((n) => n.startsWith('the linear skip starts at')));
    assert.equal(summary(r).start, undefined);
  }
  // builtin and hand start from the same skip: their first epochs agree as closely as from seeded weights alone
  assert.ok(Math.abs(started[0].history[0].trainLoss - started[1].history[0].trainLoss) <= 1e-4);
  // a fitted start forecasts better than the seeded skip on this smooth series after one epoch
  assert.ok(started[0].scores!.val.loss < seeded[0].scores!.val.loss, 'the started skip forecasts better');
});
