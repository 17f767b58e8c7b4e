import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rungLines, trialOutcome, type RungDone } from '../../src/tune/messages.js';
import type { Trial } from '../../src/tune/study-files.js';

const rung = (o: Partial<RungDone>): RungDone => ({
  type: 'rungDone',
  rung: 0,
  epochs: 3,
  nextEpochs: 9,
  kept: 2,
  of: 6,
  goOn: [],
  stopped: [],
  pruned: [],
  failed: [],
  ...o,
});

test('a rung says who goes on, who stopped early, who was pruned and who failed', () => {
  assert.deepEqual(rungLines(rung({ goOn: [2], stopped: [5], pruned: [1, 3, 4], failed: [6], of: 5 })), [
    'rung 1 (3 epochs) done: 5 of 6 trials scored',
    '  trial 2 goes on to 9 epochs (the best 2 of 5)',
    '  trial 5 stopped early (val loss no longer improving) and keeps its score',
    '  trials 1, 3, 4 pruned: outside the best 2 of 5',
    '  trial 6 failed',
  ]);
});

test('a rung whose kept trials all stopped early says the study ends there, and why', () => {
  assert.deepEqual(rungLines(rung({ epochs: 1, kept: 1, of: 1, stopped: [1] })), [
    'rung 1 (1 epoch) done: 1 of 1 trials scored',
    '  trial 1 stopped early (val loss no longer improving) and keeps its score',
    '  no trial goes on to 9 epochs: the best 1 of 1 stopped early, so the study ends here',
  ]);
});

test("a trial's line says when early stopping ended it and why", () => {
  const t = { status: 'complete', score: 0.5, stoppedEarly: true, epochs: 4, bestEpoch: 2 } as Trial;
  assert.equal(trialOutcome(t, 'mae'), 'val mae 0.5; stopped early after epoch 4: val loss not better since epoch 2');
  assert.equal(trialOutcome({ ...t, stoppedEarly: false }, 'mae'), 'val mae 0.5');
  assert.equal(trialOutcome({ ...t, status: 'failed', error: 'error: boom' }, 'mae'), 'failed: error: boom');
});
