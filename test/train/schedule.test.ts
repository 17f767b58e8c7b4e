// The learning rate of each step under each train.schedule: pure values, checked against their definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainSchema } from '../../src/config/schema.js';
import { learningRateAt } from '../../src/train/schedule.js';
import type { HistoryRow } from '../../src/train/state.js';

const train = (schedule: object) => trainSchema.parse({ epochs: 10, learningRate: 0.01, schedule });
const all = (t: ReturnType<typeof train>, history: HistoryRow[] = []) =>
  Array.from({ length: 10 * 4 }, (_, s) =>
    learningRateAt(t, { epoch: Math.floor(s / 4) + 1, batch: s % 4, batches: 4 }, history),
  );
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('constant is the learning rate at every step', () => {
  assert.deepEqual(new Set(all(train({}))), new Set([0.01]));
});

test('cosine: a linear warm-up to the peak, then a half cosine down to minLearningRate', () => {
  const rates = all(train({ kind: 'cosine', warmupEpochs: 1, minLearningRate: 0.001 }));
  assert.deepEqual(rates.slice(0, 4), [0.0025, 0.005, 0.0075, 0.01]);
  close(rates[4], 0.01 - (0.009 * (1 - Math.cos(Math.PI / 36))) / 2, 'the first step after warm-up');
  for (let s = 5; s < rates.length; s++) assert.ok(rates[s] < rates[s - 1], `falls at step ${s}`);
  close(rates.at(-1)!, 0.001, 'the last step is at the floor');
});

test('onecycle: from peak/25 up to the peak at pctStart of the steps, then down to peak/25e4', () => {
  const rates = all(train({ kind: 'onecycle', pctStart: 0.25 }));
  close(rates[0], 0.01 / 25, 'the first step');
  const top = rates.indexOf(Math.max(...rates));
  assert.equal(top, 9, 'the peak at step round(0.25 × 40) − 1');
  close(rates[top], 0.01, 'the peak');
  close(rates.at(-1)!, 0.01 / 25 / 1e4, 'the last step');
});

test('plateau: × factor once more than `patience` epochs pass without a new best val loss', () => {
  const t = train({ kind: 'plateau', factor: 0.5, patience: 1, minLearningRate: 0.002 });
  const row = (epoch: number, valLoss: number) => ({ epoch, valLoss }) as HistoryRow;
  const at = (losses: number[]) =>
    learningRateAt(
      t,
      { epoch: losses.length + 1, batch: 0, batches: 4 },
      losses.map((v, i) => row(i + 1, v)),
    );
  assert.equal(at([1, 0.9, 0.95]), 0.01, 'one epoch without a best is tolerated');
  assert.equal(at([1, 0.9, 0.95, 0.96]), 0.005, 'a second one halves it');
  assert.equal(at([1, 0.9, 0.95, 0.96, 0.97, 0.98]), 0.0025);
  assert.equal(at([1, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1]), 0.002, 'never below minLearningRate');
});
