import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterEpoch, batchesOf, initialState, shouldStopEarly, type HistoryRow } from '../../src/train/state.js';
import { createRunDir, utcStamp } from '../../src/train/run-dir.js';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const row = (epoch: number, valLoss: number): HistoryRow => ({
  epoch,
  trainLoss: 1,
  valLoss,
  trainMetric: 0,
  valMetric: 0,
  learningRate: 0.1,
  seconds: 1,
  samplesPerSec: 1,
});

test('early stopping counts epochs without an improvement larger than minDelta', () => {
  let s = initialState(1);
  const losses = [1.0, 0.8, 0.79, 0.85, 0.795];
  const improvedAt: number[] = [];
  losses.forEach((loss, i) => {
    const r = afterEpoch(s, row(i + 1, loss), 0.05);
    if (r.improved) improvedAt.push(i + 1);
    s = r.state;
  });
  assert.deepEqual(improvedAt, [1, 2]); // 0.79 is not 0.05 better than 0.8
  assert.equal(s.bestEpoch, 2);
  assert.equal(s.bestValLoss, 0.8);
  assert.equal(s.wait, 3);
  assert.equal(shouldStopEarly(s, 3), true);
  assert.equal(shouldStopEarly(s, 4), false);
  assert.equal(shouldStopEarly(s, 0), false); // 0 disables
  assert.equal(s.history.length, 5);
});

test('batches cover every index once, the last one shorter', () => {
  const b = batchesOf([5, 3, 1, 0, 2, 4, 6], 3);
  assert.deepEqual(b, [[5, 3, 1], [0, 2, 4], [6]]);
});

test('run directories are unique even when created in the same second', () => {
  const parent = mkdtempSync(join(tmpdir(), 'lstm-runs-'));
  const now = new Date('2026-11-27T02:20:30Z');
  assert.equal(utcStamp(now), '20261127-022030');
  const a = createRunDir(parent, 'sine', now);
  const b = createRunDir(parent, 'sine', now);
  assert.notEqual(a, b);
  assert.deepEqual(readdirSync(parent).sort(), ['sine-20261127-022030', 'sine-20261127-022030-2']);
});
